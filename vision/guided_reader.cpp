#include "mengscan/vision/guided_reader.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "mengscan/vision/mat_adapter.hpp"

namespace mengscan::vision {
namespace {

constexpr int kCodeRegionDownscale = 4;

struct Region {
    cv::Rect box;      // frame px
    double scale = 1;  // resize factor before decoding
    const char* name = "";
    bool tryHarder = false;
    cv::Mat pixels{};  // at `scale`, once made (regionPixels)
};

double markSize(const Quad& q) {
    double s = 0;
    for (size_t i = 0; i < 4; ++i) {
        const PointF a = q[i], b = q[(i + 1) % 4];
        s += std::hypot(a.x - b.x, a.y - b.y);
    }
    return s / 4;
}

bool anyValid(const std::vector<DecodedCode>& codes) {
    return std::any_of(codes.begin(), codes.end(), [](const DecodedCode& c) { return c.ok(); });
}

// A region's pixels at its decoding scale, made once and shared by all its passes.
// Downscaling is by a whole factor (INTER_AREA's fast path: a fractional factor costs as
// much as decoding); r.scale is set to the factor really used.
cv::Mat makePixels(const cv::Mat& gray, Region& r) {
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

const cv::Mat& regionPixels(const cv::Mat& gray, Region& r) {
    if (r.pixels.empty()) r.pixels = makePixels(gray, r);
    return r.pixels;
}

// Back to frame coordinates, pass named after the region.
std::vector<DecodedCode> toFrame(std::vector<DecodedCode> codes, const Region& r) {
    for (auto& c : codes) {
        for (auto& p : c.quad) {
            p.x = static_cast<float>(p.x / r.scale + r.box.x);
            p.y = static_cast<float>(p.y / r.scale + r.box.y);
        }
        c.pass = std::string(r.name) + "/" + c.pass;
    }
    return codes;
}

Region markRegion(const cv::Mat& gray, const MarkDetection& mark,
                  const GuidedReadOptions& options) {
    const double size = std::max(8.0, markSize(mark.quad));
    float x0 = mark.quad[0].x, x1 = x0, y0 = mark.quad[0].y, y1 = y0;
    for (const auto& p : mark.quad) {
        x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    const double m = options.markNeighbourhood * size;
    Region r;
    r.box = cv::Rect(cvRound(x0 - m), cvRound(y0 - m), cvRound(x1 - x0 + 2 * m),
                     cvRound(y1 - y0 + 2 * m)) &
            cv::Rect(0, 0, gray.cols, gray.rows);
    r.scale = std::clamp(options.markTargetPx / size, 0.35, 2.5);
    if (std::abs(r.scale - 1.0) < 0.2) r.scale = 1.0;
    r.name = "mark-region";
    return r;
}

// Squares beside the mark where a label's code sits: along the mark's own horizontal axis
// (its top edge: the label may be rotated) first, then along its vertical axis, so the
// code, not the mark, is at the centre: ZXing-cpp 1.4's DataMatrix detector starts its
// search at the image centre, and with the mark there it missed rectangular DataMatrix
// codes it reads at once from a crop (8 more reads of 222 on the 300-scene set).
std::vector<Region> besideMark(const cv::Mat& gray, const MarkDetection& mark,
                               const GuidedReadOptions& options) {
    const double size = std::max(8.0, markSize(mark.quad));
    PointF c{0, 0};
    for (const auto& p : mark.quad) c.x += p.x / 4, c.y += p.y / 4;
    const double ux = mark.quad[1].x - mark.quad[0].x, uy = mark.quad[1].y - mark.quad[0].y;
    const double n = std::max(1e-6, std::hypot(ux, uy));
    const double axes[4][2] = {
        {ux / n, uy / n}, {-ux / n, -uy / n}, {-uy / n, ux / n}, {uy / n, -ux / n}};
    std::vector<Region> out;
    for (const auto& a : axes) {
        const double offset = options.besideOffset * size;
        const double cx = c.x + a[0] * offset, cy = c.y + a[1] * offset;
        const double half = options.besideSide * size / 2;
        Region r;
        r.box =
            cv::Rect(cvRound(cx - half), cvRound(cy - half), cvRound(2 * half), cvRound(2 * half)) &
            cv::Rect(0, 0, gray.cols, gray.rows);
        if (r.box.width < 16 || r.box.height < 16) continue;
        r.scale = std::clamp(options.markTargetPx / size, 0.35, 2.5);
        if (std::abs(r.scale - 1.0) < 0.2) r.scale = 1.0;
        r.name = "beside-mark";
        out.push_back(r);
    }
    return out;
}

// Dense, high-contrast, roughly square blobs at 1/4 size: where a 2D code may be.
std::vector<Region> codeLikeRegions(const cv::Mat& gray, int maxRegions, double targetPx) {
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
    // 16-bit labels (a 1/4-size frame has far fewer than 65536 blobs): half the memory
    // traffic, measured 0.4 -> 0.2 ms.
    const int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8, CV_16U);
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

// Label formats the reader also reads; the reader's own when it reads none of them.
CodeFormats effectiveFormats(const CodeReader& reader, const GuidedReadOptions& options) {
    const CodeFormats both = reader.options().formats & options.labelFormats;
    return both != 0 ? both : reader.options().formats;
}

// The guided reader's stages in order of cost; each stops at the first valid symbol.
class GuidedRead {
public:
    GuidedRead(const CodeReader& reader, const cv::Mat& gray, const GuidedReadOptions& options)
        : reader_(reader), gray_(gray) {
        formats_ = effectiveFormats(reader, options);
        // One pass, no try-harder (denser row scan) or downscale: the region is already at
        // 2-4 px per module. tryRotate stays on: ZXing-cpp 1.4's DataMatrix detector then
        // searches all four directions (6 more reads of 222, +0.3 ms median).
        quick_.formats = formats_;
        quick_.tryRotate = true;
    }

    bool done() const { return anyValid(codes_); }
    std::vector<DecodedCode> result() {
        if (!done() && reader_.options().returnErrors) return failures_;
        return std::move(codes_);
    }

    // One region: a quick pass, an unsharp-masked quick pass, or the reader's whole chain.
    enum class How { Quick, Sharpened, Chain };
    void region(Region& r, How how) {
        cv::Mat pixels = regionPixels(gray_, r);
        if (how == How::Sharpened) pixels = sharpened(pixels);
        SinglePass pass = quick_;
        pass.name = how == How::Sharpened ? "sharpen" : "quick";
        // A code-like region is ~250 px: try-harder's denser scan costs nothing visible
        // there and read one rotated DataMatrix more (on the mark's region it read none).
        pass.tryHarder = r.tryHarder;
        const GrayView view = viewOf(pixels);
        take(toFrame(
            how == How::Chain ? reader_.read(view, formats_) : reader_.readOnce(view, pass), r));
    }

    void wholeFrame(double scale) {
        const Region whole{cv::Rect(0, 0, gray_.cols, gray_.rows), scale,
                           scale == 1.0 ? "whole-frame" : "whole-frame-upscaled"};
        if (scale == 1.0) {
            take(toFrame(reader_.readOnce(viewOf(gray_), quick_), whole));
            return;
        }
        cv::Mat scaled;
        cv::resize(gray_, scaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
        // Opt-in and for tiny codes (1-2 px per module): ZXing-cpp's full effort.
        SinglePass full = quick_;
        full.tryHarder = full.tryDownscale = true;
        take(toFrame(reader_.readOnce(viewOf(scaled), full), whole));
    }

    void wholeFrameChain() {
        take(toFrame(reader_.read(viewOf(gray_), formats_),
                     Region{cv::Rect(0, 0, gray_.cols, gray_.rows), 1.0, "whole-frame"}));
    }

private:
    // Unsharp mask (sigma in decoding px, where modules are 2-4 px): blur and JPEG merge
    // modules under ZXing-cpp's binariser; this read 2 more codes beside found marks.
    static cv::Mat sharpened(const cv::Mat& in) {
        cv::Mat blurred, out;
        cv::GaussianBlur(in, blurred, cv::Size(0, 0), 1.5);
        cv::addWeighted(in, 1.8, blurred, -0.8, 0, out);
        return out;
    }

    void take(std::vector<DecodedCode> codes) {
        if (anyValid(codes)) {
            codes_ = std::move(codes);
        } else if (failures_.empty()) {
            failures_ = std::move(codes);  // returnErrors: the first stage's failures
        }
    }

    const CodeReader& reader_;
    const cv::Mat& gray_;
    CodeFormats formats_ = 0;
    SinglePass quick_;
    std::vector<DecodedCode> codes_, failures_;
};

}  // namespace

std::vector<DecodedCode> readCodesGuided(const CodeReader& reader, const cv::Mat& gray,
                                         const MarkDetection* mark,
                                         const GuidedReadOptions& options) {
    if (gray.empty() || gray.type() != CV_8UC1) return {};
    GuidedRead read(reader, gray, options);
    const bool withMark = options.markRegion && mark != nullptr && mark->found;
    std::vector<Region> regions;
    try {
        std::vector<Region> beside;
        if (withMark && options.besideMark) {
            beside = besideMark(gray, *mark, options);
            for (auto& r : beside) {
                read.region(r, GuidedRead::How::Quick);
                if (read.done()) break;
            }
        }
        if (withMark && !read.done()) {
            Region r = markRegion(gray, *mark, options);
            if (r.box.width >= 16 && r.box.height >= 16) {
                regions.push_back(r);
                read.region(regions.back(), GuidedRead::How::Quick);
            }
        }
        if (withMark && options.markSharpen) {
            // The squares beside the mark (their pixels are made already) rather than the
            // whole neighbourhood: as many reads, p95 5.6 -> 4.6 ms.
            if (beside.empty() && !regions.empty()) beside.push_back(regions.front());
            for (size_t i = 0; i < beside.size() && !read.done(); ++i)
                read.region(beside[i], GuidedRead::How::Sharpened);
        }
        if (!read.done() && options.codeRegions) {
            for (const auto& r :
                 codeLikeRegions(gray, options.maxCodeRegions, options.codeRegionTargetPx)) {
                regions.push_back(r);
                read.region(regions.back(), GuidedRead::How::Quick);
                if (read.done()) break;
            }
        }
        if (!read.done() && options.wholeFrame && (!withMark || options.wholeFrameWithMark))
            read.wholeFrame(1.0);
        for (size_t i = 0; i < regions.size() && !read.done() && options.regionChain; ++i)
            read.region(regions[i], GuidedRead::How::Chain);
        if (!read.done() && options.wholeFrameUpscale) read.wholeFrame(2.0);
        if (!read.done() && options.wholeFrameEnhance) read.wholeFrameChain();
    } catch (const cv::Exception&) {
        // An OpenCV failure (resize, blur) costs only the stages after it.
    }
    return read.result();
}

}  // namespace mengscan::vision
