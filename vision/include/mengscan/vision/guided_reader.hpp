// Code reading tied to the mark: decode where the code should be first (around the mark,
// then code-like regions), each at a scale where modules are a few pixels wide, with one
// cheap decoder pass and only the formats a label carries; fall back to the whole frame
// only when those found nothing. Stops at the first valid symbol(s).
#pragma once

#include <opencv2/core/mat.hpp>
#include <vector>

#include "mengscan/vision/code_reader.hpp"
#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::vision {

struct GuidedReadOptions {
    // What a label carries. Intersected with the reader's formats; when the reader asks
    // for none of these (e.g. `--formats Code128`), the reader's formats are used instead.
    CodeFormats labelFormats = static_cast<CodeFormats>(CodeFormat::QRCode) |
                               static_cast<CodeFormats>(CodeFormat::DataMatrix);
    bool markRegion = true;  // read where a found mark says (beside it, its neighbourhood)
    // First, code-sized squares beside the mark (left/right along the mark's axis, then
    // above/below): centred besideOffset mark sizes from the mark's centre, besideSide
    // mark sizes wide. A label's layout: the code beside the mark at 0.9-1.3x its size.
    // Each is read seen head-on (the label plane through the mark's homography: upright,
    // square, at rectifiedTargetPx per mark width), then as a plain frame box.
    bool rectifiedBeside = true;
    // px per mark width in the rectified squares: 130 read 5 codes more than 110 on seed
    // 2028 (3 on 2026) for ~0.1 ms a found mark; 150 and 170 no more (docs/benchmarks.md).
    double rectifiedTargetPx = 130;
    bool besideMark = true;
    // 1.4 / 2.1 (was 1.3 / 1.8): the squares hold a code of 1.25 mark widths 1.6 away with
    // its quiet zone, which only the whole neighbourhood read before (docs/benchmarks.md).
    double besideOffset = 1.4;
    double besideSide = 2.1;
    // Only where a code may be: the squares whose edges, relative to the mark's own
    // contrast, reach this (docs/vision.md); none: the mark's neighbourhood is not read
    // either. 0: every square, in order.
    double minCodeLikeness = 0.2;
    double markNeighbourhood = 2.2;  // mark sizes on each side of the mark's box
    // The whole neighbourhood in one quick read after the squares failed. Off: with the
    // larger squares it read no code more on six 1,000-scene sets (2,503 codes beside
    // found marks with it and 1.3 / 1.8 squares, 2,508 without it and 1.4 / 2.1), and it
    // cost ~0.8 ms on every found mark whose code did not read. Always read when the
    // squares are off (rectifiedBeside and besideMark false).
    bool neighbourhoodRead = false;
    double markTargetPx = 110;  // region rescaled so the mark is about this wide
    bool markSharpen = true;    // an unsharp-masked second look beside (or around) the mark
    bool codeRegions = true;    // dense high-contrast blobs that look like 2D codes
    int maxCodeRegions = 3;
    double codeRegionTargetPx = 250;  // blob rescaled to about this side
    // Code-like blobs also when a mark was found: on seed 2028 they read 2 codes the
    // neighbourhood missed, both beside the mark, for 1 ms on every found mark without a
    // readable code (docs/benchmarks.md).
    bool codeRegionsWithMark = false;
    // Last resort: one quick pass over the whole frame. Skipped when a mark was found (the
    // code is beside it: on the scene sets the whole frame read nothing the mark's region
    // and the code-like regions missed) unless wholeFrameWithMark.
    bool wholeFrame = true;
    bool wholeFrameWithMark = false;
    // Opt-in, costly extras after everything above failed (docs/benchmarks.md):
    bool regionChain = false;        // CodeReader's chain: mark neighbourhood, code regions
    bool wholeFrameEnhance = false;  // CodeReader's multi-pass chain on the whole frame
    bool wholeFrameUpscale = false;  // the whole frame at 2x, full effort (tiny codes)
};

// gray: CV_8UC1 frame. mark: the detector's result for the same frame (may be null or
// not found). Codes come back in frame coordinates; DecodedCode::pass says where they
// were found ("mark-region/quick", "code-region/quick", "whole-frame/quick", ...).
// With ReaderOptions::returnErrors and nothing valid, the located-but-undecoded symbols.
std::vector<DecodedCode> readCodesGuided(const CodeReader& reader, const cv::Mat& gray,
                                         const MarkDetection* mark,
                                         const GuidedReadOptions& options = {});

}  // namespace mengscan::vision
