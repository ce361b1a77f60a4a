// Internal: ORB features with a spatially even spread, for the mark detector.
// OpenCV's ORB keeps the globally strongest corners, so on a cluttered shelf a small mark
// gets almost none; here each grid cell keeps its own best few.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/features2d.hpp>
#include <vector>

namespace mengscan::vision::detail {

struct FeatureSet {
    std::vector<cv::Point2f> points;  // in the coordinates the caller asked for
    cv::Mat descriptors;              // CV_8U, 32 bytes per row (ORB)
};

struct FeatureParams {
    int fastThreshold = 12;
    int cellSize = 32;       // grid cell (pixels of the image being described)
    int perCell = 3;         // strongest keypoints kept per cell
    int maxFeatures = 4000;  // hard cap after the grid
};

// Describes `gray` (one scale, ORB patch 31). Points are multiplied by `toOutput` so the
// caller gets them in frame/template coordinates. Only keypoints where mask != 0.
FeatureSet describe(const cv::Mat& gray, const FeatureParams& params, float toOutput,
                    const cv::Mat& mask = cv::Mat());

}  // namespace mengscan::vision::detail
