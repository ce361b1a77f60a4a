// Lays out one Meng-mark label as the domain describes it: the mark (or a look-alike, or
// nothing) with a 2D code beside it (or none), and the printed line
// "证书编号 ... 追溯码 ..." underneath, on a paper colour. Geometry is kept in label pixels.
#pragma once

#include <array>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>

#include "artwork.hpp"
#include "code_image.hpp"
#include "rng.hpp"
#include "text_painter.hpp"

namespace mengscan::scenes {

using QuadF = std::array<cv::Point2f, 4>;  // TL, TR, BR, BL

struct LabelContent {
    const Artwork* emblem = nullptr;  // the mark or a look-alike; nullptr: none
    std::optional<std::string> codeText;
    Symbology symbology = Symbology::QRCode;
    std::string printedLine;
};

struct RenderedLabel {
    cv::Mat bgr;
    std::optional<QuadF> emblemQuad;  // the artwork's bounding box corners
    std::optional<QuadF> codeQuad;    // the symbol's corners (without quiet zone)
    int emblemWidthPx = 0;            // the artwork's width in label pixels
};

// `emblemWidthPx`: how wide the artwork is drawn (label pixels); everything else is sized
// from it, with random proportions (code 0.9-1.3x, quiet zone, gaps, paper colour).
Expected<RenderedLabel> renderLabel(Rng& rng, const LabelContent& content, int emblemWidthPx,
                                    const TextPainter& font);

}  // namespace mengscan::scenes
