// The OpenCV edge: turn whatever a frame source produced into a grayscale view.
#pragma once

#include <opencv2/core/mat.hpp>

#include "mengscan/expected.hpp"
#include "mengscan/vision/image_view.hpp"

namespace mengscan::vision {

// Converts a BGR/gray 8-bit Mat to a continuous 8-bit gray Mat; errors for other types.
Expected<cv::Mat> toGray(const cv::Mat& image);

// A view over a CV_8UC1 Mat; the Mat must outlive the view.
GrayView viewOf(const cv::Mat& gray);

}  // namespace mengscan::vision
