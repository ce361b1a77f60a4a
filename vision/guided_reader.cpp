#include "mengscan/vision/guided_reader.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "mengscan/vision/mat_adapter.hpp"

namespace mengscan::vision {
namespace {

// Around the mark: a label puts the code beside the mark at a similar size, on any side.
constexpr double kMarkNeighbourhood = 2.2;  // mark sizes on each side of the mark's box
constexpr double kTargetMarkPx = 110;       // region rescaled so the mark is about this wide
constexpr int kCodeRegionDownscale = 4;

struct Region {
    cv::Rect box;      // frame px
    double scale = 1;  // resize factor before decoding
    const char* name;
};

double markSize(const Quad& q) {
    double s = 0;
    for (size_t i = 0; i < 4; ++i) {
        const PointF a = q[i], b = q[(i + 1) % 4];
        s += std::hypot(a.x - b.x, a.y - b.y);
    }
    return s / 4;
}

std::vector<DecodedCode> decodeRegion(const CodeReader& reader, const cv::Mat& gray,
                                      const Region& r) {
    cv::Mat pixels = gray(r.box);
    if (r.scale != 1.0) {
        cv::Mat scaled;
        cv::resize(pixels, scaled, cv::Size(), r.scale, r.scale,
                   r.scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
        pixels = scaled;
    } else if (!pixels.isContinuous()) {
        pixels = pixels.clone();
    }
    std::vector<DecodedCode> codes = reader.read(viewOf(pixels));
    for (auto& c : codes) {
        for (auto& p : c.quad) {
            p.x = static_cast<float>(p.x / r.scale + r.box.x);
            p.y = static_cast<float>(p.y / r.scale + r.box.y);
        }
        c.pass = std::string(r.name) + "/" + c.pass;
    }
    return codes;
}

// Dense, high-contrast, roughly square blobs at 1/4 size: where a 2D code may be.
std::vector<Region> codeLikeRegions(const cv::Mat& gray, int maxRegions) {
    std::vector<Region> out;
    cv::Mat small, grad, bin;
    cv::resize(gray, small,
               cv::Size(gray.cols / kCodeRegionDownscale, gray.rows / kCodeRegionDownscale), 0, 0,
               cv::INTER_AREA);
    cv::morphologyEx(small, grad, cv::MORPH_GRADIENT, cv::Mat());
    cv::threshold(grad, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(bin, bin, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8, CV_32S);
    struct Scored {
        Region region;
        double density;
    };
    std::vector<Scored> scored;
    for (int i = 1; i < n; ++i) {
        const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
        const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        const int area = stats.at<int>(i, cv::CC_STAT_AREA);
        if (w < 6 || h < 6 || w > small.cols / 2 || h > small.rows / 2) continue;
        const double aspect = static_cast<double>(std::max(w, h)) / std::min(w, h);
        const double density = static_cast<double>(area) / (w * h);
        if (aspect > 2.0 || density < 0.45) continue;
        const int k = kCodeRegionDownscale;
        const int pad = std::max(w, h) * k / 3;
        Region r;
        r.box = cv::Rect(x * k - pad, y * k - pad, w * k + 2 * pad, h * k + 2 * pad) &
                cv::Rect(0, 0, gray.cols, gray.rows);
        // A code of ~25-45 modules decodes well at ~4 px per module: aim for ~180 px.
        const double side = std::max(w, h) * k;
        r.scale = std::clamp(180.0 / side, 0.5, 3.0);
        if (std::abs(r.scale - 1.0) < 0.2) r.scale = 1.0;
        r.name = "code-region";
        scored.push_back({r, density * std::sqrt(static_cast<double>(area))});
    }
    std::sort(scored.begin(), scored.end(),
              [](const Scored& a, const Scored& b) { return a.density > b.density; });
    for (const auto& s : scored) {
        if (static_cast<int>(out.size()) >= maxRegions) break;
        out.push_back(s.region);
    }
    return out;
}

}  // namespace

std::vector<DecodedCode> readCodesGuided(const CodeReader& reader, const cv::Mat& gray,
                                         const MarkDetection* mark,
                                         const GuidedReadOptions& options) {
    std::vector<DecodedCode> none;
    if (gray.empty() || gray.type() != CV_8UC1) return none;
    try {
        std::vector<Region> regions;
        if (options.markRegion && mark != nullptr && mark->found) {
            const double size = std::max(8.0, markSize(mark->quad));
            float x0 = mark->quad[0].x, x1 = x0, y0 = mark->quad[0].y, y1 = y0;
            for (const auto& p : mark->quad) {
                x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
                y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
            }
            const double m = kMarkNeighbourhood * size;
            Region r;
            r.box = cv::Rect(cvRound(x0 - m), cvRound(y0 - m), cvRound(x1 - x0 + 2 * m),
                             cvRound(y1 - y0 + 2 * m)) &
                    cv::Rect(0, 0, gray.cols, gray.rows);
            r.scale = std::clamp(kTargetMarkPx / size, 0.35, 2.5);
            if (std::abs(r.scale - 1.0) < 0.2) r.scale = 1.0;
            r.name = "mark-region";
            if (r.box.width >= 16 && r.box.height >= 16) regions.push_back(r);
        }
        if (options.codeRegions) {
            for (const auto& r : codeLikeRegions(gray, options.maxCodeRegions))
                regions.push_back(r);
        }
        for (const auto& r : regions) {
            std::vector<DecodedCode> codes = decodeRegion(reader, gray, r);
            const bool anyValid = std::any_of(codes.begin(), codes.end(),
                                              [](const DecodedCode& c) { return c.ok(); });
            if (anyValid) return codes;
        }
    } catch (const cv::Exception&) {
        // A failed region costs only itself; the whole frame is still tried below.
    }
    if (!options.wholeFrame) return none;
    const cv::Mat whole = gray.isContinuous() ? gray : gray.clone();
    if (options.wholeFrameEnhance || !reader.options().enhance) return reader.read(viewOf(whole));
    ReaderOptions plainOnly = reader.options();
    plainOnly.enhance = false;
    const CodeReader plain(plainOnly);
    std::vector<DecodedCode> codes = plain.read(viewOf(whole));
    const bool anyValid =
        std::any_of(codes.begin(), codes.end(), [](const DecodedCode& c) { return c.ok(); });
    if (anyValid || !options.wholeFrameUpscale) return codes;
    // Small codes (1-2 px per module) the regions missed: the one extra pass that reads them.
    try {
        return decodeRegion(plain, whole,
                            Region{cv::Rect(0, 0, whole.cols, whole.rows), 2.0, "upscale-2x"});
    } catch (const cv::Exception&) {
        return codes;
    }
}

}  // namespace mengscan::vision
