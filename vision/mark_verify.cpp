#include "mark_verify.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace mengscan::vision::detail {
namespace {

constexpr int kCanonical = 72;  // long side of the canonical patch
constexpr int kGrid = 4;        // 4x4 blocks for the trimmed block correlation
constexpr double kBlurSigma = 1.2;

cv::Mat toGrayF(const cv::Mat& bgr) {
    cv::Mat gray, f;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    gray.convertTo(f, CV_32F);
    return f;
}

// Correlation of a and b over the pixels of one block; NaN when a block is flat.
struct Moments {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
    void add(double a, double b) {
        sa += a, sb += b, saa += a * a, sbb += b * b, sab += a * b, n += 1;
    }
    double ncc() const {
        if (n < 4) return std::nan("");
        const double va = saa - sa * sa / n, vb = sbb - sb * sb / n;
        if (va < 1e-6 * n || vb < 1e-6 * n) return std::nan("");
        return (sab - sa * sb / n) / std::sqrt(va * vb);
    }
};

}  // namespace

VerifyModel makeVerifyModel(const MarkTemplate& t) {
    VerifyModel m;
    m.fromTemplate = static_cast<double>(kCanonical) / std::max(t.bgr.cols, t.bgr.rows);
    m.size = cv::Size(std::max(8, static_cast<int>(std::lround(t.bgr.cols * m.fromTemplate))),
                      std::max(8, static_cast<int>(std::lround(t.bgr.rows * m.fromTemplate))));
    cv::Mat small, maskSmall;
    cv::resize(t.bgr, small, m.size, 0, 0, cv::INTER_AREA);
    cv::resize(t.mask, maskSmall, m.size, 0, 0, cv::INTER_AREA);
    m.gray = toGrayF(small);
    cv::GaussianBlur(m.gray, m.gray, cv::Size(0, 0), kBlurSigma);
    // Erode: the rim mixes mark and whatever it is printed on.
    cv::erode(maskSmall >= 250, m.mask, cv::Mat(), cv::Point(-1, -1), 1);
    m.grid = cv::Mat(m.size, CV_32S, cv::Scalar(-1));
    m.blocks = kGrid * kGrid;
    for (int y = 0; y < m.size.height; ++y) {
        for (int x = 0; x < m.size.width; ++x) {
            if (!m.mask.at<uint8_t>(y, x)) continue;
            m.grid.at<int>(y, x) = (y * kGrid / m.size.height) * kGrid + x * kGrid / m.size.width;
        }
    }
    return m;
}

double verifyCandidate(const std::vector<cv::Mat>& pyramid, const cv::Matx33d& templateToFrame,
                       const VerifyModel& model) {
    // Patch scale: frame px per canonical px, from the mapped width of the template.
    const cv::Matx33d canonToTemplate(1 / model.fromTemplate, 0, 0, 0, 1 / model.fromTemplate, 0,
                                      0, 0, 1);
    const cv::Matx33d canonToFrame = templateToFrame * canonToTemplate;
    std::vector<cv::Point2f> corners = {{0, 0},
                                        {static_cast<float>(model.size.width), 0},
                                        {static_cast<float>(model.size.width),
                                         static_cast<float>(model.size.height)},
                                        {0, static_cast<float>(model.size.height)}};
    std::vector<cv::Point2f> mapped;
    cv::perspectiveTransform(corners, mapped, cv::Mat(canonToFrame));
    const double frameWidth =
        (cv::norm(mapped[1] - mapped[0]) + cv::norm(mapped[2] - mapped[3])) / 2;
    // Pick the pyramid level at which the patch is at least as large as the canonical one.
    int level = 0;
    double pxPerCanon = frameWidth / model.size.width;
    while (level + 1 < static_cast<int>(pyramid.size()) && pxPerCanon >= 2.0) {
        ++level;
        pxPerCanon /= 2;
    }
    const double s = 1.0 / (1 << level);
    const cv::Matx33d toLevel(s, 0, 0, 0, s, 0, 0, 0, 1);
    cv::Mat patch;
    cv::warpPerspective(pyramid[static_cast<size_t>(level)], patch, cv::Mat(toLevel * canonToFrame),
                        model.size, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
    cv::Mat f;
    patch.convertTo(f, CV_32F);
    cv::GaussianBlur(f, f, cv::Size(0, 0), kBlurSigma);

    // Correlation per block, then the mean of the best three quarters: a glare spot or a
    // finger over one part costs a few blocks, not the whole mark.
    std::vector<Moments> blocks(static_cast<size_t>(model.blocks));
    Moments all;
    for (int y = 0; y < model.size.height; ++y) {
        const float* a = model.gray.ptr<float>(y);
        const float* b = f.ptr<float>(y);
        const int* g = model.grid.ptr<int>(y);
        for (int x = 0; x < model.size.width; ++x) {
            if (g[x] < 0) continue;
            blocks[static_cast<size_t>(g[x])].add(a[x], b[x]);
            all.add(a[x], b[x]);
        }
    }
    std::vector<double> scores;
    for (const auto& b : blocks) {
        const double v = b.ncc();
        // A flat block in the template carries no evidence either way; skip it.
        if (!std::isnan(v)) scores.push_back(v);
    }
    const double global = all.ncc();
    if (scores.size() < 4 || std::isnan(global)) return 0.0;
    std::sort(scores.begin(), scores.end(), std::greater<double>());
    const size_t keep = std::max<size_t>(1, scores.size() * 3 / 4);
    double sum = 0;
    for (size_t i = 0; i < keep; ++i) sum += scores[i];
    const double trimmed = sum / static_cast<double>(keep);
    return std::clamp(0.5 * trimmed + 0.5 * global, 0.0, 1.0);
}

}  // namespace mengscan::vision::detail
