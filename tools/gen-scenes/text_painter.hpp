// Draws UTF-8 text (Chinese included) with FreeType: the printed line of a label, product
// names on packaging, the characters of look-alike seals.
#pragma once

#include <memory>
#include <opencv2/core/mat.hpp>
#include <string>

#include "mengscan/expected.hpp"

namespace mengscan::scenes {

class TextPainter {
public:
    // faceIndex selects the face in a .ttc collection (Noto CJK: 2 = Simplified Chinese).
    static Expected<TextPainter> open(const std::string& fontPath, int faceIndex);

    // Coverage (CV_8UC1, 0..255) of the text at `pixelHeight` (em size), tightly cropped
    // to the ink; empty Mat for text without ink.
    cv::Mat render(const std::string& utf8, int pixelHeight) const;
    const std::string& path() const { return path_; }

private:
    struct Face;
    std::shared_ptr<Face> face_;
    std::string path_;
};

// Blends `colour` into bgr through `coverage` placed with its top-left at `at` (clipped).
void paintCoverage(cv::Mat& bgr, const cv::Mat& coverage, cv::Point at, const cv::Scalar& colour);

// Default CJK fonts of Debian's fonts-noto-cjk.
constexpr const char* kSansFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
constexpr const char* kSansBoldFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
constexpr const char* kSerifFont = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc";
constexpr int kSimplifiedChineseFace = 2;

}  // namespace mengscan::scenes
