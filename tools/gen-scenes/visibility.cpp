#include "visibility.hpp"

#include <opencv2/imgproc.hpp>

namespace mengscan::scenes {

double inkWashedOut(const cv::Mat& frameBgr, const Artwork& art, const QuadF& quad) {
    cv::Mat gray, ink;
    cv::cvtColor(art.bgr, gray, cv::COLOR_BGR2GRAY);
    ink = (art.alpha > 128) & (gray < 200);
    const float w = static_cast<float>(art.bgr.cols), h = static_cast<float>(art.bgr.rows);
    const std::vector<cv::Point2f> corners = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    const std::vector<cv::Point2f> mapped(quad.begin(), quad.end());
    const cv::Mat H = cv::getPerspectiveTransform(corners, mapped);
    cv::Mat inkInFrame, frameGray;
    cv::warpPerspective(ink, inkInFrame, H, frameBgr.size(), cv::INTER_NEAREST);
    cv::cvtColor(frameBgr, frameGray, cv::COLOR_BGR2GRAY);
    const int total = cv::countNonZero(inkInFrame);
    if (total == 0) return 0;
    const int washed = cv::countNonZero(inkInFrame & (frameGray >= 240));
    return static_cast<double>(washed) / total;
}

}  // namespace mengscan::scenes
