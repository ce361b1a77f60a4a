#include "scene_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace mengscan::scenes {
namespace {

constexpr double kDeg = M_PI / 180;
constexpr int kMargin = 6;              // label keeps this far from the frame border
constexpr double kMaxSurfacePx = 2000;  // larger surfaces are cropped around the label

// Surface point -> frame point (before the final shift): scale about the pivot, tilt the
// plane about an in-plane axis (Rodrigues), project with a pinhole camera, rotate.
cv::Point2d project(cv::Point2d p, cv::Point2d pivot, double scale, const PoseParams& pose) {
    const double x = (p.x - pivot.x) * scale, y = (p.y - pivot.y) * scale;
    const double ca = std::cos(pose.tiltAxisDeg * kDeg), sa = std::sin(pose.tiltAxisDeg * kDeg);
    const double ct = std::cos(pose.tiltDeg * kDeg), st = std::sin(pose.tiltDeg * kDeg);
    const double kv = ca * x + sa * y;
    const double X = x * ct + ca * kv * (1 - ct);
    const double Y = y * ct + sa * kv * (1 - ct);
    const double Z = (ca * y - sa * x) * st;
    const double depth = std::max(pose.focalPx + Z, 0.2 * pose.focalPx);
    const double u = pose.focalPx * X / depth, v = pose.focalPx * Y / depth;
    const double cr = std::cos(pose.rotationDeg * kDeg), sr = std::sin(pose.rotationDeg * kDeg);
    return {u * cr - v * sr, u * sr + v * cr};
}

}  // namespace

cv::Point2f Placement::map(cv::Point2f p) const {
    const cv::Vec3d q = homography * cv::Vec3d(p.x, p.y, 1.0);
    return {static_cast<float>(q[0] / q[2]), static_cast<float>(q[1] / q[2])};
}

Placement placeSurface(const cv::Mat& surface, const QuadF& keep, double scale,
                       const PoseParams& pose, cv::Size frameSize, cv::Point2d shift,
                       cv::Mat& frame) {
    cv::Point2d pivot(0, 0);
    for (const auto& p : keep) pivot += cv::Point2d(p) * 0.25;
    const double startScale = scale;
    cv::Rect2d box;
    for (int attempt = 0; attempt < 60; ++attempt) {
        double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
        for (const auto& p : keep) {
            const cv::Point2d q = project(p, pivot, scale, pose);
            x0 = std::min(x0, q.x), y0 = std::min(y0, q.y);
            x1 = std::max(x1, q.x), y1 = std::max(y1, q.y);
        }
        box = cv::Rect2d(x0, y0, x1 - x0, y1 - y0);
        if (box.width <= frameSize.width - 2 * kMargin &&
            box.height <= frameSize.height - 2 * kMargin)
            break;
        scale *= 0.92;
    }
    const double txLo = kMargin - box.x, txHi = frameSize.width - kMargin - box.br().x;
    const double tyLo = kMargin - box.y, tyHi = frameSize.height - kMargin - box.br().y;
    const cv::Point2d t(txLo + shift.x * std::max(0.0, txHi - txLo),
                        tyLo + shift.y * std::max(0.0, tyHi - tyLo));

    // Crop huge surfaces around the label (the far-away rest would be off-frame anyway).
    const double maxSide = kMaxSurfacePx / scale;
    cv::Rect crop(
        cv::Point(static_cast<int>(pivot.x - maxSide / 2), static_cast<int>(pivot.y - maxSide / 2)),
        cv::Size(static_cast<int>(maxSide), static_cast<int>(maxSide)));
    crop &= cv::Rect(0, 0, surface.cols, surface.rows);

    cv::Mat scaled;
    const cv::Size scaledSize(std::max(1, static_cast<int>(std::lround(crop.width * scale))),
                              std::max(1, static_cast<int>(std::lround(crop.height * scale))));
    cv::resize(surface(crop), scaled, scaledSize, 0, 0,
               scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    const double fx = static_cast<double>(scaledSize.width) / crop.width;
    const double fy = static_cast<double>(scaledSize.height) / crop.height;

    std::vector<cv::Point2f> src, dst, surf;
    for (const cv::Point2d corner :
         {cv::Point2d(crop.x, crop.y), cv::Point2d(crop.br().x, crop.y),
          cv::Point2d(crop.br().x, crop.br().y), cv::Point2d(crop.x, crop.br().y)}) {
        src.emplace_back(static_cast<float>((corner.x - crop.x) * fx),
                         static_cast<float>((corner.y - crop.y) * fy));
        surf.emplace_back(corner);
        dst.emplace_back(project(corner, pivot, scale, pose) + t);
    }
    const cv::Mat warp = cv::getPerspectiveTransform(src, dst);
    cv::warpPerspective(scaled, frame, warp, frameSize, cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);

    Placement placed;
    placed.scale = scale;
    placed.homography = cv::Matx33d(cv::getPerspectiveTransform(surf, dst));
    placed.json = {{"rotation_deg", std::round(pose.rotationDeg * 100) / 100},
                   {"tilt_deg", std::round(pose.tiltDeg * 100) / 100},
                   {"tilt_axis_deg", std::round(pose.tiltAxisDeg * 100) / 100},
                   {"focal_px", std::round(pose.focalPx)},
                   {"scale", std::round(scale * 10000) / 10000},
                   {"shrunk_to_fit", scale < startScale}};
    return placed;
}

}  // namespace mengscan::scenes
