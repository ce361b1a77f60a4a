#include "mengscan/vision/mat_adapter.hpp"

#include <opencv2/imgproc.hpp>

namespace mengscan::vision {

Expected<cv::Mat> toGray(const cv::Mat& image) {
    if (image.empty()) {
        return makeUnexpected(ErrorCategory::Image, "empty_image", "empty image");
    }
    if (image.depth() != CV_8U) {
        return makeUnexpected(ErrorCategory::Image, "unsupported_depth", "image is not 8-bit");
    }
    try {
        cv::Mat gray;
        switch (image.channels()) {
            case 1: gray = image.isContinuous() ? image : image.clone(); break;
            case 3: cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY); break;
            case 4: cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY); break;
            default:
                return makeUnexpected(ErrorCategory::Image, "unsupported_channels",
                                      "image has " + std::to_string(image.channels()) +
                                          " channels");
        }
        return gray;
    } catch (const cv::Exception& e) {
        return makeUnexpected(ErrorCategory::Image, "convert_failed", e.what());
    }
}

GrayView viewOf(const cv::Mat& gray) {
    return GrayView{gray.data, gray.cols, gray.rows, static_cast<int>(gray.step)};
}

}  // namespace mengscan::vision
