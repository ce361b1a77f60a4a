#include "scan_pipeline.hpp"

#include <chrono>

#include "mengscan/vision/mat_adapter.hpp"

namespace mengscan::firmware {

ScanPipeline::ScanPipeline(ScanOptions options)
    : options_(std::move(options)), reader_(options_.reader) {}

void ScanPipeline::process(const cv::Mat& image, FrameReport& report) const {
    const auto start = std::chrono::steady_clock::now();
    report.width = image.cols;
    report.height = image.rows;
    auto gray = vision::toGray(image);
    if (!gray) {
        report.error = gray.error();
    } else {
        report.codes = reader_.read(vision::viewOf(*gray));
    }
    const auto end = std::chrono::steady_clock::now();
    report.elapsedMs = std::chrono::duration<double, std::milli>(end - start).count();
}

}  // namespace mengscan::firmware
