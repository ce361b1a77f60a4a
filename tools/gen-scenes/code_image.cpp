#include "code_image.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <exception>

namespace mengscan::scenes {
namespace {

bool isAscii(const std::string& s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) > 0x7e) return false;
    return true;
}

Expected<ZXing::BitMatrix> encode(const std::string& text, Symbology symbology) {
    try {
        auto writer = ZXing::MultiFormatWriter(symbology == Symbology::QRCode
                                                   ? ZXing::BarcodeFormat::QRCode
                                                   : ZXing::BarcodeFormat::DataMatrix)
                          .setMargin(0);
        // UTF-8 (with its ECI) only when needed: plain ASCII stays in the default mode.
        if (symbology == Symbology::QRCode && !isAscii(text))
            writer.setEncoding(ZXing::CharacterSet::UTF8);
        if (symbology == Symbology::QRCode) writer.setEccLevel(2);  // M
        return writer.encode(text, 0, 0);
    } catch (const std::exception& e) {
        return makeUnexpected(
            ErrorCategory::Usage, "encode_failed",
            std::string("cannot encode as ") + toString(symbology) + ": " + e.what());
    }
}

}  // namespace

const char* toString(Symbology symbology) {
    return symbology == Symbology::QRCode ? "QRCode" : "DataMatrix";
}

Expected<int> symbolModules(const std::string& text, Symbology symbology) {
    auto bits = encode(text, symbology);
    if (!bits) return Unexpected(bits.error());
    return bits->width();
}

Expected<CodeImage> renderCode(const std::string& text, Symbology symbology, int modulePx,
                               int quietModules) {
    auto bits = encode(text, symbology);
    if (!bits) return Unexpected(bits.error());
    const int w = bits->width(), h = bits->height();
    CodeImage out;
    out.modules = w;
    out.gray = cv::Mat((h + 2 * quietModules) * modulePx, (w + 2 * quietModules) * modulePx,
                       CV_8UC1, cv::Scalar(255));
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            if (!bits->get(x, y)) continue;
            out.gray(cv::Rect((x + quietModules) * modulePx, (y + quietModules) * modulePx,
                              modulePx, modulePx))
                .setTo(0);
        }
    }
    const float q = static_cast<float>(quietModules * modulePx);
    const float sw = static_cast<float>(w * modulePx), sh = static_cast<float>(h * modulePx);
    out.corners = {cv::Point2f(q, q), cv::Point2f(q + sw, q), cv::Point2f(q + sw, q + sh),
                   cv::Point2f(q, q + sh)};
    return out;
}

}  // namespace mengscan::scenes
