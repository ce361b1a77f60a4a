// The only place that includes ZXing-cpp: one call of ReadBarcodes on a gray view.
#pragma once

#include <vector>

#include "mengscan/vision/code_reader.hpp"

namespace mengscan::vision {

struct ZxingRequest {
    CodeFormats formats = kAllCodeFormats;
    bool globalHistogram = false;  // GlobalHistogram binariser instead of LocalAverage
    bool tryHarder = true;
    bool returnErrors = false;
    int maxSymbols = 8;
};

// Never throws: anything ZXing-cpp throws comes back as one result carrying the error.
std::vector<DecodedCode> decodeWithZxing(const GrayView& view, const ZxingRequest& request);

}  // namespace mengscan::vision
