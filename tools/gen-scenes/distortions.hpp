// Camera and print effects applied to a composed scene, each recorded in the ground truth:
// shading, glare, colour cast, blur, noise (JPEG quality is applied when the file is
// written). Every parameter is drawn from the scene's own random stream.
#pragma once

#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

#include "rng.hpp"

namespace mengscan::scenes {

struct DistortionRecord {
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    std::vector<std::string> tags;  // coarse names for the per-distortion breakdown
};

// `focus` is where the label is (glare lands partly on it); `focusSize` its size in px.
// With `clean`, nothing is applied (and nothing recorded).
void applyDistortions(Rng& rng, cv::Mat& bgr, cv::Point2f focus, float focusSize, bool clean,
                      DistortionRecord& record);

}  // namespace mengscan::scenes
