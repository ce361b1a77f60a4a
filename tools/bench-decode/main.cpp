// mengscan-bench-decode: time our code reader against plain ZXing-cpp 1.4 on the same
// pixels, image by image, and count reads on folders with expected X.txt results.
//
//   mengscan-bench-decode [--runs N] [--fit WxH] PATH...
//
// Each image is loaded and converted to gray once; then both readers run N times on the
// same in-memory frame (interleaved, so machine noise hits both alike). Prints per-image
// median ms and a summary (median of medians, p95, reads).
#include <ZXing/ReadBarcode.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "bench_stats.hpp"
#include "mengscan/platform/frame_source.hpp"
#include "mengscan/vision/code_reader.hpp"
#include "mengscan/vision/mat_adapter.hpp"

using namespace mengscan;

namespace {

using bench::percentile;

template <class F>
double timeMs(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Letterbox into a WxH frame (mid-gray), as a camera frame of that size would hold it.
cv::Mat fit(const cv::Mat& gray, cv::Size size) {
    const double s = std::min(double(size.width) / gray.cols, double(size.height) / gray.rows);
    cv::Mat scaled;
    cv::resize(gray, scaled, cv::Size(), s, s, s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat frame(size, CV_8UC1, cv::Scalar(128));
    scaled.copyTo(frame(cv::Rect((size.width - scaled.cols) / 2, (size.height - scaled.rows) / 2,
                                 scaled.cols, scaled.rows)));
    return frame;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Time mengscan's code reader against plain ZXing-cpp 1.4"};
    std::vector<std::string> paths;
    int runs = 15;
    std::string fitTo;
    app.add_option("paths", paths, "images or folders")->required();
    app.add_option("--runs", runs, "timed runs per image")->check(CLI::PositiveNumber);
    app.add_option("--fit", fitTo, "letterbox every image into a WxH frame, e.g. 1280x720");
    CLI11_PARSE(app, argc, argv);

    cv::Size fitSize;
    if (!fitTo.empty() &&
        std::sscanf(fitTo.c_str(), "%dx%d", &fitSize.width, &fitSize.height) != 2) {
        std::fprintf(stderr, "--fit wants WxH, e.g. 1280x720\n");
        return 2;
    }
    const vision::CodeReader ours;
    std::vector<double> plainMedians, oursMedians;
    int plainReads = 0, oursReads = 0, images = 0;
    std::printf("%-40s %10s %10s  %s\n", "image", "plain ms", "ours ms", "codes plain/ours");
    for (const auto& path : paths) {
        auto source = platform::openPath(path, {});
        while (auto frame = source->next()) {
            if (!frame->ok()) {
                std::fprintf(stderr, "skip %s: %s\n", frame->source.c_str(),
                             frame->error.message.c_str());
                continue;
            }
            auto gray = vision::toGray(frame->image);
            if (!gray) continue;
            cv::Mat pixels = fitSize.area() > 0 ? fit(*gray, fitSize) : *gray;
            const ZXing::ImageView view(pixels.data, pixels.cols, pixels.rows,
                                        ZXing::ImageFormat::Lum, static_cast<int>(pixels.step));
            std::vector<double> tPlain, tOurs;
            size_t nPlain = 0, nOurs = 0;
            for (int i = 0; i < runs; ++i) {
                tPlain.push_back(timeMs([&] { nPlain = ZXing::ReadBarcodes(view).size(); }));
                tOurs.push_back(timeMs([&] { nOurs = ours.read(vision::viewOf(pixels)).size(); }));
            }
            ++images;
            plainReads += nPlain > 0;
            oursReads += nOurs > 0;
            plainMedians.push_back(percentile(tPlain, 0.5));
            oursMedians.push_back(percentile(tOurs, 0.5));
            std::string name = frame->source;
            if (name.size() > 40) name = "..." + name.substr(name.size() - 37);
            std::printf("%-40s %10.2f %10.2f  %zu/%zu\n", name.c_str(), plainMedians.back(),
                        oursMedians.back(), nPlain, nOurs);
        }
    }
    std::printf("\n%d images, %d runs each\n", images, runs);
    std::printf("plain ZXing-cpp 1.4: median %.2f ms, p95 %.2f ms, images with a code %d\n",
                percentile(plainMedians, 0.5), percentile(plainMedians, 0.95), plainReads);
    std::printf("mengscan reader:     median %.2f ms, p95 %.2f ms, images with a code %d\n",
                percentile(oursMedians, 0.5), percentile(oursMedians, 0.95), oursReads);
    return 0;
}
