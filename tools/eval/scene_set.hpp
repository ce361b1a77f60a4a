// A generated scene set (tools/gen-scenes): every N.json with its image beside it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::evaluation {

struct SceneEntry {
    std::string image;  // path of the image file
    nlohmann::json truth;
};

// Scenes in `dir` sorted by name; files without a "kind" (manifest.json) are skipped.
// Errors when the folder is unreadable, a JSON file is malformed or its image is missing.
Expected<std::vector<SceneEntry>> loadSceneSet(const std::string& dir);

}  // namespace mengscan::evaluation
