// Internal: from an outline (mark_silhouette) to a template -> frame homography.
// The outline's moments give the mark's affine frame up to a rotation; the rotation is
// searched by correlating the "whitened" frame patch with the template rotated in 15
// degree steps; the best hypotheses are then refined to a full homography on a small
// rectified patch (inverse-compositional Gauss-Newton, normalised for contrast).
// Works at any size the outline was found at, where corner features are too few.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "mark_silhouette.hpp"
#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::vision::detail {

struct AlignModel {
    bool usable = false;
    cv::Point2d centre;      // template outline centroid, template px
    cv::Matx22d invSqrtCov;  // template outline covariance^(-1/2)
    // The rotation search: per angle, the band-passed, whitened template view (zero mean,
    // kView px) as the conjugate-ready spectrum of its kPatch px zero-padding, and its norm.
    std::vector<cv::Mat> viewSpectra;  // CV_32F, CCS-packed cv::dft output
    std::vector<double> viewNorms;
    std::vector<double> angles;  // radians
    // Refinement (inverse compositional, mark_align.cpp), coarse to fine (quarter, half and
    // full size): the template on white at kRefMark px + padding, band-passed, zero mean,
    // flattened; its steepest-descent images (one row per homography parameter) with the
    // mean and the template itself projected out, so brightness and contrast do not move
    // the estimate; their Hessian's inverse.
    struct RefinementLevel {
        cv::Mat templ;     // CV_32F, 1 x N
        cv::Mat steepest;  // CV_32F, 8 x N
        cv::Matx<double, 8, 8> hessianInv;
        double templNorm = 1;  // L2 norm of templ
        cv::Size size;
    };
    std::vector<RefinementLevel> refLevels;  // coarsest first; the last is full size
    double refScale = 1;                     // refinement px per template px
};

AlignModel makeAlignModel(const MarkTemplate& t, const Outline& templateOutline);

struct Alignment {
    cv::Matx33d templateToFrame;
    double rotationScore = 0;  // normalised correlation of the best rotation (-1..1)
    double markPx = 0;         // the outline's size, frame px
};

// Up to maxHypotheses affine alignments of the template onto one outline (frame px), best
// first; rotations that correlate below minRotationScore are left out: without feature
// matches that correlation is the evidence besides verification (docs/vision.md). One
// more is kept when it correlates within closeGap of the best (negative: never).
// `pyramid`: the frame in grey at full, 1/2, 1/4 ... size.
std::vector<Alignment> coarseAlignments(const std::vector<cv::Mat>& pyramid, const Outline& outline,
                                        const AlignModel& model, int maxHypotheses,
                                        double minRotationScore, double closeGap = -1);

// The coarse alignment refined to a homography by inverse-compositional Gauss-Newton on
// the normalised patch (what ECC maximises, with the template's gradients computed once),
// both patches band-passed so a glare veil's brightness slope does not pull the fit;
// returned unchanged when the refinement diverges.
Alignment refineAlignment(const std::vector<cv::Mat>& pyramid, const Alignment& coarse,
                          const AlignModel& model);

}  // namespace mengscan::vision::detail
