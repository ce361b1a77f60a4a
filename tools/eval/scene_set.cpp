#include "scene_set.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace mengscan::evaluation {

Expected<std::vector<SceneEntry>> loadSceneSet(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return makeUnexpected(ErrorCategory::Io, "not_a_folder", dir + " is not a folder");
    std::vector<fs::path> jsons;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".json") jsons.push_back(entry.path());
    }
    std::sort(jsons.begin(), jsons.end());
    std::vector<SceneEntry> scenes;
    for (const auto& path : jsons) {
        std::ifstream in(path);
        nlohmann::json truth;
        try {
            in >> truth;
        } catch (const std::exception& e) {
            return makeUnexpected(ErrorCategory::Usage, "bad_truth",
                                  path.string() + ": " + e.what());
        }
        if (!truth.is_object() || !truth.contains("kind") || !truth.contains("mark")) continue;
        fs::path image = path.parent_path() / truth.value("image", std::string());
        if (!truth.contains("image") || !fs::exists(image)) {
            // Also accept N.jpg / N.png beside N.json when "image" is absent.
            image.clear();
            for (const char* ext : {".jpg", ".png"}) {
                fs::path candidate = path;
                candidate.replace_extension(ext);
                if (fs::exists(candidate)) image = candidate;
            }
            if (image.empty())
                return makeUnexpected(ErrorCategory::Io, "image_missing",
                                      path.string() + ": its image is missing");
        }
        scenes.push_back({image.string(), std::move(truth)});
    }
    if (scenes.empty())
        return makeUnexpected(ErrorCategory::Usage, "empty_set", dir + ": no scenes (N.json)");
    return scenes;
}

}  // namespace mengscan::evaluation
