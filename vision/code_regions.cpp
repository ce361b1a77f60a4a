#include "code_regions.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace mengscan::vision::detail {
namespace {

constexpr int kCodeRegionDownscale = 4;
// The code-likeness test: squares of a label's largest code size (mark widths), sampled on
// a grid, each sample against neighbours about a module of a 25-module code away.
constexpr double kLikenessSide = 1.3;
constexpr int kLikenessGrid = 24;
constexpr double kModule = 0.04;

// The mark's homography: mark widths on the label plane (the mark spans 0..1 across,
// 0..1/aspect down) -> frame px.
cv::Matx33d markToFrame(const MarkDetection& mark, double* heightInWidths) {
    const float h = static_cast<float>(1.0 / std::max(0.1, mark.aspect));
    const std::vector<cv::Point2f> unit = {{0, 0}, {1, 0}, {1, h}, {0, h}};
    std::vector<cv::Point2f> quad;
    for (const auto& p : mark.quad) quad.emplace_back(p.x, p.y);
    *heightInWidths = h;
    return cv::Matx33d(cv::getPerspectiveTransform(unit, quad));
}

// A square of `side` mark widths centred `offset` mark widths from the mark's centre along
// direction k of besideMark's order, at `pxPerWidth`: region px -> frame px.
cv::Matx33d squareToFrame(const cv::Matx33d& unitToFrame, double height, int k, double offset,
                          double side, double pxPerWidth) {
    static constexpr double kAlong[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    const double x0 = 0.5 + kAlong[k][0] * offset - side / 2;
    const double y0 = height / 2 + kAlong[k][1] * offset - side / 2;
    return unitToFrame * cv::Matx33d(1 / pxPerWidth, 0, x0, 0, 1 / pxPerWidth, y0, 0, 0, 1);
}

// The label plane through `toFrame` (region px -> frame px) at side x side px. A region far
// smaller in the frame than in px is first decimated by a whole factor (INTER_AREA), so a
// large code's modules do not alias.
cv::Mat rectify(const cv::Mat& gray, const cv::Matx33d& toFrame, int side) {
    const float s = static_cast<float>(side);
    const std::vector<cv::Point2f> corners = {{0, 0}, {s, 0}, {s, s}, {0, s}};
    std::vector<cv::Point2f> inFrame;
    cv::perspectiveTransform(corners, inFrame, cv::Matx33f(toFrame));
    cv::Rect box = cv::boundingRect(inFrame) & cv::Rect(0, 0, gray.cols, gray.rows);
    if (box.width < 8 || box.height < 8) return {};
    double reach = 0;  // frame px along the region's longest side
    for (size_t i = 0; i < 4; ++i)
        reach = std::max(reach, static_cast<double>(cv::norm(inFrame[i] - inFrame[(i + 1) % 4])));
    const int factor = std::max(1, static_cast<int>(reach / side));
    if (factor >= 2) {
        // A whole multiple of the factor: INTER_AREA's fast path (a fractional factor
        // costs as much as decoding).
        box.width -= box.width % factor;
        box.height -= box.height % factor;
    }
    cv::Mat source = gray(box);
    cv::Matx33d toSource(1, 0, -box.x, 0, 1, -box.y, 0, 0, 1);
    if (factor >= 2 && box.width >= 2 * factor && box.height >= 2 * factor) {
        cv::Mat small;
        cv::resize(source, small, cv::Size(box.width / factor, box.height / factor), 0, 0,
                   cv::INTER_AREA);
        source = small;
        toSource = cv::Matx33d(1.0 / factor, 0, 0, 0, 1.0 / factor, 0, 0, 0, 1) * toSource;
    }
    // Outside the frame: white, a quiet zone rather than a false edge.
    cv::Mat out;
    cv::warpPerspective(source, out, toSource * toFrame, cv::Size(side, side),
                        cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT,
                        cv::Scalar(255));
    return out;
}

// Pixels of a frame region at its decoding scale. Downscaling is by a whole factor
// (INTER_AREA's fast path: a fractional factor costs as much as decoding); r.scale is set
// to the factor really used.
cv::Mat framePixels(const cv::Mat& gray, CodeRegion& r) {
    const cv::Mat pixels = gray(r.box);  // a view: ZXing-cpp takes the row stride
    if (r.scale > 1.0) {
        // Cubic, not linear: linear upscaling lost 4 of 150 reads on the 300-scene set.
        cv::Mat scaled;
        cv::resize(pixels, scaled, cv::Size(), r.scale, r.scale, cv::INTER_CUBIC);
        return scaled;
    }
    const int factor = static_cast<int>(std::lround(1.0 / r.scale));
    r.scale = 1.0;
    if (factor < 2) return pixels;
    cv::Mat scaled;
    cv::resize(pixels, scaled, cv::Size(pixels.cols / factor, pixels.rows / factor), 0, 0,
               cv::INTER_AREA);
    r.scale = static_cast<double>(scaled.cols) / pixels.cols;
    return scaled;
}

double regionScale(double targetPx, double size) {
    const double scale = std::clamp(targetPx / size, 0.35, 2.5);
    return std::abs(scale - 1.0) < 0.2 ? 1.0 : scale;
}

}  // namespace

const cv::Mat& regionPixels(const cv::Mat& gray, CodeRegion& r) {
    if (r.pixels.empty()) r.pixels = r.warp ? rectify(gray, *r.warp, r.side) : framePixels(gray, r);
    return r.pixels;
}

std::vector<DecodedCode> toFrame(std::vector<DecodedCode> codes, const CodeRegion& r) {
    for (auto& c : codes) {
        for (auto& p : c.quad) {
            if (r.warp) {
                const cv::Vec3d q = *r.warp * cv::Vec3d(p.x, p.y, 1);
                p.x = static_cast<float>(q[0] / q[2]);
                p.y = static_cast<float>(q[1] / q[2]);
            } else {
                p.x = static_cast<float>(p.x / r.scale + r.box.x);
                p.y = static_cast<float>(p.y / r.scale + r.box.y);
            }
        }
        c.pass = std::string(r.name) + "/" + c.pass;
    }
    return codes;
}

double markSize(const Quad& q) {
    double s = 0;
    for (size_t i = 0; i < 4; ++i) {
        const PointF a = q[i], b = q[(i + 1) % 4];
        s += std::hypot(a.x - b.x, a.y - b.y);
    }
    return s / 4;
}

CodeRegion markNeighbourhood(const cv::Mat& gray, const MarkDetection& mark,
                             const GuidedReadOptions& options) {
    const double size = std::max(8.0, markSize(mark.quad));
    float x0 = mark.quad[0].x, x1 = x0, y0 = mark.quad[0].y, y1 = y0;
    for (const auto& p : mark.quad) {
        x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    const double m = options.markNeighbourhood * size;
    CodeRegion r;
    r.box = cv::Rect(cvRound(x0 - m), cvRound(y0 - m), cvRound(x1 - x0 + 2 * m),
                     cvRound(y1 - y0 + 2 * m)) &
            cv::Rect(0, 0, gray.cols, gray.rows);
    r.scale = regionScale(options.markTargetPx, size);
    r.name = "mark-region";
    return r;
}

// Frame boxes: the code, not the mark, at the centre: ZXing-cpp 1.4's DataMatrix detector
// starts its search at the image centre, and with the mark there it missed rectangular
// DataMatrix codes it reads at once from a crop (8 more reads of 222 on the 300-scene set).
std::vector<CodeRegion> besideMark(const cv::Mat& gray, const MarkDetection& mark,
                                   const GuidedReadOptions& options, bool rectified) {
    std::vector<CodeRegion> out;
    const double size = std::max(8.0, markSize(mark.quad));
    if (rectified) {
        double height = 1;
        const cv::Matx33d unitToFrame = markToFrame(mark, &height);
        for (int k = 0; k < 4; ++k) {
            CodeRegion r;
            r.side = static_cast<int>(std::lround(options.besideSide * options.rectifiedTargetPx));
            r.warp = squareToFrame(unitToFrame, height, k, options.besideOffset, options.besideSide,
                                   options.rectifiedTargetPx);
            r.name = "beside-mark-rectified";
            r.tryRotate = false;  // upright: the mark's own orientation
            out.push_back(r);
        }
        return out;
    }
    PointF c{0, 0};
    for (const auto& p : mark.quad) c.x += p.x / 4, c.y += p.y / 4;
    const double ux = mark.quad[1].x - mark.quad[0].x, uy = mark.quad[1].y - mark.quad[0].y;
    const double n = std::max(1e-6, std::hypot(ux, uy));
    const double axes[4][2] = {
        {ux / n, uy / n}, {-ux / n, -uy / n}, {-uy / n, ux / n}, {uy / n, -ux / n}};
    for (const auto& a : axes) {
        const double offset = options.besideOffset * size;
        const double cx = c.x + a[0] * offset, cy = c.y + a[1] * offset;
        const double half = options.besideSide * size / 2;
        CodeRegion r;
        r.box =
            cv::Rect(cvRound(cx - half), cvRound(cy - half), cvRound(2 * half), cvRound(2 * half)) &
            cv::Rect(0, 0, gray.cols, gray.rows);
        r.scale = regionScale(options.markTargetPx, size);
        r.name = "beside-mark";
        out.push_back(r);  // kept when clipped away: the order is the directions'
    }
    return out;
}

std::vector<double> codeLikenessBeside(const cv::Mat& gray, const MarkDetection& mark,
                                       const GuidedReadOptions& options) {
    std::vector<double> out(4, 0.0);
    double height = 1;
    const cv::Matx33d unitToFrame = markToFrame(mark, &height);
    // The grey level at point (x, y) of a map into the frame; outside it, white paper.
    const auto at = [&](const cv::Matx33d& toFrame, double x, double y) -> double {
        const cv::Vec3d q = toFrame * cv::Vec3d(x, y, 1);
        if (!(q[2] > 0)) return 255;
        const int u = cvRound(q[0] / q[2]), v = cvRound(q[1] / q[2]);
        if (u < 0 || v < 0 || u >= gray.cols || v >= gray.rows) return 255;
        return gray.at<uint8_t>(v, u);
    };
    // The mark's own grey-level spread: what a code printed beside it, in the same light
    // and blur, shows at least.
    double sum = 0, sum2 = 0;
    for (int j = 0; j < kLikenessGrid; ++j) {
        for (int i = 0; i < kLikenessGrid; ++i) {
            const double v =
                at(unitToFrame, (i + 0.5) / kLikenessGrid, height * (j + 0.5) / kLikenessGrid);
            sum += v, sum2 += v * v;
        }
    }
    const double n = kLikenessGrid * kLikenessGrid;
    const double spread = std::sqrt(std::max(0.0, sum2 / n - (sum / n) * (sum / n)));
    // Sparse samples over each code-sized square (in mark widths from its corner), each
    // against its neighbours a module away across and down: a code's modules differ from
    // their neighbours about half the time, by its full contrast; paper and smooth
    // background hardly at all.
    const double step = kLikenessSide / kLikenessGrid;
    for (int k = 0; k < 4; ++k) {
        const cv::Matx33d square =
            squareToFrame(unitToFrame, height, k, options.besideOffset, kLikenessSide, 1.0);
        double change = 0;
        for (int j = 0; j < kLikenessGrid; ++j) {
            for (int i = 0; i < kLikenessGrid; ++i) {
                const double x = (i + 0.5) * step, y = (j + 0.5) * step;
                const double v = at(square, x, y);
                change += std::abs(v - at(square, x + kModule, y)) +
                          std::abs(v - at(square, x, y + kModule));
            }
        }
        out[static_cast<size_t>(k)] = change / (2 * n) / std::max(1.0, spread);
    }
    return out;
}

std::vector<CodeRegion> codeLikeRegions(const cv::Mat& gray, int maxRegions, double targetPx) {
    std::vector<CodeRegion> out;
    cv::Mat small, grad, bin;
    cv::resize(gray, small,
               cv::Size(gray.cols / kCodeRegionDownscale, gray.rows / kCodeRegionDownscale), 0, 0,
               cv::INTER_AREA);
    cv::morphologyEx(small, grad, cv::MORPH_GRADIENT, cv::Mat());
    cv::threshold(grad, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(bin, bin, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    cv::Mat labels, stats, centroids;
    // 16-bit labels (a 1/4-size frame has far fewer than 65536 blobs): half the memory
    // traffic, measured 0.4 -> 0.2 ms.
    const int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8, CV_16U);
    struct Scored {
        CodeRegion region;
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
        CodeRegion r;
        r.box = cv::Rect(x * k - pad, y * k - pad, w * k + 2 * pad, h * k + 2 * pad) &
                cv::Rect(0, 0, gray.cols, gray.rows);
        const double side = std::max(w, h) * k;
        r.scale = std::clamp(targetPx / side, 0.5, 3.0);
        if (std::abs(r.scale - 1.0) < 0.2) r.scale = 1.0;
        r.name = "code-region";
        r.tryHarder = true;
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

}  // namespace mengscan::vision::detail
