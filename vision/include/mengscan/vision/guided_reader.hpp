// Code reading tied to the mark: decode where the code should be first (around the mark,
// then code-like regions), each at a scale where modules are a few pixels wide; fall back
// to the whole frame only when those found nothing. Stops at the first valid symbol(s).
#pragma once

#include <opencv2/core/mat.hpp>
#include <vector>

#include "mengscan/vision/code_reader.hpp"
#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::vision {

struct GuidedReadOptions {
    bool markRegion = true;   // the neighbourhood of a found mark
    bool codeRegions = true;  // dense high-contrast blobs that look like 2D codes
    int maxCodeRegions = 3;
    bool wholeFrame = true;  // last resort: ZXing on the whole frame
    // The last resort runs ZXing's own pass once (try harder, rotate, downscale): the
    // reader's enhancement chain over a whole 1280x720 frame (CLAHE, sharpen, 2x upscale,
    // inversion) costs several plain passes and, on the scene sets, read almost nothing
    // the targeted regions missed (docs/benchmarks.md). true: the reader's full chain.
    bool wholeFrameEnhance = false;
    // Without the full chain: after the plain pass, one 2x upscaled pass for small codes
    // (on the 300-scene set: 6 more reads, median frame time +70%).
    bool wholeFrameUpscale = false;
};

// gray: CV_8UC1 frame. mark: the detector's result for the same frame (may be null or
// not found). Codes come back in frame coordinates; DecodedCode::pass says where they
// were found ("mark-region/plain", "code-region/upscale-2x", "plain", ...).
std::vector<DecodedCode> readCodesGuided(const CodeReader& reader, const cv::Mat& gray,
                                         const MarkDetection* mark,
                                         const GuidedReadOptions& options = {});

}  // namespace mengscan::vision
