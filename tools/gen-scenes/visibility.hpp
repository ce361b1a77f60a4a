// How much of the mark a scene still shows: glare can saturate the mark's ink to white,
// and no detector can find what is not in the pixels. Recorded in the ground truth so the
// evaluation can say which misses were visible at all.
#pragma once

#include <opencv2/core.hpp>

#include "artwork.hpp"
#include "scene_geometry.hpp"

namespace mengscan::scenes {

// Share (0..1) of the artwork's ink pixels (covered, darker than paper) that are near
// white (grey >= 240) in the final frame, with the artwork's corners mapped to `quad`.
double inkWashedOut(const cv::Mat& frameBgr, const Artwork& art, const QuadF& quad);

}  // namespace mengscan::scenes
