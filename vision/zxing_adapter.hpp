// The only place that includes ZXing-cpp: one call of ReadBarcodes on a gray view.
#pragma once

#include <vector>

#include "mengscan/vision/code_reader.hpp"

namespace mengscan::vision {

struct ZxingRequest {
    CodeFormats formats = kAllCodeFormats;
    Binariser binariser = Binariser::LocalAverage;
    // ZXing-cpp's effort flags (its defaults are all on).
    bool tryHarder = true;
    bool tryRotate = true;
    bool tryDownscale = true;
    bool returnErrors = false;
    int maxSymbols = 8;
};

// Never throws: anything ZXing-cpp throws comes back as one result carrying the error.
std::vector<DecodedCode> decodeWithZxing(const GrayView& view, const ZxingRequest& request);

}  // namespace mengscan::vision
