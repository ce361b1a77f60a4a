// Multi-pass decoding with ZXing-cpp 1.4. The plain pass is ZXing-cpp's own default
// (try harder, rotate, downscale); later passes only run when it found nothing, and add
// what 1.4 lacks: another binariser, upscaling small codes, local contrast (CLAHE),
// sharpening and inversion. The first pass that yields a valid symbol wins.
#include "mengscan/vision/code_reader.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include <opencv2/imgproc.hpp>

#include "zxing_adapter.hpp"

namespace mengscan::vision {
namespace {

struct Pass {
    const char* name;
    double scale;  // resize factor applied before decoding (1 = none)
    std::function<void(const cv::Mat& in, cv::Mat& out)> prepare;  // null = pixels as they are
    Binariser binariser;
};

void clahe(const cv::Mat& in, cv::Mat& out) {
    auto op = cv::createCLAHE(2.0, cv::Size(8, 8));
    op->apply(in, out);
}

void sharpen(const cv::Mat& in, cv::Mat& out) {
    cv::Mat blurred;
    cv::GaussianBlur(in, blurred, cv::Size(0, 0), 2.0);
    cv::addWeighted(in, 1.8, blurred, -0.8, 0, out);
}

void invert(const cv::Mat& in, cv::Mat& out) { cv::bitwise_not(in, out); }

std::vector<Pass> passesFor(const cv::Mat& gray, bool enhance) {
    constexpr Binariser local = Binariser::LocalAverage;
    std::vector<Pass> passes{{"plain", 1.0, nullptr, local}};
    if (!enhance) return passes;
    const int longSide = std::max(gray.cols, gray.rows);
    passes.push_back({"global-histogram", 1.0, nullptr, Binariser::GlobalHistogram});
    if (longSide <= 1600) passes.push_back({"upscale-2x", 2.0, nullptr, local});
    passes.push_back({"clahe", 1.0, clahe, local});
    passes.push_back({"sharpen", 1.0, sharpen, local});
    if (longSide >= 1200) passes.push_back({"downscale-half", 0.5, nullptr, local});
    passes.push_back({"inverted", 1.0, invert, local});
    return passes;
}

bool sameSymbol(const DecodedCode& a, const DecodedCode& b) {
    return a.format == b.format && a.bytes == b.bytes && a.text == b.text;
}

// Adds `code` to the valid or the failed bucket unless that bucket has it already.
void keep(DecodedCode&& code, std::vector<DecodedCode>& found, std::vector<DecodedCode>& failures) {
    auto& bucket = code.ok() ? found : failures;
    const bool dup = std::any_of(bucket.begin(), bucket.end(),
                                 [&](const DecodedCode& c) { return sameSymbol(c, code); });
    if (!dup) bucket.push_back(std::move(code));
}

}  // namespace

std::vector<DecodedCode> CodeReader::read(const GrayView& frame) const {
    return read(frame, options_.formats);
}

std::vector<DecodedCode> CodeReader::readOnce(const GrayView& frame, const SinglePass& pass) const {
    std::vector<DecodedCode> found, failures;
    const CodeFormats formats = pass.formats & options_.formats;
    if (frame.empty() || formats == 0) return found;
    ZxingRequest request;
    request.formats = formats;
    request.binariser = pass.binariser;
    request.tryHarder = pass.tryHarder;
    request.tryRotate = pass.tryRotate;
    request.tryDownscale = pass.tryDownscale;
    request.returnErrors = options_.returnErrors;
    request.maxSymbols = options_.maxSymbols;
    for (DecodedCode& code : decodeWithZxing(frame, request)) {
        code.pass = pass.name;
        keep(std::move(code), found, failures);
    }
    if (options_.returnErrors && found.empty()) return failures;
    return found;
}

std::vector<DecodedCode> CodeReader::read(const GrayView& frame, CodeFormats formats) const {
    std::vector<DecodedCode> found;
    formats &= options_.formats;
    if (frame.empty() || formats == 0) return found;
    // A header over the caller's pixels: no copy.
    const cv::Mat gray(frame.height, frame.width, CV_8UC1, const_cast<uint8_t*>(frame.data),
                       static_cast<size_t>(frame.stride));
    std::vector<DecodedCode> failures;
    for (const Pass& pass : passesFor(gray, options_.enhance)) {
        cv::Mat pixels = gray;
        try {
            if (pass.prepare) {
                cv::Mat prepared;
                pass.prepare(pixels, prepared);
                pixels = prepared;
            }
            if (pass.scale != 1.0) {
                cv::Mat scaled;
                const int interp = pass.scale > 1.0 ? cv::INTER_CUBIC : cv::INTER_AREA;
                cv::resize(pixels, scaled, cv::Size(), pass.scale, pass.scale, interp);
                pixels = scaled;
            }
        } catch (const cv::Exception& e) {
            continue;  // a failed preparation only costs this pass
        }
        ZxingRequest request;
        request.formats = formats;
        request.binariser = pass.binariser;
        request.returnErrors = options_.returnErrors;
        request.maxSymbols = options_.maxSymbols;
        const GrayView view{pixels.data, pixels.cols, pixels.rows, static_cast<int>(pixels.step)};
        for (DecodedCode& code : decodeWithZxing(view, request)) {
            for (PointF& p : code.quad) {
                p.x = static_cast<float>(p.x / pass.scale);
                p.y = static_cast<float>(p.y / pass.scale);
            }
            code.pass = pass.name;
            keep(std::move(code), found, failures);
        }
        if (!found.empty()) break;
    }
    if (options_.returnErrors && found.empty()) return failures;
    return found;
}

const char* toString(CodeFormat format) {
    switch (format) {
        case CodeFormat::QRCode: return "QRCode";
        case CodeFormat::MicroQRCode: return "MicroQRCode";
        case CodeFormat::DataMatrix: return "DataMatrix";
        case CodeFormat::Code128: return "Code128";
        case CodeFormat::EAN13: return "EAN13";
        case CodeFormat::None: break;
    }
    return "None";
}

Expected<CodeFormats> parseFormats(const std::string& list) {
    CodeFormats formats = 0;
    std::string token;
    auto flush = [&]() -> Status {
        std::string t;
        for (char c : token) {
            if (c != '-' && c != '_' && c != ' ') t += static_cast<char>(std::tolower(c));
        }
        token.clear();
        if (t.empty()) return {};
        if (t == "qrcode" || t == "qr") formats |= static_cast<uint32_t>(CodeFormat::QRCode);
        else if (t == "microqrcode" || t == "microqr")
            formats |= static_cast<uint32_t>(CodeFormat::MicroQRCode);
        else if (t == "datamatrix" || t == "dm")
            formats |= static_cast<uint32_t>(CodeFormat::DataMatrix);
        else if (t == "code128") formats |= static_cast<uint32_t>(CodeFormat::Code128);
        else if (t == "ean13") formats |= static_cast<uint32_t>(CodeFormat::EAN13);
        else if (t == "all") formats |= kAllCodeFormats;
        else
            return makeUnexpected(ErrorCategory::Usage, "unknown_format",
                                  "unknown code format '" + t +
                                      "' (use QRCode, MicroQRCode, DataMatrix, Code128, EAN13)");
        return {};
    };
    for (char c : list) {
        if (c == ',') {
            if (auto s = flush(); !s) return Unexpected(s.error());
        } else {
            token += c;
        }
    }
    if (auto s = flush(); !s) return Unexpected(s.error());
    if (formats == 0) {
        return makeUnexpected(ErrorCategory::Usage, "no_format", "empty format list");
    }
    return formats;
}

}  // namespace mengscan::vision
