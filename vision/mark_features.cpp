#include "mark_features.hpp"

#include <algorithm>

namespace mengscan::vision::detail {

FeatureSet describe(const cv::Mat& gray, const FeatureParams& params, float toOutput,
                    const cv::Mat& mask) {
    FeatureSet out;
    if (gray.cols < 40 || gray.rows < 40) return out;
    // nlevels = 1: the caller builds the scale pyramid; ORB only finds and describes.
    // Large nfeatures: the grid below does the selection, not ORB's global ranking.
    auto orb =
        cv::ORB::create(100000, 1.2f, 1, 15, 0, 2, cv::ORB::HARRIS_SCORE, 31, params.fastThreshold);
    std::vector<cv::KeyPoint> all;
    orb->detect(gray, all, mask);
    if (all.empty()) return out;

    const int cols = (gray.cols + params.cellSize - 1) / params.cellSize;
    const int rows = (gray.rows + params.cellSize - 1) / params.cellSize;
    std::vector<std::vector<cv::KeyPoint>> cells(static_cast<size_t>(cols * rows));
    for (const auto& kp : all) {
        const int cx = std::min(cols - 1, static_cast<int>(kp.pt.x) / params.cellSize);
        const int cy = std::min(rows - 1, static_cast<int>(kp.pt.y) / params.cellSize);
        cells[static_cast<size_t>(cy * cols + cx)].push_back(kp);
    }
    std::vector<cv::KeyPoint> kept;
    for (auto& cell : cells) {
        const size_t n = std::min(cell.size(), static_cast<size_t>(params.perCell));
        std::partial_sort(
            cell.begin(), cell.begin() + static_cast<long>(n), cell.end(),
            [](const cv::KeyPoint& a, const cv::KeyPoint& b) { return a.response > b.response; });
        kept.insert(kept.end(), cell.begin(), cell.begin() + static_cast<long>(n));
    }
    if (static_cast<int>(kept.size()) > params.maxFeatures) {
        cv::KeyPointsFilter::retainBest(kept, params.maxFeatures);
    }
    orb->compute(gray, kept, out.descriptors);
    out.points.reserve(kept.size());
    for (const auto& kp : kept) out.points.emplace_back(kp.pt.x * toOutput, kp.pt.y * toOutput);
    return out;
}

}  // namespace mengscan::vision::detail
