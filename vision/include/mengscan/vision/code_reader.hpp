// Reads 2D and linear codes from a grayscale frame with ZXing-cpp. Every failure inside
// ZXing-cpp becomes a value: a result with an error, never an exception or a crash.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "mengscan/error.hpp"
#include "mengscan/expected.hpp"
#include "mengscan/vision/image_view.hpp"

namespace mengscan::vision {

struct PointF {
    float x = 0;
    float y = 0;
};
// Corners in frame pixels: top-left, top-right, bottom-right, bottom-left of the symbol.
using Quad = std::array<PointF, 4>;

enum class CodeFormat : uint32_t {
    None = 0,
    QRCode = 1u << 0,
    MicroQRCode = 1u << 1,
    DataMatrix = 1u << 2,
    Code128 = 1u << 3,
    EAN13 = 1u << 4,
};
using CodeFormats = uint32_t;
constexpr CodeFormats kAllCodeFormats = 0x1f;

const char* toString(CodeFormat format);
// Parses "QRCode,DataMatrix" (case-insensitive, also "qr", "micro-qr", "dm", "ean13").
Expected<CodeFormats> parseFormats(const std::string& list);

struct DecodedCode {
    CodeFormat format = CodeFormat::None;
    std::string text;                // UTF-8 (FNC1 as ASCII 29 in GS1 data)
    std::vector<uint8_t> bytes;      // raw payload bytes as encoded
    std::string symbologyIdentifier; // e.g. "]Q1", "]d2" (GS1)
    Quad quad{};
    std::string pass;                // which decode pass found it, for tuning
    Error error;                     // set when the symbol was found but not decoded

    bool ok() const { return !error && format != CodeFormat::None; }
};

// ZXing-cpp's binarisers: LocalAverage (its default, 8x8-block thresholds), one global
// histogram threshold, or a fixed threshold at 127.
enum class Binariser { LocalAverage, GlobalHistogram, FixedThreshold };

// One decoder call with chosen effort: what the mark-guided reader runs first on a small,
// well-scaled region. ZXing-cpp's defaults (try harder, rotate, downscale) cost several
// times more and, for 2D codes at a few px per module, find almost nothing more.
struct SinglePass {
    CodeFormats formats = kAllCodeFormats;  // intersected with ReaderOptions::formats
    bool tryHarder = false;
    bool tryRotate = false;
    bool tryDownscale = false;
    Binariser binariser = Binariser::LocalAverage;
    const char* name = "quick";  // DecodedCode::pass
};

struct ReaderOptions {
    CodeFormats formats = kAllCodeFormats;
    // Extra passes (other binariser, scaling, contrast) when the plain pass finds nothing.
    bool enhance = true;
    // Also return symbols that were located but failed to decode (for anomaly reports).
    bool returnErrors = false;
    int maxSymbols = 8;
};

class CodeReader {
public:
    explicit CodeReader(ReaderOptions options = {}) : options_(options) {}
    // All valid symbols in the frame (deduplicated), in the frame's coordinates.
    std::vector<DecodedCode> read(const GrayView& frame) const;
    // The same chain, restricted to `formats` (intersected with the reader's own).
    std::vector<DecodedCode> read(const GrayView& frame, CodeFormats formats) const;
    // One pass only: valid symbols (plus failures when returnErrors), frame coordinates.
    std::vector<DecodedCode> readOnce(const GrayView& frame, const SinglePass& pass) const;
    const ReaderOptions& options() const { return options_; }

private:
    ReaderOptions options_;
};

}  // namespace mengscan::vision
