#include "mengscan/vision/guided_reader.hpp"

#include <algorithm>
#include <numeric>
#include <opencv2/imgproc.hpp>

#include "code_regions.hpp"
#include "mengscan/vision/mat_adapter.hpp"

namespace mengscan::vision {
namespace {

using detail::CodeRegion;

bool anyValid(const std::vector<DecodedCode>& codes) {
    return std::any_of(codes.begin(), codes.end(), [](const DecodedCode& c) { return c.ok(); });
}

bool usable(const CodeRegion& r) {
    return r.warp || (r.box.width >= 16 && r.box.height >= 16);
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
        // 2-4 px per module. tryRotate stays on in frame regions: ZXing-cpp 1.4's
        // DataMatrix detector then searches all four directions (6 more reads of 222,
        // +0.3 ms median).
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
    void region(CodeRegion& r, How how) {
        if (!usable(r) || done()) return;
        cv::Mat pixels = detail::regionPixels(gray_, r);
        if (pixels.empty()) return;
        if (how == How::Sharpened) pixels = sharpened(pixels);
        SinglePass pass = quick_;
        pass.name = how == How::Sharpened ? "sharpen" : "quick";
        // A code-like region is ~250 px: try-harder's denser scan costs nothing visible
        // there and read one rotated DataMatrix more (on the mark's region it read none).
        pass.tryHarder = r.tryHarder;
        pass.tryRotate = r.tryRotate;
        const GrayView view = viewOf(pixels);
        take(detail::toFrame(
            how == How::Chain ? reader_.read(view, formats_) : reader_.readOnce(view, pass), r));
    }

    void wholeFrame(double scale) {
        CodeRegion whole;
        whole.box = cv::Rect(0, 0, gray_.cols, gray_.rows);
        whole.scale = scale;
        whole.name = scale == 1.0 ? "whole-frame" : "whole-frame-upscaled";
        if (scale == 1.0) {
            take(detail::toFrame(reader_.readOnce(viewOf(gray_), quick_), whole));
            return;
        }
        cv::Mat scaled;
        cv::resize(gray_, scaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
        // Opt-in and for tiny codes (1-2 px per module): ZXing-cpp's full effort.
        SinglePass full = quick_;
        full.tryHarder = full.tryDownscale = true;
        take(detail::toFrame(reader_.readOnce(viewOf(scaled), full), whole));
    }

    void wholeFrameChain() {
        CodeRegion whole;
        whole.box = cv::Rect(0, 0, gray_.cols, gray_.rows);
        whole.name = "whole-frame";
        take(detail::toFrame(reader_.read(viewOf(gray_), formats_), whole));
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

// Beside a found mark: the directions (besideMark's order) whose code-sized square holds
// code-like texture, most code-like first; all four, in order, when the test is off.
std::vector<size_t> codeDirections(const cv::Mat& gray, const MarkDetection& mark,
                                   const GuidedReadOptions& options) {
    std::vector<size_t> order(4);
    std::iota(order.begin(), order.end(), 0);
    if (options.minCodeLikeness <= 0) return order;
    const std::vector<double> likeness = detail::codeLikenessBeside(gray, mark, options);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return likeness[a] > likeness[b]; });
    order.erase(std::remove_if(order.begin(), order.end(),
                               [&](size_t k) { return likeness[k] < options.minCodeLikeness; }),
                order.end());
    return order;
}

// The stages around a found mark, only where a code may be (codeDirections): each square
// seen head-on, the unrectified squares, the whole neighbourhood (only when asked or
// without squares), then sharpened squares.
void readBesideMark(GuidedRead& read, const cv::Mat& gray, const MarkDetection& mark,
                    const GuidedReadOptions& options) {
    const std::vector<size_t> directions = codeDirections(gray, mark, options);
    if (directions.empty()) return;  // blank paper or smooth background all round
    std::vector<CodeRegion> rectified, framed;
    if (options.rectifiedBeside) rectified = detail::besideMark(gray, mark, options, true);
    if (options.besideMark) framed = detail::besideMark(gray, mark, options, false);
    for (size_t k : directions)
        if (!rectified.empty()) read.region(rectified[k], GuidedRead::How::Quick);
    for (size_t k : directions)
        if (!framed.empty()) read.region(framed[k], GuidedRead::How::Quick);
    CodeRegion neighbourhood = detail::markNeighbourhood(gray, mark, options);
    const bool noSquares = rectified.empty() && framed.empty();
    if (options.neighbourhoodRead || noSquares) read.region(neighbourhood, GuidedRead::How::Quick);
    if (!options.markSharpen) return;
    // The squares (their pixels are made already) rather than the whole neighbourhood: as
    // many reads, p95 5.6 -> 4.6 ms. The framed ones: sharpened, they read 9 codes of seed
    // 2028 the rest missed, the rectified ones 6 (resampling has smoothed them once).
    std::vector<CodeRegion>& squares = framed.empty() ? rectified : framed;
    if (squares.empty()) {
        read.region(neighbourhood, GuidedRead::How::Sharpened);
        return;
    }
    for (size_t k : directions) read.region(squares[k], GuidedRead::How::Sharpened);
}

}  // namespace

std::vector<DecodedCode> readCodesGuided(const CodeReader& reader, const cv::Mat& gray,
                                         const MarkDetection* mark,
                                         const GuidedReadOptions& options) {
    if (gray.empty() || gray.type() != CV_8UC1) return {};
    GuidedRead read(reader, gray, options);
    const bool withMark = options.markRegion && mark != nullptr && mark->found;
    std::vector<CodeRegion> regions;
    try {
        if (withMark) readBesideMark(read, gray, *mark, options);
        if (!read.done() && options.codeRegions && (!withMark || options.codeRegionsWithMark)) {
            for (auto& r : detail::codeLikeRegions(gray, options.maxCodeRegions,
                                                   options.codeRegionTargetPx)) {
                regions.push_back(r);
                read.region(regions.back(), GuidedRead::How::Quick);
            }
        }
        if (!read.done() && options.wholeFrame && (!withMark || options.wholeFrameWithMark))
            read.wholeFrame(1.0);
        if (withMark && options.regionChain && !read.done()) {
            CodeRegion neighbourhood = detail::markNeighbourhood(gray, *mark, options);
            read.region(neighbourhood, GuidedRead::How::Chain);
        }
        for (size_t i = 0; i < regions.size() && options.regionChain; ++i)
            read.region(regions[i], GuidedRead::How::Chain);
        if (!read.done() && options.wholeFrameUpscale) read.wholeFrame(2.0);
        if (!read.done() && options.wholeFrameEnhance) read.wholeFrameChain();
    } catch (const cv::Exception&) {
        // An OpenCV failure (resize, warp, blur) costs only the stages after it.
    }
    return read.result();
}

}  // namespace mengscan::vision
