// Rasterises CJK/Latin text with FreeType into 8-bit coverage masks (OpenCV's putText
// cannot draw CJK). Used only by the emblem generator.
#pragma once

#include <memory>
#include <opencv2/core/mat.hpp>
#include <string>

#include "mengscan/expected.hpp"

namespace mengscan::tools {

class GlyphRenderer {
public:
    // fontPath: .ttf/.otf/.ttc; for collections the face whose family name contains
    // `preferFamily` (e.g. "SC") is chosen, else face 0.
    static Expected<GlyphRenderer> open(const std::string& fontPath,
                                        const std::string& preferFamily = "SC");
    ~GlyphRenderer();
    GlyphRenderer(GlyphRenderer&&) noexcept;
    GlyphRenderer& operator=(GlyphRenderer&&) noexcept;

    // One code point at `pixelSize` em size: CV_8UC1 coverage, cropped to the ink.
    Expected<cv::Mat> glyph(char32_t codePoint, int pixelSize) const;

private:
    GlyphRenderer();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// UTF-8 to code points (invalid bytes are skipped).
std::u32string decodeUtf8(const std::string& text);

}  // namespace mengscan::tools
