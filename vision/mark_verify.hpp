// Internal: the verification step. A homography from features only says "many corners
// agree"; look-alikes (other seals, the bare character) can agree on a few. Here the frame
// is warped back onto the template and compared pixel by pixel (normalised correlation of
// blurred gray, so lighting, ink colour and one-colour prints do not matter).
#pragma once

#include <opencv2/core.hpp>

#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::vision::detail {

struct VerifyModel {
    cv::Size size;        // canonical patch size
    double fromTemplate;  // canonical px per template px
    cv::Mat gray;         // CV_32F, blurred template in canonical size
    cv::Mat mask;         // CV_8U, 255 inside the artwork (slightly eroded)
    cv::Mat ink;          // CV_8U, 255 inside where the artwork is darker than its mean
    cv::Mat grid;         // CV_32S, block index per pixel (-1 outside mask), for robust NCC
    int blocks = 0;
    cv::Mat ring;  // CV_32S, distance band from the artwork's centre per pixel (-1 outside)
    int rings = 0;
    // The template as verification compares it (seen at a frame width, band-passed,
    // contrast-equalised), made once per width step: refs[i] for widths up to
    // refMinWidth + i * kRefStep; the last one for every width at or above the canonical.
    std::vector<cv::Mat> refs;
    int refMinWidth = 0;
    cv::Mat shiftWindow;  // CV_32F: the artwork's mask times a Hann window (residual shift)
};

VerifyModel makeVerifyModel(const MarkTemplate& t);

// Similarity 0..1 of the frame region that `templateToFrame` maps the template onto.
// `pyramid` holds the frame at full, 1/2, 1/4 ... size (gray); the level whose resolution
// best matches the patch is sampled to avoid aliasing. Score = 1/3 appearance (global and
// 3x3-block correlation) + 2/3 detail: the correlation of what is not rotationally
// symmetric (each pixel minus its ring's mean about the centre), where rings of text and
// round borders, which look-alike seals share, cancel. Marks under 64 px wide lose up to
// 0.06 (all of it at 48 px and below): they show too little of their figure to tell a
// same-shape seal apart on equal terms. A near miss (0.3-0.5) is re-centred (up to twice) at
// the shift where the band-passed patches agree best (phase correlation), then tried at
// 0.94x and 1.06x about the centre; the best score counts.
double verifyCandidate(const std::vector<cv::Mat>& pyramid, const cv::Matx33d& templateToFrame,
                       const VerifyModel& model);

}  // namespace mengscan::vision::detail
