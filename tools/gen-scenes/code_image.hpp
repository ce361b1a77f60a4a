// Renders a QR Code or DataMatrix with ZXing-cpp 1.4's writer as crisp black-on-white
// pixels, and says where the symbol's corners are.
#pragma once

#include <array>
#include <opencv2/core/mat.hpp>
#include <string>

#include "mengscan/expected.hpp"

namespace mengscan::scenes {

enum class Symbology { QRCode, DataMatrix };
const char* toString(Symbology symbology);  // "QRCode", "DataMatrix" (as vision::toString)

struct CodeImage {
    cv::Mat gray;                          // CV_8UC1, symbol plus quiet zone
    std::array<cv::Point2f, 4> corners{};  // symbol TL, TR, BR, BL in gray's pixels
    int modules = 0;                       // symbol width in modules
};

// `modulePx` pixels per module, `quietModules` of white around. Errors (never throws) when
// the writer refuses the text, e.g. non-ASCII text for DataMatrix.
Expected<CodeImage> renderCode(const std::string& text, Symbology symbology, int modulePx,
                               int quietModules);

// Modules across the symbol for this text, or an error (cheap: encodes at 1 px/module).
Expected<int> symbolModules(const std::string& text, Symbology symbology);

}  // namespace mengscan::scenes
