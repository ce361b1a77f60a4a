// Emblem-like artwork placed on labels: the real mark (from its template file), the mark
// printed in one ink, and look-alikes that must not pass as the mark (files from
// assets/mark/lookalikes/ plus generic seals with other characters made here).
#pragma once

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"
#include "rng.hpp"
#include "text_painter.hpp"

namespace mengscan::scenes {

struct Artwork {
    cv::Mat bgr;       // CV_8UC3, cropped to the artwork's bounding box
    cv::Mat alpha;     // CV_8UC1 coverage, same size
    std::string name;  // file name or generated description
};

// Loads an image file (alpha honoured) and crops it exactly as the mark detector crops
// its template (vision::loadMarkTemplate), so ground-truth quads mean the same corners.
Expected<Artwork> loadArtwork(const std::string& path);

// Every image file in `dir` (sorted by name); an absent folder gives none.
std::vector<Artwork> loadArtworkFolder(const std::string& dir);

// The artwork printed in a single ink: the darker half of the artwork (Otsu over its
// luminance, transparent counted as paper) becomes solid ink, the rest disappears.
Artwork oneColour(const Artwork& art, const cv::Scalar& ink);

struct SealFonts {
    const TextPainter* sans;
    const TextPainter* serif;
};

// A generic seal that is not the mark: round or square, single or double ring, other
// characters; or the bare character 蒙 in another font. `sizePx` is its width.
Artwork randomLookalike(Rng& rng, const SealFonts& fonts, int sizePx);

}  // namespace mengscan::scenes
