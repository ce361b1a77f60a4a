// make-emblem: regenerates the stand-in mark, the swap-test emblem and the look-alike
// negatives under assets/mark/ (PNG with alpha). Deterministic: same fonts, same pixels.
//   mengscan-make-emblem [--out DIR] [--font-dir DIR] [--size PX]
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>

#include "emblems.hpp"

namespace fs = std::filesystem;
using namespace mengscan;

int main(int argc, char** argv) {
    CLI::App app{"Generate the stand-in 蒙 mark and test emblems (PNG with alpha)"};
    std::string out = std::string(MENGSCAN_SOURCE_ROOT) + "/assets/mark";
    std::string fontDir = "/usr/share/fonts/opentype/noto";
    int size = 512;
    app.add_option("--out", out, "output folder (default: the source tree's assets/mark)");
    app.add_option("--font-dir", fontDir, "folder with Noto CJK .ttc files (fonts-noto-cjk)");
    app.add_option("--size", size, "emblem size in pixels")->check(CLI::Range(64, 4096));
    CLI11_PARSE(app, argc, argv);

    auto serif = tools::GlyphRenderer::open(fontDir + "/NotoSerifCJK-Bold.ttc");
    auto sans = tools::GlyphRenderer::open(fontDir + "/NotoSansCJK-Bold.ttc");
    auto sansRegular = tools::GlyphRenderer::open(fontDir + "/NotoSansCJK-Regular.ttc");
    for (const auto* f : {&serif, &sans, &sansRegular}) {
        if (!*f) {
            std::cerr << "make-emblem: " << f->error().message
                      << " (install fonts-noto-cjk: tools/install-deps)\n";
            return 1;
        }
    }
    const tools::Fonts fonts{std::move(*serif), std::move(*sans), std::move(*sansRegular)};
    try {
        for (const auto& art : tools::makeAllArtwork(fonts, size)) {
            const fs::path path = fs::path(out) / art.file;
            fs::create_directories(path.parent_path());
            if (!cv::imwrite(path.string(), art.bgra, {cv::IMWRITE_PNG_COMPRESSION, 9})) {
                std::cerr << "make-emblem: cannot write " << path << "\n";
                return 1;
            }
            std::cout << path.string() << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "make-emblem: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
