// Internal: proposals from the mark's outline. A printed emblem is ink on paper; its ink,
// closed over small gaps and filled, has the outline of the artwork (a disc for a seal, a
// hexagon for a hexagonal badge), whatever the ink colour. The outline's centroid and
// second moments fix the mark's position, size and the affine part of its tilt, leaving
// only the rotation unknown (mark_align). Learnt from the template's own outline.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "mark_colour.hpp"

namespace mengscan::vision::detail {

// An outline's centroid and covariance (second central moments / area), in pixels.
struct Outline {
    cv::Point2d centre;
    cv::Matx22d cov;
    double area = 0;
    // Affine-invariant shape figures: area / (4 pi sqrt(det cov)) (1 for any ellipse,
    // lower for ragged shapes) and area / convex hull area.
    double ellipseFill = 0;
    double solidity = 0;
    bool arcFit = false;  // an ellipse through an opened ring's outer arc (mark_silhouette.cpp)
};

struct SilhouetteModel {
    bool usable = false;
    Outline outline;          // the template's, in template pixels
    double areaFraction = 1;  // outline area / (template long side)^2
};

struct SilhouetteCandidate {
    Outline outline;      // frame pixels
    double markPx = 0;    // estimated long side of the mark, frame px
    double likeness = 0;  // ordering: outline and colour resemblance to the template
};

enum class OutlineSource {
    Colour,        // the template's hues (only with a colour model and a colour frame)
    Ink,           // darker than the paper around it, any colour
    InkTopHat,     // darker than the local closing: thin dark strokes, blind to glare gradients
    ChromaticInk,  // ink that is saturated (any hue): one-colour prints beside black codes
};

SilhouetteModel makeSilhouetteModel(const cv::Mat& templateBgr, const cv::Mat& templateMask);

// Outlines in the frame shaped like the template's, most alike first, from one mask;
// outlines matching one in `exclude` (already tried) are left out. `gray` is the full
// frame; `bgr` the same in colour (may be empty for OutlineSource::Ink).
std::vector<SilhouetteCandidate> proposeSilhouettes(const cv::Mat& gray, const cv::Mat& bgr,
                                                    OutlineSource source,
                                                    const SilhouetteModel& model,
                                                    const ColourModel& colour, double minMarkPx,
                                                    double maxMarkPx, int maxCandidates,
                                                    const std::vector<Outline>& exclude);

// Glare washes out the side of a mark nearest to it, and that side drops out of the
// outline: the outline comes out too small, its centre too far from the glare. When the
// brightness around `outline` (mark about markPx wide) rises steadily one way (a veil),
// the outline grown by each of `growths` and moved that way by as much; none otherwise.
std::vector<Outline> veilCompletedOutlines(const cv::Mat& gray, const Outline& outline,
                                           double markPx, const std::vector<double>& growths);

}  // namespace mengscan::vision::detail
