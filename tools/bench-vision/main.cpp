// mengscan-bench-vision: plain ZXing-cpp 1.4 ReadBarcodes (default DecodeHints) against our
// whole vision pipeline (mark detector + code reader) on the same frames, side by side in
// one run, one core (thread CPU time, and wall time); then the peak RSS of `mengscan scan`
// over a long run.
//
//   mengscan-bench-vision DIR [--runs N] [--limit N] [--rss-frames 1000] [--mengscan PATH]
//                             [--frames-csv FILE]
//
// All frames are decoded into memory first; each frame then goes through both, interleaved
// (plain, ours, plain, ours ...), so machine noise hits both alike. Only processing is timed.
#include <ZXing/ReadBarcode.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_stats.hpp"
#include "mengscan/platform/frame_source.hpp"
#include "mengscan/vision/mat_adapter.hpp"
#include "metrics.hpp"
#include "scan_rss.hpp"
#include "vision_run.hpp"

using namespace mengscan;
using namespace mengscan::evaluation;
namespace fs = std::filesystem;

namespace {

struct Args {
    std::string dir;
    std::string markTemplate = std::string(MENGSCAN_SOURCE_ROOT) + "/assets/mark/meng-mark.png";
    int runs = 1;
    int limit = 0;
    int rssFrames = 1000;
    std::string mengscan;
    std::string framesCsv;  // one line per frame and run, for finding what sets the median
};

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::vector<std::string> imagesIn(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (platform::isImagePath(e.path().string())) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

void printStats(const char* name, const std::vector<double>& ms, int reads) {
    double sum = 0;
    for (double v : ms) sum += v;
    const double mean = ms.empty() ? 0 : sum / ms.size();
    std::printf("%-34s median %7.2f ms  p95 %7.2f ms  mean %7.2f ms  %6.1f fps  codes read %d\n",
                name, percentile(ms, 0.5), percentile(ms, 0.95), mean, mean > 0 ? 1000 / mean : 0,
                reads);
}

int run(const Args& args, const std::string& self) {
    cv::setNumThreads(1);  // one core: what a small ARM board gives one camera
    auto files = imagesIn(args.dir);
    if (args.limit > 0 && files.size() > static_cast<size_t>(args.limit))
        files.resize(static_cast<size_t>(args.limit));
    if (files.empty()) {
        std::cerr << "mengscan-bench-vision: no images in " << args.dir << "\n";
        return 1;
    }
    std::vector<cv::Mat> frames, grays;
    std::vector<std::string> names;
    for (const auto& f : files) {
        auto image = platform::readImageFile(f);
        if (!image) continue;
        auto gray = vision::toGray(*image);
        if (!gray) continue;
        frames.push_back(*image);
        grays.push_back(*gray);
        names.push_back(fs::path(f).filename().string());
    }
    std::ofstream csv;
    if (!args.framesCsv.empty()) {
        csv.open(args.framesCsv);
        if (!csv) {
            std::cerr << "mengscan-bench-vision: cannot write " << args.framesCsv << "\n";
            return 1;
        }
        csv << "frame,run,plain_cpu_ms,ours_cpu_ms,mark_ms,codes_ms,plain_reads,mark_found,"
               "ours_reads,pass\n";
    }
    auto markTemplate = vision::loadMarkTemplate(args.markTemplate);
    if (!markTemplate) {
        std::cerr << "mengscan-bench-vision: " << markTemplate.error().message << "\n";
        return 1;
    }
    const VisionRun ours(vision::MarkDetector(std::move(*markTemplate)), vision::ReaderOptions{});

    std::vector<double> plainMs, oursMs, plainWallMs, oursWallMs, markMs, codesMs;
    int plainReads = 0, oursReads = 0, marks = 0;
    for (int r = 0; r < args.runs; ++r) {
        for (size_t i = 0; i < frames.size(); ++i) {
            const cv::Mat& g = grays[i];
            auto t0 = std::chrono::steady_clock::now();
            double c0 = bench::threadCpuMs();
            const auto plain = ZXing::ReadBarcodes(
                ZXing::ImageView(g.data, g.cols, g.rows, ZXing::ImageFormat::Lum,
                                 static_cast<int>(g.step)),
                ZXing::DecodeHints());
            plainMs.push_back(bench::threadCpuMs() - c0);
            plainWallMs.push_back(msSince(t0));
            // Ours from the colour frame, gray conversion included (as `mengscan scan`).
            c0 = bench::threadCpuMs();
            const FrameResult mine = ours.process(frames[i]);
            oursMs.push_back(bench::threadCpuMs() - c0);
            oursWallMs.push_back(mine.totalMs);
            markMs.push_back(mine.markMs);
            codesMs.push_back(mine.codesMs);
            int plainValid = 0;
            for (const auto& p : plain) plainValid += p.isValid();
            if (csv.is_open())
                csv << names[i] << ',' << r << ',' << plainMs.back() << ',' << oursMs.back() << ','
                    << mine.markMs << ',' << mine.codesMs << ',' << plainValid << ','
                    << mine.mark.found << ',' << mine.codes.size() << ','
                    << (mine.codes.empty() ? "" : mine.codes.front().pass) << '\n';
            if (r == 0) {
                plainReads += plainValid;
                oursReads += static_cast<int>(mine.codes.size());
                marks += mine.mark.found;
            }
        }
    }
    std::printf("%zu frames (%dx%d first) from %s, %d run(s), 1 OpenCV thread\n", frames.size(),
                frames[0].cols, frames[0].rows, args.dir.c_str(), args.runs);
    std::printf("thread CPU time (what one core spends; not inflated by other processes):\n");
    printStats("plain ZXing-cpp 1.4 ReadBarcodes", plainMs, plainReads);
    printStats("ours: mark + codes", oursMs, oursReads);
    std::printf("wall time:\n");
    printStats("plain ZXing-cpp 1.4 ReadBarcodes", plainWallMs, plainReads);
    printStats("ours: mark + codes", oursWallMs, oursReads);
    printStats("  of which mark detector", markMs, marks);
    printStats("  of which code reader", codesMs, oursReads);
    const double ratio = percentile(oursMs, 0.5) / std::max(1e-9, percentile(plainMs, 0.5));
    std::printf("median ours / plain (thread CPU): %.2f (target <= 0.5)\n", ratio);

    if (args.rssFrames > 0) {
        std::string mengscan = args.mengscan;
        if (mengscan.empty()) mengscan = (fs::path(self).parent_path() / "mengscan").string();
        std::vector<std::string> paths;
        for (size_t i = 0; static_cast<int>(i) < args.rssFrames; ++i)
            paths.push_back(files[i % files.size()]);
        auto rss = measureScanRss(mengscan, paths, 100);
        if (!rss) {
            std::cerr << "mengscan-bench-vision: " << rss.error().message << "\n";
            return 1;
        }
        std::printf(
            "\n`mengscan scan --json` over %d frames (%.1f s, exit %d): RSS every 100 frames:\n",
            rss->frames, rss->seconds, rss->exitCode);
        for (const auto& s : rss->samples)
            std::printf("  frame %5d  VmRSS %7ld kB  VmHWM %7ld kB\n", s.frames, s.rssKb, s.peakKb);
        std::printf("peak RSS (VmHWM): %ld kB\n", rss->peakKb);
        if (rss->samples.size() >= 2) {
            const long first = rss->samples.front().rssKb, last = rss->samples.back().rssKb;
            std::printf("RSS growth from frame %d to %d: %+ld kB (%+.1f%%)\n",
                        rss->samples.front().frames, rss->samples.back().frames, last - first,
                        first ? 100.0 * (last - first) / first : 0.0);
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    CLI::App app{"Plain ZXing-cpp 1.4 vs the mengscan vision pipeline, side by side"};
    app.add_option("dir", args.dir, "folder of frames (e.g. from mengscan-gen-scenes)")->required();
    app.add_option("--mark-template", args.markTemplate, "the mark's reference artwork");
    app.add_option("--runs", args.runs, "passes over all frames")->check(CLI::PositiveNumber);
    app.add_option("--limit", args.limit, "only the first N frames")->check(CLI::NonNegativeNumber);
    app.add_option("--rss-frames", args.rssFrames, "frames for the mengscan scan RSS run (0: skip)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--mengscan", args.mengscan, "the mengscan binary (default: beside this one)");
    app.add_option("--frames-csv", args.framesCsv, "write each frame's timings and results here");
    CLI11_PARSE(app, argc, argv);
    try {
        return run(args, argv[0]);
    } catch (const std::exception& e) {
        std::cerr << "mengscan-bench-vision: " << e.what() << "\n";
        return 1;
    }
}
