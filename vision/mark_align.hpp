// Internal: from an outline (mark_silhouette) to a template -> frame homography.
// The outline's moments give the mark's affine frame up to a rotation; the rotation is
// searched by correlating the "whitened" frame patch with the template rotated in 10
// degree steps; the best hypotheses are then refined to a full homography by ECC
// (enhanced correlation coefficient, cv::findTransformECC) on a small rectified patch.
// Works at any size the outline was found at, where corner features are too few.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "mark_silhouette.hpp"
#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::vision::detail {

struct AlignModel {
    bool usable = false;
    cv::Point2d centre;          // template outline centroid, template px
    cv::Matx22d invSqrtCov;      // template outline covariance^(-1/2)
    std::vector<cv::Mat> views;  // CV_32F band-passed template, whitened, one per angle
    std::vector<double> angles;  // radians
    cv::Mat eccTemplate;         // CV_32F, the template on white at kEccMark px + padding
    double eccScale = 1;         // ecc px per template px
};

AlignModel makeAlignModel(const MarkTemplate& t, const Outline& templateOutline);

struct Alignment {
    cv::Matx33d templateToFrame;
    double rotationScore = 0;  // normalised correlation of the best rotation (-1..1)
    double markPx = 0;         // the outline's size, frame px
};

// Up to maxHypotheses affine alignments of the template onto one outline (frame px), best
// first; rotations that correlate below minRotationScore are left out: without feature
// matches that correlation is the evidence besides verification (docs/vision.md).
// `pyramid`: the frame in grey at full, 1/2, 1/4 ... size.
std::vector<Alignment> coarseAlignments(const std::vector<cv::Mat>& pyramid, const Outline& outline,
                                        const AlignModel& model, int maxHypotheses,
                                        double minRotationScore);

// The coarse alignment refined to a homography by ECC; returned unchanged when
// ECC does not converge.
Alignment refineAlignment(const std::vector<cv::Mat>& pyramid, const Alignment& coarse,
                          const AlignModel& model);

}  // namespace mengscan::vision::detail
