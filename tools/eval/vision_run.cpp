#include "vision_run.hpp"

#include <chrono>

#include "mengscan/vision/guided_reader.hpp"
#include "mengscan/vision/mat_adapter.hpp"

namespace mengscan::evaluation {
namespace {

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

VisionRun::VisionRun(vision::MarkDetector detector, vision::ReaderOptions reader)
    : detector_(std::move(detector)), reader_(reader) {}

FrameResult VisionRun::process(const cv::Mat& bgr) const {
    FrameResult r;
    const auto t0 = std::chrono::steady_clock::now();
    // Same order as firmware::ScanPipeline::process: gray frame, mark on colour, then
    // codes read mark-guided (vision/guided_reader.hpp).
    // The grey frame is made once and shared (counted with the mark).
    const auto gray = vision::toGray(bgr);
    r.mark = detector_.detect(bgr, gray && bgr.channels() == 3 ? *gray : cv::Mat());
    r.markMs = msSince(t0);
    const auto t1 = std::chrono::steady_clock::now();
    if (gray) r.codes = vision::readCodesGuided(reader_, *gray, &r.mark);
    r.codesMs = msSince(t1);
    r.totalMs = msSince(t0);
    return r;
}

}  // namespace mengscan::evaluation
