#include "mark_colour.hpp"

#include <algorithm>
#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>

namespace mengscan::vision::detail {
namespace {

constexpr int kMinSat = 60;  // below this a pixel is grey: no hue evidence
constexpr int kMinVal = 35;
constexpr int kHueSpread = 10;  // +-OpenCV hue units (20 degrees): white balance, ageing ink
constexpr int kDownscale = 4;

constexpr size_t kMaxVectorRanges = 4;  // hue ranges the vector loop tests; more: per pixel

// The wanted hues (255 entries of a 180-entry table) as inclusive ranges.
std::vector<std::pair<uint8_t, uint8_t>> hueRanges(const uint8_t* hues) {
    std::vector<std::pair<uint8_t, uint8_t>> out;
    for (int h = 0; h < 180; ++h) {
        if (!hues[h]) continue;
        if (!out.empty() && out.back().second == h - 1)
            out.back().second = static_cast<uint8_t>(h);
        else
            out.emplace_back(static_cast<uint8_t>(h), static_cast<uint8_t>(h));
    }
    return out;
}

// 255 where a BGR pixel has a hue (saturation >= kMinSat, value >= kMinVal) and, when
// `hues` is given (180 entries, 255 = wanted), one of those hues: one pass over the HSV
// image instead of split + LUT + inRange + and; 16 pixels at a time where the wanted hues
// are a few ranges (the same result as per pixel, ~0.2 ms less a frame).
cv::Mat hueMask(const cv::Mat& bgr, const uint8_t* hues) {
    cv::Mat hsv;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
    cv::Mat out(bgr.size(), CV_8U);
    const auto ranges =
        hues != nullptr ? hueRanges(hues) : std::vector<std::pair<uint8_t, uint8_t>>{};
    for (int y = 0; y < hsv.rows; ++y) {
        const uint8_t* p = hsv.ptr<uint8_t>(y);
        uint8_t* o = out.ptr<uint8_t>(y);
        int x = 0;
#if CV_SIMD128
        if (ranges.size() <= kMaxVectorRanges) {
            const cv::v_uint8x16 minSat = cv::v_setall_u8(kMinSat),
                                 minVal = cv::v_setall_u8(kMinVal);
            for (; x + 16 <= hsv.cols; x += 16) {
                cv::v_uint8x16 h, sat, val;
                cv::v_load_deinterleave(p + 3 * x, h, sat, val);
                cv::v_uint8x16 hit = (sat >= minSat) & (val >= minVal);
                if (hues != nullptr) {
                    cv::v_uint8x16 wanted = cv::v_setzero_u8();
                    for (const auto& r : ranges)
                        wanted |=
                            (h >= cv::v_setall_u8(r.first)) & (h <= cv::v_setall_u8(r.second));
                    hit &= wanted;
                }
                cv::v_store(o + x, hit);
            }
        }
#endif
        for (p += 3 * x; x < hsv.cols; ++x, p += 3) {
            const bool chromatic = p[1] >= kMinSat && p[2] >= kMinVal;
            o[x] = chromatic ? (hues != nullptr ? hues[p[0]] : 255) : 0;
        }
    }
    return out;
}

}  // namespace

ColourModel makeColourModel(const cv::Mat& bgr, const cv::Mat& mask) {
    ColourModel m;
    cv::Mat hsv;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
    std::vector<double> hist(180, 0.0);
    int chromatic = 0, inside = 0;
    cv::Rect box;
    bool first = true;
    for (int y = 0; y < hsv.rows; ++y) {
        for (int x = 0; x < hsv.cols; ++x) {
            if (!mask.at<uint8_t>(y, x)) continue;
            ++inside;
            const auto p = hsv.at<cv::Vec3b>(y, x);
            if (p[1] < kMinSat + 30 || p[2] < kMinVal) continue;
            ++chromatic;
            hist[p[0]] += 1;
            const cv::Rect px(x, y, 1, 1);
            box = first ? px : (box | px);
            first = false;
        }
    }
    // Under a tenth of the artwork in colour: colour says little about where it is.
    if (inside == 0 || chromatic < inside / 10) return m;
    // Keep the hues that carry real mass, spread by the tolerance (hue is circular).
    const double peak = *std::max_element(hist.begin(), hist.end());
    m.hues = cv::Mat::zeros(1, 180, CV_8U);
    for (int h = 0; h < 180; ++h) {
        if (hist[static_cast<size_t>(h)] < peak * 0.05) continue;
        for (int d = -kHueSpread; d <= kHueSpread; ++d)
            m.hues.at<uint8_t>((h + d + 180) % 180) = 255;
    }
    m.extentRatio = static_cast<double>(std::max(bgr.cols, bgr.rows)) /
                    std::max(1, std::max(box.width, box.height));
    m.fill = static_cast<double>(chromatic) / box.area();
    m.aspect = static_cast<double>(box.width) / box.height;
    m.usable = true;
    return m;
}

cv::Mat chromaticMask(const cv::Mat& bgr) {
    return hueMask(bgr, nullptr);
}

cv::Mat colourMask(const cv::Mat& bgr, const ColourModel& model) {
    cv::Mat hit = hueMask(bgr, model.hues.ptr<uint8_t>());
    cv::morphologyEx(hit, hit, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
    return hit;
}

std::vector<Proposal> proposeRegions(const cv::Mat& frameBgr, const ColourModel& model,
                                     double minMarkPx, double maxMarkPx, int maxProposals) {
    std::vector<Proposal> out;
    if (!model.usable || frameBgr.channels() != 3) return out;
    cv::Mat small;
    cv::resize(frameBgr, small, cv::Size(frameBgr.cols / kDownscale, frameBgr.rows / kDownscale), 0,
               0, cv::INTER_AREA);
    cv::Mat hit = colourMask(small, model);
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(hit, labels, stats, centroids, 8, CV_32S);
    for (int i = 1; i < n; ++i) {
        const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        const int area = stats.at<int>(i, cv::CC_STAT_AREA);
        const double markPx = std::max(w, h) * kDownscale * model.extentRatio;
        if (markPx < minMarkPx * 0.5 || markPx > maxMarkPx * 1.5) continue;
        // A mark's coloured part is compact: it fills a fair share of its box.
        if (area < 6 || area < 0.12 * w * h) continue;
        const float cx = static_cast<float>(stats.at<int>(i, cv::CC_STAT_LEFT) + w / 2.0);
        const float cy = static_cast<float>(stats.at<int>(i, cv::CC_STAT_TOP) + h / 2.0);
        // Rank by likeness: fill and aspect close to the template's coloured part (a
        // tilt changes the aspect by up to ~1.4), then size (more pixels, surer blob).
        const double fill = static_cast<double>(area) / (w * h);
        const double aspect = static_cast<double>(w) / h / model.aspect;
        const double aspectPenalty = std::abs(std::log(aspect));
        const double likeness = 1.0 - std::abs(fill - model.fill) - 0.5 * aspectPenalty +
                                0.05 * std::log(static_cast<double>(area));
        out.push_back({cv::Point2f(cx, cy) * static_cast<float>(kDownscale), markPx, likeness});
    }
    std::sort(out.begin(), out.end(),
              [](const Proposal& a, const Proposal& b) { return a.strength > b.strength; });
    if (static_cast<int>(out.size()) > maxProposals) out.resize(static_cast<size_t>(maxProposals));
    return out;
}

}  // namespace mengscan::vision::detail
