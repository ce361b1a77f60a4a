// mengscan-gen-scenes: synthetic 1280x720 scenes with Meng-mark labels and ground truth.
//
//   mengscan-gen-scenes --count N --out DIR [--seed S] [--mark FILE] [--labels FILE]
//                       [--backgrounds DIR]... [--kind K] [--clean] [--format jpg|png]
//
// Writes DIR/NNNNN.jpg (or .png) and DIR/NNNNN.json per scene, and DIR/manifest.json.
// The same options and seed always give byte-identical files.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "scene_generator.hpp"

using namespace mengscan;
using namespace mengscan::scenes;
namespace fs = std::filesystem;

namespace {

struct Args {
    int count = 100;
    int start = 0;
    std::string out;
    uint64_t seed = 1;
    std::string mark = std::string(MENGSCAN_SOURCE_ROOT) + "/assets/mark/meng-mark.png";
    std::string lookalikes = std::string(MENGSCAN_SOURCE_ROOT) + "/assets/mark/lookalikes";
    std::vector<std::string> backgrounds;
    bool noVideo = false;
    std::string labels;
    std::string format = "jpg";
    std::string kind;
    bool clean = false;
    bool corpusTxt = false;
    int minMarkPx = 40, maxMarkPx = 400;
    double maxTilt = 45;
    int jobs = 1;
};

bool writeBytes(const fs::path& path, const void* data, size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    return static_cast<bool>(out);
}

bool writeText(const fs::path& path, const std::string& text) {
    return writeBytes(path, text.data(), text.size());
}

Expected<GeneratorResources> loadResources(const Args& args) {
    auto mark = loadArtwork(args.mark);
    if (!mark) return Unexpected(mark.error());
    auto sans = TextPainter::open(kSansFont, kSimplifiedChineseFace);
    if (!sans) return Unexpected(sans.error());
    auto sansBold = TextPainter::open(kSansBoldFont, kSimplifiedChineseFace);
    if (!sansBold) return Unexpected(sansBold.error());
    auto serif = TextPainter::open(kSerifFont, kSimplifiedChineseFace);
    if (!serif) return Unexpected(serif.error());
    std::vector<std::string> dirs = args.backgrounds;
    if (dirs.empty()) {
        // Debian's opencv-doc sample photos (tools/install-deps), else the code-free
        // photographs of the shared corpus.
        if (fs::is_directory(kOpencvDocData))
            dirs.push_back(kOpencvDocData);
        else
            dirs.push_back(std::string(MENGSCAN_SHARED_ROOT) + "/corpus/qr-real/falsepositives-1");
    }
    GeneratorResources res{std::move(*mark),
                           fs::path(args.mark).filename().string(),
                           loadArtworkFolder(args.lookalikes),
                           BackgroundLibrary::load(dirs, !args.noVideo),
                           {},
                           std::move(*sans),
                           std::move(*sansBold),
                           std::move(*serif)};
    if (!args.labels.empty()) {
        auto labels = loadLabels(args.labels);
        if (!labels) return Unexpected(labels.error());
        res.labels = std::move(*labels);
    }
    return res;
}

int run(const Args& args) {
    GeneratorOptions options;
    options.clean = args.clean;
    options.format = args.format;
    options.minMarkPx = args.minMarkPx;
    options.maxMarkPx = args.maxMarkPx;
    options.maxTiltDeg = args.maxTilt;
    if (!args.kind.empty()) {
        options.onlyKind = parseSceneKind(args.kind);
        if (!options.onlyKind) {
            std::cerr << "mengscan-gen-scenes: unknown --kind " << args.kind << "\n";
            return 2;
        }
    }
    auto res = loadResources(args);
    if (!res) {
        std::cerr << "mengscan-gen-scenes: " << res.error().message << "\n";
        return 1;
    }
    std::error_code ec;
    fs::create_directories(args.out, ec);
    if (ec) {
        std::cerr << "mengscan-gen-scenes: cannot create " << args.out << ": " << ec.message()
                  << "\n";
        return 1;
    }
    const int jobs = std::max(1, args.jobs);
    std::vector<int> failures(static_cast<size_t>(jobs), 0);
    auto worker = [&](int job) {
        for (int i = args.start + job; i < args.start + args.count; i += jobs) {
            char name[32];
            std::snprintf(name, sizeof name, "%05d", i);
            auto scene = generateScene(*res, options, args.seed, i);
            if (!scene) {
                std::cerr << "scene " << name << ": " << scene.error().message << "\n";
                ++failures[static_cast<size_t>(job)];
                continue;
            }
            const fs::path base = fs::path(args.out) / name;
            scene->truth["image"] = std::string(name) + scene->extension;
            bool ok = writeBytes(base.string() + scene->extension, scene->encoded.data(),
                                 scene->encoded.size());
            ok = ok && writeText(base.string() + ".json", scene->truth.dump(1) + "\n");
            // Corpus-test convention: X.txt holds the text the code must decode to.
            if (args.corpusTxt && !scene->truth["codes"].empty())
                ok = ok && writeText(base.string() + ".txt",
                                     scene->truth["codes"][0]["text"].get<std::string>());
            if (!ok) {
                std::cerr << "cannot write " << base << "\n";
                ++failures[static_cast<size_t>(job)];
            }
        }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < jobs; ++j) threads.emplace_back(worker, j);
    worker(0);
    for (auto& t : threads) t.join();
    int failed = 0;
    for (int f : failures) failed += f;

    nlohmann::ordered_json manifest = {
        {"generator", "mengscan-gen-scenes/1"},
        {"seed", args.seed},
        {"start", args.start},
        {"count", args.count},
        {"mark", fs::path(args.mark).filename().string()},
        {"lookalike_files", res->lookalikes.size()},
        {"backgrounds", res->backgrounds.size()},
        {"labels", args.labels.empty() ? "random" : fs::path(args.labels).filename().string()},
        {"clean", args.clean},
        {"format", args.format},
        {"kinds", args.kind.empty() ? "mixed" : args.kind},
        {"mark_px", {args.minMarkPx, args.maxMarkPx}},
        {"max_tilt_deg", args.maxTilt}};
    writeText(fs::path(args.out) / "manifest.json", manifest.dump(1) + "\n");
    std::cerr << "mengscan-gen-scenes: " << (args.count - failed) << " scenes in " << args.out
              << " (" << res->backgrounds.size() << " background photos, " << res->lookalikes.size()
              << " look-alike files)\n";
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    CLI::App app{"Synthetic Meng-mark scenes with ground truth"};
    app.add_option("--count", args.count, "number of scenes")->check(CLI::PositiveNumber);
    app.add_option("--start", args.start, "index of the first scene")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--out", args.out, "output folder")->required();
    app.add_option("--seed", args.seed, "random seed (same seed, same files)");
    app.add_option("--mark", args.mark, "the mark's artwork (PNG with alpha)");
    app.add_option("--lookalikes", args.lookalikes, "folder of look-alike artwork images");
    app.add_option("--backgrounds", args.backgrounds,
                   "photo folder(s); default: opencv-doc sample data");
    app.add_flag("--no-video", args.noVideo, "do not take frames from videos in the folders");
    app.add_option("--labels", args.labels, "labels.jsonl with payloads (tools/gen-cache)");
    app.add_option("--format", args.format, "image format")->check(CLI::IsMember({"jpg", "png"}));
    app.add_option("--kind", args.kind,
                   "only this kind: mark_and_code, mark_only, code_only, no_label, lookalike");
    app.add_flag("--clean", args.clean, "no camera effects, mild geometry, large codes");
    app.add_flag("--corpus-txt", args.corpusTxt, "also write X.txt with the code's text");
    app.add_option("--min-mark-px", args.minMarkPx, "smallest mark width")
        ->check(CLI::Range(16, 1000));
    app.add_option("--max-mark-px", args.maxMarkPx, "largest mark width")
        ->check(CLI::Range(16, 1000));
    app.add_option("--max-tilt", args.maxTilt, "largest tilt in degrees")
        ->check(CLI::Range(0.0, 60.0));
    app.add_option("--jobs", args.jobs, "worker threads")->check(CLI::Range(1, 64));
    CLI11_PARSE(app, argc, argv);
    if (args.minMarkPx > args.maxMarkPx) {
        std::cerr << "mengscan-gen-scenes: --min-mark-px is larger than --max-mark-px\n";
        return 2;
    }
    try {
        return run(args);
    } catch (const std::exception& e) {
        std::cerr << "mengscan-gen-scenes: " << e.what() << "\n";
        return 1;
    }
}
