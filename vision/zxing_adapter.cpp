#include "zxing_adapter.hpp"

#include <exception>

#include <ZXing/ReadBarcode.h>

namespace mengscan::vision {
namespace {

ZXing::BarcodeFormats toZxing(CodeFormats formats) {
    ZXing::BarcodeFormats out;
    auto has = [&](CodeFormat f) { return (formats & static_cast<uint32_t>(f)) != 0; };
    if (has(CodeFormat::QRCode)) out |= ZXing::BarcodeFormat::QRCode;
    if (has(CodeFormat::MicroQRCode)) out |= ZXing::BarcodeFormat::MicroQRCode;
    if (has(CodeFormat::DataMatrix)) out |= ZXing::BarcodeFormat::DataMatrix;
    if (has(CodeFormat::Code128)) out |= ZXing::BarcodeFormat::Code128;
    if (has(CodeFormat::EAN13)) out |= ZXing::BarcodeFormat::EAN13;
    return out;
}

ZXing::Binarizer toZxing(Binariser b) {
    switch (b) {
        case Binariser::GlobalHistogram: return ZXing::Binarizer::GlobalHistogram;
        case Binariser::FixedThreshold: return ZXing::Binarizer::FixedThreshold;
        case Binariser::LocalAverage: break;
    }
    return ZXing::Binarizer::LocalAverage;
}

CodeFormat fromZxing(ZXing::BarcodeFormat format) {
    switch (format) {
        case ZXing::BarcodeFormat::QRCode: return CodeFormat::QRCode;
        case ZXing::BarcodeFormat::MicroQRCode: return CodeFormat::MicroQRCode;
        case ZXing::BarcodeFormat::DataMatrix: return CodeFormat::DataMatrix;
        case ZXing::BarcodeFormat::Code128: return CodeFormat::Code128;
        case ZXing::BarcodeFormat::EAN13: return CodeFormat::EAN13;
        default: return CodeFormat::None;
    }
}

PointF toPoint(const ZXing::PointI& p) {
    return PointF{static_cast<float>(p.x), static_cast<float>(p.y)};
}

DecodedCode internalError(const std::string& what) {
    DecodedCode code;
    code.error = Error(ErrorCategory::Vision, "decoder_exception", "ZXing-cpp failed: " + what);
    return code;
}

}  // namespace

std::vector<DecodedCode> decodeWithZxing(const GrayView& view, const ZxingRequest& request) {
    std::vector<DecodedCode> out;
    if (view.empty()) return out;
    try {
        ZXing::DecodeHints hints;
        hints.setFormats(toZxing(request.formats));
        hints.setTryHarder(request.tryHarder);
        hints.setTryRotate(request.tryRotate);
        hints.setTryDownscale(request.tryDownscale);
        hints.setReturnErrors(request.returnErrors);
        hints.setMaxNumberOfSymbols(static_cast<uint8_t>(request.maxSymbols));
        hints.setBinarizer(toZxing(request.binariser));
        const ZXing::ImageView image(view.data, view.width, view.height, ZXing::ImageFormat::Lum,
                                     view.stride);
        for (const ZXing::Result& r : ZXing::ReadBarcodes(image, hints)) {
            DecodedCode code;
            code.format = fromZxing(r.format());
            if (code.format == CodeFormat::None) continue;
            code.text = r.text();
            code.bytes.assign(r.bytes().begin(), r.bytes().end());
            code.symbologyIdentifier = r.symbologyIdentifier();
            const auto& pos = r.position();
            code.quad = {toPoint(pos.topLeft()), toPoint(pos.topRight()),
                         toPoint(pos.bottomRight()), toPoint(pos.bottomLeft())};
            if (!r.isValid()) {
                code.error = Error(ErrorCategory::Vision, "decode_failed",
                                   r.error() ? r.error().msg() : "symbol not decodable");
            }
            out.push_back(std::move(code));
        }
    } catch (const std::exception& e) {
        out.push_back(internalError(e.what()));
    } catch (...) {
        out.push_back(internalError("unknown exception"));
    }
    return out;
}

}  // namespace mengscan::vision
