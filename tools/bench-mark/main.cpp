// mengscan-bench-mark: the mark-guided pipeline exactly as `mengscan scan` runs it
// (MarkDetector::detect + readCodesGuided) against plain ZXing-cpp 1.4 ReadBarcodes
// (default DecodeHints) on the same in-memory frames of a mengscan-gen-scenes set,
// interleaved; thread CPU time and wall time; mark recall / false positives per tag.
//
//   mengscan-bench-mark DIR TEMPLATE [LIMIT] [--no-plain]
//
// --no-plain leaves the baseline out (recall runs in half the time). ZXing-cpp 1.4's PDF417
// decoder reads out of bounds on some frames and can then loop (docs/benchmarks.md).
#include <ZXing/ReadBarcode.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_stats.hpp"
#include "mengscan/vision/guided_reader.hpp"
#include "mengscan/vision/mark_detector.hpp"
using namespace mengscan;
using bench::percentile;
int main(int argc, char** argv) {
    std::vector<std::string> args;
    bool plain = true;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--no-plain")
            plain = false;
        else
            args.push_back(argv[i]);
    }
    if (args.size() < 2) {
        fprintf(stderr, "usage: mengscan-bench-mark DIR TEMPLATE [LIMIT] [--no-plain]\n");
        return 2;
    }
    const std::string dir = args[0];
    const std::string tp = args[1];
    const int limit = args.size() > 2 ? atoi(args[2].c_str()) : 100000;
    // One core for both sides: thread CPU time would not count OpenCV's worker threads.
    cv::setNumThreads(1);
    auto t = vision::loadMarkTemplate(tp);
    if (!t) {
        fprintf(stderr, "%s\n", t.error().message.c_str());
        return 1;
    }
    vision::MarkDetector det(*t);
    vision::CodeReader reader;
    std::vector<double> plainCpu, oursCpu, markCpu, plainWall, oursWall;
    int frames = 0, pos = 0, tpos = 0, neg = 0, fp = 0, codes = 0, plainRead = 0, oursRead = 0;
    std::map<std::string, std::pair<int, int>> tagRecall;
    for (int i = 0; i < limit; ++i) {
        char name[32];
        snprintf(name, 32, "/%05d", i);
        std::ifstream js(dir + name + ".json");
        if (!js) break;
        auto j = nlohmann::json::parse(js);
        cv::Mat img = cv::imread(dir + name + ".jpg");
        if (img.empty()) img = cv::imread(dir + name + ".png");
        cv::Mat gray;
        cv::cvtColor(img, gray, cv::COLOR_BGR2GRAY);
        std::vector<std::string> want;
        for (auto& c : j["expected"]["code_texts"]) want.push_back(c.get<std::string>());
        codes += want.size();
        ++frames;
        if (plain) {
            const double c0 = bench::threadCpuMs();
            const auto w0 = std::chrono::steady_clock::now();
            auto res = ZXing::ReadBarcodes(
                ZXing::ImageView(gray.data, gray.cols, gray.rows, ZXing::ImageFormat::Lum),
                ZXing::DecodeHints());
            plainCpu.push_back(bench::threadCpuMs() - c0);
            plainWall.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0)
                    .count());
            for (auto& w : want)
                for (auto& r : res)
                    if (r.isValid() && r.text() == w) {
                        plainRead++;
                        break;
                    }
        }
        // ours
        const double c0 = bench::threadCpuMs();
        const auto w0 = std::chrono::steady_clock::now();
        cv::Mat g2;
        cv::cvtColor(img, g2, cv::COLOR_BGR2GRAY);
        auto d = det.detect(img, g2);
        double m = bench::threadCpuMs() - c0;
        auto ours = vision::readCodesGuided(reader, g2, &d);
        oursCpu.push_back(bench::threadCpuMs() - c0);
        markCpu.push_back(m);
        oursWall.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0)
                .count());
        for (auto& w : want)
            for (auto& r : ours)
                if (r.ok() && r.text == w) {
                    oursRead++;
                    break;
                }
        bool present = j["expected"]["mark_found"].get<bool>();
        if (present) {
            pos++;
            if (d.found) tpos++;
            for (auto& tag : j["tags"]) {
                auto& e = tagRecall[tag.get<std::string>()];
                e.second++;
                if (d.found) e.first++;
            }
        } else {
            neg++;
            if (d.found) fp++;
        }
    }
    printf("frames %d  positives %d  negatives %d\n", frames, pos, neg);
    printf("mark recall %.1f%% (%d/%d)  false positives %.2f%% (%d/%d)\n",
           100.0 * tpos / std::max(1, pos), tpos, pos, 100.0 * fp / std::max(1, neg), fp, neg);
    if (!plain) {
        printf("codes read: ours %d/%d (plain ZXing not run)\n", oursRead, codes);
        printf("thread CPU ms  ours median %.1f p95 %.1f (mark median %.1f)\n",
               percentile(oursCpu, .5), percentile(oursCpu, .95), percentile(markCpu, .5));
    } else {
        printf("codes read: plain ZXing %d/%d  ours %d/%d\n", plainRead, codes, oursRead, codes);
        printf(
            "thread CPU ms  plain median %.1f p95 %.1f | ours median %.1f p95 %.1f "
            "(mark median %.1f) | ratio of medians %.2f\n",
            percentile(plainCpu, .5), percentile(plainCpu, .95), percentile(oursCpu, .5),
            percentile(oursCpu, .95), percentile(markCpu, .5),
            percentile(oursCpu, .5) / percentile(plainCpu, .5));
        printf("wall ms        plain median %.1f p95 %.1f | ours median %.1f p95 %.1f\n",
               percentile(plainWall, .5), percentile(plainWall, .95), percentile(oursWall, .5),
               percentile(oursWall, .95));
    }
    for (auto& [k, v] : tagRecall) printf("  %-14s %d/%d\n", k.c_str(), v.first, v.second);
}
