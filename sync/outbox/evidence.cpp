#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mengscan/sync/outbox_evidence.hpp"

namespace mengscan::sync {
namespace {

cv::Rect cropRect(const cv::Mat& image, const std::vector<cv::Point2f>& region, double margin) {
    const cv::Rect whole(0, 0, image.cols, image.rows);
    if (region.empty()) return whole;
    float x0 = region[0].x, y0 = region[0].y, x1 = x0, y1 = y0;
    for (const auto& p : region) {
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
    }
    const double mx = (x1 - x0) * margin, my = (y1 - y0) * margin;
    const cv::Rect box(
        cv::Point(static_cast<int>(std::floor(x0 - mx)), static_cast<int>(std::floor(y0 - my))),
        cv::Point(static_cast<int>(std::ceil(x1 + mx)), static_cast<int>(std::ceil(y1 + my))));
    const cv::Rect clipped = box & whole;
    return clipped.area() > 0 ? clipped : whole;
}

}  // namespace

Expected<std::vector<uint8_t>> encodeEvidence(const cv::Mat& image,
                                              const std::vector<cv::Point2f>& region,
                                              const EvidenceOptions& options) {
    if (image.empty() || image.depth() != CV_8U ||
        !(image.channels() == 1 || image.channels() == 3 || image.channels() == 4)) {
        return makeUnexpected(ErrorCategory::Image, "bad_evidence_image",
                              "evidence needs a non-empty 8-bit gray, BGR or BGRA image");
    }
    try {
        cv::Mat crop = image(cropRect(image, region, options.margin));
        if (crop.channels() == 4) cv::cvtColor(crop, crop, cv::COLOR_BGRA2BGR);
        const int side = std::max(crop.cols, crop.rows);
        if (options.maxSide > 0 && side > options.maxSide) {
            const double scale = static_cast<double>(options.maxSide) / side;
            cv::resize(crop, crop, cv::Size(), scale, scale, cv::INTER_AREA);
        }
        std::vector<uint8_t> jpeg;
        const std::vector<int> params{cv::IMWRITE_JPEG_QUALITY,
                                      std::clamp(options.jpegQuality, 1, 100)};
        if (!cv::imencode(".jpg", crop, jpeg, params)) {
            return makeUnexpected(ErrorCategory::Image, "evidence_encode_failed",
                                  "JPEG encoding of the evidence crop failed");
        }
        return jpeg;
    } catch (const cv::Exception& ex) {
        return makeUnexpected(ErrorCategory::Image, "evidence_encode_failed",
                              std::string("evidence crop: ") + ex.what());
    }
}

}  // namespace mengscan::sync
