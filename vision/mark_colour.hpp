// Internal: the cheap pre-filter. If the template has a distinctive ink colour, a coarse
// (1/4 size) back-projection of its hues finds where the mark may be and how large it
// is; the expensive feature matching then runs only on those regions, at a normalised
// scale. Learnt from the template alone; a one-colour or grey template simply has no
// colour model and the detector falls back to whole-frame features.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

namespace mengscan::vision::detail {

struct ColourModel {
    bool usable = false;
    cv::Mat hues;            // CV_8U, 1 x 180 over OpenCV hue 0..179: 255 = the template's
    double extentRatio = 1;  // template long side / long side of its coloured part
    double fill = 0.5;       // share of the coloured part's box that is coloured
    double aspect = 1;       // coloured part's box: width / height
};

struct Proposal {
    cv::Point2f centre;  // frame px
    double markPx;       // estimated long side of the mark, frame px
    double strength;     // likeness of the blob to the template's coloured part (ordering)
};

ColourModel makeColourModel(const cv::Mat& templateBgr, const cv::Mat& templateMask);

// 255 where a BGR pixel is saturated and bright enough to have a hue at all.
cv::Mat chromaticMask(const cv::Mat& bgr);

// 255 where a pixel has the template's hues (and enough saturation and value to have a
// hue), closed over 1 px gaps (text knocked out of a coloured ring).
cv::Mat colourMask(const cv::Mat& bgr, const ColourModel& model);

// Regions (most template-like first) where the template's colours form a blob of a plausible size.
std::vector<Proposal> proposeRegions(const cv::Mat& frameBgr, const ColourModel& model,
                                     double minMarkPx, double maxMarkPx, int maxProposals);

}  // namespace mengscan::vision::detail
