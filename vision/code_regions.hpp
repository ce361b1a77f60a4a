// Internal: where the guided reader looks for a label's code, and those places' pixels at
// the scale a decoder wants (2-4 px per module). Frame regions (a box, rescaled) and
// rectified ones (the label plane beside the mark seen head-on through the mark's
// homography), plus a cheap test of whether a place beside the mark holds code-like
// texture at all.
#pragma once

#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "mengscan/vision/code_reader.hpp"
#include "mengscan/vision/guided_reader.hpp"
#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::vision::detail {

struct CodeRegion {
    cv::Rect box;      // frame px (frame regions)
    double scale = 1;  // resize factor before decoding (frame regions)
    // Rectified regions: region px -> frame px, and the region's side in px.
    std::optional<cv::Matx33d> warp{};
    int side = 0;
    const char* name = "";
    bool tryHarder = false;
    bool tryRotate = true;
    cv::Mat pixels{};  // once made (regionPixels)
};

// The region's pixels, made on first use and kept for later passes; empty when the region
// lies outside the frame.
const cv::Mat& regionPixels(const cv::Mat& gray, CodeRegion& r);

// Codes read in the region's pixels, moved to frame coordinates and named after it.
std::vector<DecodedCode> toFrame(std::vector<DecodedCode> codes, const CodeRegion& r);

double markSize(const Quad& q);

// The mark's neighbourhood: markNeighbourhood mark sizes on each side of its box.
CodeRegion markNeighbourhood(const cv::Mat& gray, const MarkDetection& mark,
                             const GuidedReadOptions& options);

// Code-sized squares beside the mark, in this order: along the mark's horizontal axis
// (+, -), then its vertical axis (+, -). `rectified`: on the label plane, upright, at
// rectifiedTargetPx per mark width; otherwise frame boxes around the same places.
std::vector<CodeRegion> besideMark(const cv::Mat& gray, const MarkDetection& mark,
                                   const GuidedReadOptions& options, bool rectified);

// Per square of besideMark's order: how much edge a code-sized square there holds, as its
// mean gradient magnitude over the grey-level spread of the mark itself (same print, same
// light, same blur). Blank paper and smooth background score low, a code high.
std::vector<double> codeLikenessBeside(const cv::Mat& gray, const MarkDetection& mark,
                                       const GuidedReadOptions& options);

// Dense, high-contrast, roughly square blobs anywhere in the frame, densest first.
std::vector<CodeRegion> codeLikeRegions(const cv::Mat& gray, int maxRegions, double targetPx);

}  // namespace mengscan::vision::detail
