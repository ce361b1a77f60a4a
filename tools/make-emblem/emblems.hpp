// The artwork the project ships: the stand-in 蒙 mark, a second emblem for the template
// swap test, and look-alikes that the detector must reject.
#pragma once

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

#include "glyph_renderer.hpp"

namespace mengscan::tools {

struct Fonts {
    GlyphRenderer serifBold;    // the mark's character
    GlyphRenderer sansBold;     // ring text
    GlyphRenderer sansRegular;  // "another font" for the bare-character look-alike
};

struct Artwork {
    std::string file;  // relative to the output folder
    cv::Mat bgra;
};

std::vector<Artwork> makeAllArtwork(const Fonts& fonts, int size);

}  // namespace mengscan::tools
