// mengscan-eval: the real vision pipeline (mark detector + code reader, as `mengscan scan`
// runs them) over a generated scene set (tools/gen-scenes), scored against ground truth.
//
//   mengscan-eval DIR [--mark-template FILE] [--json] [--per-scene] [--limit N]
//
// Prints mark recall (positives, located with IoU >= 0.5), false-positive rate (negatives),
// code read rate, a per-distortion breakdown, and median / p95 ms per frame.
#include <CLI/CLI.hpp>
#include <iostream>

#include "mengscan/platform/frame_source.hpp"
#include "metrics.hpp"
#include "scene_set.hpp"
#include "vision_run.hpp"

using namespace mengscan;
using namespace mengscan::evaluation;

namespace {

struct Args {
    std::string dir;
    std::string markTemplate = std::string(MENGSCAN_SOURCE_ROOT) + "/assets/mark/meng-mark.png";
    bool json = false;
    bool perScene = false;
    int limit = 0;
    bool noEnhance = false;
    std::string markStages = "outlines,colour-features,whole-frame";
};

int run(const Args& args) {
    auto scenes = loadSceneSet(args.dir);
    if (!scenes) {
        std::cerr << "mengscan-eval: " << scenes.error().message << "\n";
        return 1;
    }
    auto markTemplate = vision::loadMarkTemplate(args.markTemplate);
    if (!markTemplate) {
        std::cerr << "mengscan-eval: " << markTemplate.error().message << "\n";
        return 1;
    }
    vision::ReaderOptions reader;
    reader.enhance = !args.noEnhance;
    vision::MarkDetectorOptions markOptions;
    const auto has = [&](const char* stage) {
        return ("," + args.markStages + ",").find(std::string(",") + stage + ",") !=
               std::string::npos;
    };
    markOptions.outlines = has("outlines");
    markOptions.colourFeatures = has("colour-features");
    markOptions.wholeFrameFeatures = has("whole-frame");
    const VisionRun pipeline(vision::MarkDetector(std::move(*markTemplate), markOptions), reader);

    std::vector<SceneScore> scores;
    const size_t n =
        args.limit > 0 ? std::min(scenes->size(), static_cast<size_t>(args.limit)) : scenes->size();
    for (size_t i = 0; i < n; ++i) {
        const SceneEntry& scene = (*scenes)[i];
        auto image = platform::readImageFile(scene.image);
        if (!image) {
            std::cerr << "mengscan-eval: " << image.error().message << "\n";
            return 1;
        }
        scores.push_back(scoreScene(scene, pipeline.process(*image)));
    }
    const Summary summary = summarise(scores);
    if (args.json) {
        nlohmann::ordered_json out = toJson(summary);
        out["set"] = args.dir;
        out["mark_template"] = args.markTemplate;
        if (args.perScene) {
            out["per_scene"] = nlohmann::ordered_json::array();
            for (const auto& s : scores) out["per_scene"].push_back(toJson(s));
        }
        std::cout << out.dump(1) << "\n";
    } else {
        std::cout << "set: " << args.dir << "   template: " << args.markTemplate << "\n"
                  << toText(summary);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    CLI::App app{"Evaluate the vision pipeline on a generated scene set"};
    app.add_option("dir", args.dir, "folder written by mengscan-gen-scenes")->required();
    app.add_option("--mark-template", args.markTemplate, "the mark's reference artwork");
    app.add_flag("--json", args.json, "machine-readable summary");
    app.add_flag("--per-scene", args.perScene, "with --json: every scene's result too");
    app.add_option("--limit", args.limit, "only the first N scenes")->check(CLI::NonNegativeNumber);
    app.add_flag("--no-enhance", args.noEnhance, "code reader without its extra passes");
    app.add_option("--mark-stages", args.markStages,
                   "mark detector stages to run: outlines,colour-features,whole-frame");
    CLI11_PARSE(app, argc, argv);
    try {
        return run(args);
    } catch (const std::exception& e) {
        std::cerr << "mengscan-eval: " << e.what() << "\n";
        return 1;
    }
}
