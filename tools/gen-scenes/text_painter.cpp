#include "text_painter.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace mengscan::scenes {

struct TextPainter::Face {
    std::mutex mutex;  // an FT_Face is not thread-safe; scenes may render in parallel
    FT_Library library = nullptr;
    FT_Face face = nullptr;
    ~Face() {
        if (face) FT_Done_Face(face);
        if (library) FT_Done_FreeType(library);
    }
};

namespace {

std::vector<uint32_t> decodeUtf8(const std::string& s) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        int extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
        uint32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1f) : extra == 2 ? (c & 0x0f) : (c & 7);
        ++i;
        for (int k = 0; k < extra && i < s.size(); ++k, ++i)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3f);
        out.push_back(cp);
    }
    return out;
}

}  // namespace

Expected<TextPainter> TextPainter::open(const std::string& fontPath, int faceIndex) {
    auto face = std::make_shared<Face>();
    if (FT_Init_FreeType(&face->library) != 0)
        return makeUnexpected(ErrorCategory::Internal, "freetype", "FreeType did not start");
    if (FT_New_Face(face->library, fontPath.c_str(), faceIndex, &face->face) != 0) {
        return makeUnexpected(ErrorCategory::Io, "font_unreadable",
                              "cannot load font " + fontPath + " (install fonts-noto-cjk)");
    }
    TextPainter painter;
    painter.face_ = std::move(face);
    painter.path_ = fontPath;
    return painter;
}

cv::Mat TextPainter::render(const std::string& utf8, int pixelHeight) const {
    const std::lock_guard<std::mutex> lock(face_->mutex);
    FT_Face face = face_->face;
    FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(std::max(4, pixelHeight)));
    const int ascender = static_cast<int>(face->size->metrics.ascender >> 6);
    const int descender = static_cast<int>(-(face->size->metrics.descender >> 6));
    const auto codepoints = decodeUtf8(utf8);
    // Canvas wide enough for every glyph advance; cropped to the ink at the end.
    cv::Mat canvas(ascender + descender + 4,
                   static_cast<int>(codepoints.size()) * (pixelHeight + 4) + 8, CV_8UC1,
                   cv::Scalar(0));
    int penX = 2;
    for (uint32_t cp : codepoints) {
        if (FT_Load_Char(face, cp, FT_LOAD_RENDER) != 0) continue;
        const FT_GlyphSlot g = face->glyph;
        const FT_Bitmap& bm = g->bitmap;
        const int x0 = penX + g->bitmap_left, y0 = 2 + ascender - g->bitmap_top;
        for (unsigned row = 0; row < bm.rows; ++row) {
            const int y = y0 + static_cast<int>(row);
            if (y < 0 || y >= canvas.rows) continue;
            for (unsigned col = 0; col < bm.width; ++col) {
                const int x = x0 + static_cast<int>(col);
                if (x < 0 || x >= canvas.cols) continue;
                uint8_t& dst = canvas.at<uint8_t>(y, x);
                dst = std::max(dst, bm.buffer[row * bm.pitch + col]);
            }
        }
        penX += static_cast<int>(g->advance.x >> 6);
    }
    std::vector<cv::Point> ink;
    cv::findNonZero(canvas, ink);
    if (ink.empty()) return cv::Mat();
    return canvas(cv::boundingRect(ink)).clone();
}

void paintCoverage(cv::Mat& bgr, const cv::Mat& coverage, cv::Point at, const cv::Scalar& colour) {
    const cv::Rect target = cv::Rect(at, coverage.size()) & cv::Rect(0, 0, bgr.cols, bgr.rows);
    for (int y = target.y; y < target.br().y; ++y) {
        const uint8_t* a = coverage.ptr<uint8_t>(y - at.y);
        auto* p = bgr.ptr<cv::Vec3b>(y);
        for (int x = target.x; x < target.br().x; ++x) {
            const int alpha = a[x - at.x];
            if (alpha == 0) continue;
            for (int c = 0; c < 3; ++c) {
                p[x][c] = static_cast<uint8_t>(
                    (p[x][c] * (255 - alpha) + static_cast<int>(colour[c]) * alpha + 127) / 255);
            }
        }
    }
}

}  // namespace mengscan::scenes
