// Composes one scene: a label (mark / look-alike / none, code / none, printed line) on
// packaging or alone, placed into a photo background with rotation, perspective and
// scale, then camera effects; returns the encoded image and its ground truth (JSON).
#pragma once

#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <vector>

#include "artwork.hpp"
#include "backgrounds.hpp"
#include "payloads.hpp"
#include "text_painter.hpp"

namespace mengscan::scenes {

enum class SceneKind { MarkAndCode, MarkOnly, CodeOnly, NoLabel, Lookalike };
const char* toString(SceneKind kind);  // "mark_and_code", "mark_only", ...
std::optional<SceneKind> parseSceneKind(const std::string& name);
bool markExpected(SceneKind kind);  // the scene holds the real mark

struct GeneratorOptions {
    cv::Size frame{1280, 720};
    int minMarkPx = 40;  // nominal mark width in the frame (before perspective)
    int maxMarkPx = 400;
    double maxTiltDeg = 45;
    bool clean = false;                 // no effects, mild geometry, large codes
    std::string format = "jpg";         // "jpg" or "png"
    std::optional<SceneKind> onlyKind;  // every scene of this kind
};

// Everything a scene draws from; loaded once, shared read-only by all scenes.
struct GeneratorResources {
    Artwork mark;
    std::string markFile;
    std::vector<Artwork> lookalikes;  // from files; generic seals are added per scene
    BackgroundLibrary backgrounds;
    std::vector<LabelData> labels;  // from labels.jsonl, or empty: made up per scene
    TextPainter sans, sansBold, serif;
};

struct Scene {
    std::vector<uint8_t> encoded;  // the image file's bytes
    std::string extension;         // ".jpg" or ".png"
    nlohmann::ordered_json truth;
};

// Scene `index` of the set made from `seed`: the same inputs always give the same bytes.
Expected<Scene> generateScene(const GeneratorResources& res, const GeneratorOptions& options,
                              uint64_t seed, int index);

}  // namespace mengscan::scenes
