#include "glyph_renderer.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <opencv2/core.hpp>

namespace mengscan::tools {

struct GlyphRenderer::Impl {
    FT_Library library = nullptr;
    FT_Face face = nullptr;
    ~Impl() {
        if (face) FT_Done_Face(face);
        if (library) FT_Done_FreeType(library);
    }
};

GlyphRenderer::GlyphRenderer() : impl_(std::make_unique<Impl>()) {}
GlyphRenderer::~GlyphRenderer() = default;
GlyphRenderer::GlyphRenderer(GlyphRenderer&&) noexcept = default;
GlyphRenderer& GlyphRenderer::operator=(GlyphRenderer&&) noexcept = default;

Expected<GlyphRenderer> GlyphRenderer::open(const std::string& fontPath,
                                            const std::string& preferFamily) {
    GlyphRenderer r;
    if (FT_Init_FreeType(&r.impl_->library) != 0) {
        return makeUnexpected(ErrorCategory::Internal, "freetype_init", "FreeType init failed");
    }
    FT_Face probe = nullptr;
    if (FT_New_Face(r.impl_->library, fontPath.c_str(), 0, &probe) != 0) {
        return makeUnexpected(ErrorCategory::Io, "font_unreadable", "cannot open font " + fontPath);
    }
    long chosen = 0;
    const long faces = probe->num_faces;
    FT_Done_Face(probe);
    for (long i = 0; i < faces; ++i) {
        FT_Face f = nullptr;
        if (FT_New_Face(r.impl_->library, fontPath.c_str(), i, &f) != 0) continue;
        const std::string family = f->family_name ? f->family_name : "";
        FT_Done_Face(f);
        if (family.find(preferFamily) != std::string::npos &&
            family.find("Mono") == std::string::npos) {
            chosen = i;
            break;
        }
    }
    if (FT_New_Face(r.impl_->library, fontPath.c_str(), chosen, &r.impl_->face) != 0) {
        return makeUnexpected(ErrorCategory::Io, "font_unreadable", "cannot open font " + fontPath);
    }
    return r;
}

Expected<cv::Mat> GlyphRenderer::glyph(char32_t codePoint, int pixelSize) const {
    FT_Face face = impl_->face;
    if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(pixelSize)) != 0 ||
        FT_Load_Char(face, codePoint, FT_LOAD_RENDER) != 0) {
        return makeUnexpected(ErrorCategory::Internal, "glyph_failed", "cannot render glyph");
    }
    const FT_Bitmap& bm = face->glyph->bitmap;
    if (bm.width == 0 || bm.rows == 0) {
        // A space: an empty mask as wide as the advance.
        const int advance = std::max(1, static_cast<int>(face->glyph->advance.x >> 6));
        return cv::Mat(cv::Mat::zeros(pixelSize, advance, CV_8UC1));
    }
    cv::Mat out(static_cast<int>(bm.rows), static_cast<int>(bm.width), CV_8UC1);
    for (int y = 0; y < out.rows; ++y) {
        const unsigned char* src = bm.buffer + static_cast<long>(y) * bm.pitch;
        std::copy(src, src + out.cols, out.ptr<uint8_t>(y));
    }
    return out;
}

std::u32string decodeUtf8(const std::string& text) {
    std::u32string out;
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + static_cast<size_t>(len) > text.size()) {
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? c : c & (0x7f >> len);
        for (int k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
        out += cp;
        i += static_cast<size_t>(len);
    }
    return out;
}

}  // namespace mengscan::tools
