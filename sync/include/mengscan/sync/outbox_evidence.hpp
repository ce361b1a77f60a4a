// The evidence image of an anomaly event: a JPEG crop of the label region, small enough
// to queue thousands on a device (about 10-30 KB at the defaults).
#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::sync {

struct EvidenceOptions {
    int maxSide = 480;     // longer side of the crop after scaling down
    int jpegQuality = 80;  // 1..100
    double margin = 0.25;  // added around the region, as a fraction of its size
};

// Crops the bounding box of `region` (e.g. the code's and the mark's corners) plus the
// margin, clipped to the image; the whole image when `region` is empty. Gray, BGR and
// BGRA 8-bit images are accepted. OpenCV failures become Image errors.
Expected<std::vector<uint8_t>> encodeEvidence(const cv::Mat& image,
                                              const std::vector<cv::Point2f>& region,
                                              const EvidenceOptions& options = {});

}  // namespace mengscan::sync
