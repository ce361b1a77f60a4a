// Puts a flat printed surface (label, or packaging with the label) into the frame as a
// camera sees it: in-plane rotation, tilt of the plane (perspective) about any axis, and
// scale; the label part always ends up wholly inside the frame.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

namespace mengscan::scenes {

using QuadF = std::array<cv::Point2f, 4>;

struct PoseParams {
    double rotationDeg = 0;
    double tiltDeg = 0;      // angle between the surface and the image plane
    double tiltAxisDeg = 0;  // direction of the tilt axis in the surface
    double focalPx = 1200;   // virtual camera focal length (perspective strength)
};

struct Placement {
    double scale = 1;  // surface pixels -> frame pixels at the label's centre
    cv::Matx33d homography = cv::Matx33d::eye();  // surface pixels -> frame pixels
    nlohmann::ordered_json json;                  // the pose, for the ground truth
    cv::Point2f map(cv::Point2f surfacePoint) const;
};

// Draws `surface` into `frame` (over what is there). `keep` (surface pixels) must end up
// inside the frame: the scale is reduced from `scale` until it fits; `shift` in [0,1]^2
// picks where in the remaining free room it goes.
Placement placeSurface(const cv::Mat& surface, const QuadF& keep, double scale,
                       const PoseParams& pose, cv::Size frameSize, cv::Point2d shift,
                       cv::Mat& frame);

}  // namespace mengscan::scenes
