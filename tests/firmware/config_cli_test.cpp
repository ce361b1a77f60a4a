// Runs the real `mengscan scan` with a device configuration file (docs/config.md).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "common/json_lines.hpp"
#include "common/test_support.hpp"

using namespace mengscan;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using test::jsonLines;

const fs::path kAltEmblem = test::sourceRoot() / "assets" / "mark" / "alt-emblem.png";
// A camera scene with the stand-in mark (183 px), which the default template finds.
const std::string kSceneWithStandIn =
    (test::sourceRoot() / "tests" / "samples" / "scenes-1" / "00008.jpg").string();
const std::string kQrPhoto =
    (test::sharedRoot() / "corpus" / "qr-real" / "qrcode-1" / "13.webp").string();

// The alternative emblem printed flat on white paper, 200 px wide.
void writeAltEmblemOnPaper(const fs::path& out) {
    const cv::Mat art = cv::imread(kAltEmblem.string(), cv::IMREAD_UNCHANGED);
    REQUIRE(art.type() == CV_8UC4);
    cv::Mat small;
    cv::resize(art, small, {200, 200}, 0, 0, cv::INTER_AREA);
    cv::Mat paper(480, 640, CV_8UC3, cv::Scalar(255, 255, 255));
    for (int y = 0; y < small.rows; ++y) {
        for (int x = 0; x < small.cols; ++x) {
            const auto& p = small.at<cv::Vec4b>(y, x);
            auto& q = paper.at<cv::Vec3b>(y + 140, x + 220);
            for (int c = 0; c < 3; ++c)
                q[c] = static_cast<uchar>((p[c] * p[3] + 255 * (255 - p[3])) / 255);
        }
    }
    REQUIRE(cv::imwrite(out.string(), paper));
}

// The user's own config and templates must not leak into these runs.
struct CleanEnvironment {
    test::TempDir home;
    CleanEnvironment() {
        setenv("XDG_CONFIG_HOME", home.path().c_str(), 1);
        setenv("MENGSCAN_DATA_DIR", (home / "data").c_str(), 1);
        unsetenv("MENGSCAN_CONFIG");
        unsetenv("MENGSCAN_MARK_TEMPLATE");
    }
    ~CleanEnvironment() {
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("MENGSCAN_DATA_DIR");
    }
};

bool markFound(const json& line) {
    return line["mark"].is_object() && line["mark"]["found"];
}

}  // namespace

TEST_CASE("vision.mark_template (relative to the file) is the template the scan looks for") {
    const CleanEnvironment env;
    test::TempDir dir;
    writeAltEmblemOnPaper(dir / "paper.png");
    fs::create_directories(dir / "conf" / "art");
    fs::copy_file(kAltEmblem, dir / "conf" / "art" / "emblem.png");
    test::writeFile(dir / "conf" / "alt.toml", "[vision]\nmark_template = \"art/emblem.png\"\n");
    test::writeFile(dir / "conf" / "empty.toml", "");
    const std::vector<std::string> images = {(dir / "paper.png").string(), kSceneWithStandIn};

    auto run = [&](const std::string& config) {
        std::vector<std::string> argv = {"mengscan", "scan", "--json", "--config", config};
        argv.insert(argv.end(), images.begin(), images.end());
        const auto out = test::runCommand(argv);
        REQUIRE_MESSAGE(out.exitCode == 0, out.err);
        const auto lines = jsonLines(out.out);
        REQUIRE(lines.size() == 2);
        return lines;
    };
    const auto alt = run((dir / "conf" / "alt.toml").string());
    CHECK(markFound(alt[0]));        // the emblem the file names
    CHECK_FALSE(markFound(alt[1]));  // not the stand-in any more
    const auto standIn = run((dir / "conf" / "empty.toml").string());
    CHECK_FALSE(markFound(standIn[0]));
    CHECK(markFound(standIn[1]));

    // --mark-template beats the file.
    const auto flag = test::runCommand(
        {"mengscan", "scan", "--json", "--config", (dir / "conf" / "alt.toml").string(),
         "--mark-template", test::sourceRoot() / "assets/mark/meng-mark.png", kSceneWithStandIn});
    REQUIRE_MESSAGE(flag.exitCode == 0, flag.err);
    CHECK(markFound(jsonLines(flag.out).at(0)));
}

TEST_CASE("mark_detection = false gives \"mark\": null; --mark switches it back on") {
    const CleanEnvironment env;
    test::TempDir dir;
    test::writeFile(dir / "m.toml", "[vision]\nmark_detection = false\n");
    // --config before the command name works as well.
    const auto off = test::runCommand(
        {"mengscan", "--config", (dir / "m.toml").string(), "scan", "--json", kSceneWithStandIn});
    REQUIRE_MESSAGE(off.exitCode == 0, off.err);
    CHECK(jsonLines(off.out).at(0)["mark"].is_null());

    const auto on = test::runCommand({"mengscan", "scan", "--json", "--config",
                                      (dir / "m.toml").string(), "--mark", kSceneWithStandIn});
    REQUIRE_MESSAGE(on.exitCode == 0, on.err);
    CHECK(markFound(jsonLines(on.out).at(0)));
}

TEST_CASE("vision.formats restricts what is read; --formats beats it; $MENGSCAN_CONFIG works") {
    const CleanEnvironment env;
    test::TempDir dir;
    test::writeFile(dir / "dm.toml", "[vision]\nformats = \"DataMatrix\"\n");
    setenv("MENGSCAN_CONFIG", (dir / "dm.toml").c_str(), 1);
    const auto dmOnly = test::runCommand({"mengscan", "scan", "--json", "--no-mark", kQrPhoto});
    const auto qr =
        test::runCommand({"mengscan", "scan", "--json", "--no-mark", "--formats", "qr", kQrPhoto});
    unsetenv("MENGSCAN_CONFIG");
    REQUIRE_MESSAGE(dmOnly.exitCode == 0, dmOnly.err);
    CHECK(jsonLines(dmOnly.out).at(0)["codes"].empty());
    REQUIRE_MESSAGE(qr.exitCode == 0, qr.err);
    CHECK(jsonLines(qr.out).at(0)["codes"].size() == 1);
}

TEST_CASE("a bad config file stops the scan with exit 2, naming the file, line and key") {
    const CleanEnvironment env;
    test::TempDir dir;
    const std::string file = (dir / "m.toml").string();
    auto fails = [&](const std::string& text, const std::string& expected) {
        test::writeFile(file, text);
        const auto out =
            test::runCommand({"mengscan", "scan", "--json", "--config", file, kSceneWithStandIn});
        CHECK(out.exitCode == 2);
        CHECK(out.out.empty());  // nothing scanned
        CHECK_MESSAGE(out.err.find(expected) != std::string::npos, out.err);
    };
    fails("[vision]\nmark_detection = \"no\"\n",
          file + ":2: vision.mark_detection: expected true or false, got a string");
    fails("[vision]\n\nmark_templte = \"x.png\"\n", file + ":3: unknown key vision.mark_templte");
    fails("[vision\n", file + ":1:");
    fails("[vision]\nformats = \"QRCode,Aztec\"\n",
          file + ":2: vision.formats: unknown code format");
    fails("[vision]\nmark_template = \"none.png\"\n",
          "mark template not found: " + (dir / "none.png").string() + " (from " + file +
              ":2: vision.mark_template; give --mark-template FILE, or --no-mark)");

    const auto missing = test::runCommand(
        {"mengscan", "scan", "--config", (dir / "typo.toml").string(), kSceneWithStandIn});
    CHECK(missing.exitCode == 2);
    CHECK(missing.out.empty());
    CHECK(missing.err.find("config file not found: " + (dir / "typo.toml").string()) !=
          std::string::npos);

    // A missing file at the default location is no error.
    const auto none = test::runCommand({"mengscan", "scan", "--json", kSceneWithStandIn});
    CHECK_MESSAGE(none.exitCode == 0, none.err);
}
