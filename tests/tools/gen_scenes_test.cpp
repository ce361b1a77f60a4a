// mengscan-gen-scenes, run as the real binary: determinism, ground-truth consistency, and
// the code in a clean scene decoding to its ground truth through the real reader.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "artwork.hpp"
#include "common/test_support.hpp"
#include "mengscan/platform/frame_source.hpp"
#include "mengscan/vision/code_reader.hpp"
#include "mengscan/vision/mark_detector.hpp"
#include "mengscan/vision/mat_adapter.hpp"
#include "payloads.hpp"
#include "visibility.hpp"

namespace fs = std::filesystem;
using namespace mengscan;

namespace {

std::vector<fs::path> filesIn(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

test::CommandOutput generate(const fs::path& out, std::vector<std::string> extra) {
    std::vector<std::string> argv = {"mengscan-gen-scenes", "--out", out.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return test::runCommand(argv);
}

std::vector<nlohmann::json> truths(const fs::path& dir) {
    std::vector<nlohmann::json> out;
    for (const auto& p : filesIn(dir)) {
        if (p.extension() != ".json" || p.filename() == "manifest.json") continue;
        out.push_back(nlohmann::json::parse(test::readFile(p)));
    }
    return out;
}

bool inside(const nlohmann::json& quad, int w, int h) {
    for (const auto& p : quad)
        if (p[0].get<double>() < 0 || p[0].get<double>() > w || p[1].get<double>() < 0 ||
            p[1].get<double>() > h)
            return false;
    return true;
}

}  // namespace

TEST_CASE("gen-scenes: the same seed gives byte-identical files, another seed does not") {
    test::TempDir tmp;
    const std::vector<std::string> opts = {"--count", "6", "--seed", "5"};
    auto a = generate(tmp / "a", opts);
    REQUIRE_MESSAGE(a.exitCode == 0, a.err);
    // Two worker threads must not change a single byte.
    auto extra = opts;
    extra.insert(extra.end(), {"--jobs", "2"});
    auto b = generate(tmp / "b", extra);
    REQUIRE_MESSAGE(b.exitCode == 0, b.err);
    const auto filesA = filesIn(tmp / "a"), filesB = filesIn(tmp / "b");
    REQUIRE(filesA.size() == 6 * 2 + 1);  // N.jpg + N.json, and manifest.json
    REQUIRE(filesA.size() == filesB.size());
    for (size_t i = 0; i < filesA.size(); ++i) {
        CHECK(filesA[i].filename() == filesB[i].filename());
        CHECK_MESSAGE(test::readFile(filesA[i]) == test::readFile(filesB[i]), filesA[i]);
    }
    auto c = generate(tmp / "c", {"--count", "6", "--seed", "6"});
    REQUIRE(c.exitCode == 0);
    int differing = 0;
    for (const auto& f : filesIn(tmp / "c"))
        if (f.extension() == ".jpg" &&
            test::readFile(f) != test::readFile(tmp / "a" / f.filename()))
            ++differing;
    CHECK(differing == 6);
}

TEST_CASE("gen-scenes: ground truth is consistent with the scene kind") {
    test::TempDir tmp;
    auto r = generate(tmp.path(), {"--count", "30", "--seed", "77", "--corpus-txt", "--jobs", "2"});
    REQUIRE_MESSAGE(r.exitCode == 0, r.err);
    const std::set<std::string> kinds = {"mark_and_code", "mark_only", "code_only", "no_label",
                                         "lookalike"};
    std::set<std::string> seen;
    for (const auto& t : truths(tmp.path())) {
        const std::string kind = t["kind"];
        CAPTURE(t["image"]);
        REQUIRE(kinds.count(kind) == 1);
        seen.insert(kind);
        const bool mark = kind == "mark_and_code" || kind == "mark_only";
        CHECK(t["mark"]["present"].get<bool>() == mark);
        CHECK(t["expected"]["mark_found"].get<bool>() == mark);
        if (mark) {
            CHECK(inside(t["mark"]["quad"], 1280, 720));
            const double w = t["mark"]["width_px"];
            CHECK(w <= 400.5);
            if (!t["geometry"]["shrunk_to_fit"].get<bool>()) CHECK(w >= 39.5);
            const double washed = t["mark"]["ink_washed_out"];
            CHECK(washed >= 0.0);
            CHECK(washed <= 1.0);
            const bool tagged =
                std::find(t["tags"].begin(), t["tags"].end(), "washed_out") != t["tags"].end();
            CHECK(tagged == (washed >= 0.15));
        }
        CHECK(t["lookalike"].is_null() == (kind != "lookalike"));
        const bool codeKind = kind == "mark_and_code" || kind == "code_only";
        if (codeKind) CHECK(t["codes"].size() == 1);
        if (kind == "mark_only" || kind == "no_label") CHECK(t["codes"].empty());
        fs::path txt = tmp / t["image"].get<std::string>();
        txt.replace_extension(".txt");
        CHECK(fs::exists(txt) == !t["codes"].empty());
        for (const auto& c : t["codes"]) {
            CHECK(inside(c["quad"], 1280, 720));
            CHECK(test::readFile(txt) == c["text"].get<std::string>());
            CHECK(t["expected"]["code_texts"][0] == c["text"]);
        }
        if (kind == "code_only")
            CHECK(t["expected"]["reasons"] == nlohmann::json::array({"mark_missing"}));
        if (kind == "mark_only")
            CHECK(t["expected"]["reasons"] == nlohmann::json::array({"code_missing"}));
        if (kind == "no_label") CHECK(t["expected"]["verdict"] == "no_label");
        CHECK(!t["tags"].empty());
    }
    CHECK(seen.size() >= 4);
}

TEST_CASE("gen-scenes: the code in a clean scene decodes to its ground truth (real reader)") {
    test::TempDir tmp;
    auto r = generate(tmp.path(), {"--count", "8", "--seed", "9", "--clean", "--kind",
                                   "mark_and_code", "--format", "png"});
    REQUIRE_MESSAGE(r.exitCode == 0, r.err);
    const vision::CodeReader reader;
    int checked = 0;
    for (const auto& t : truths(tmp.path())) {
        auto image = platform::readImageFile((tmp / t["image"].get<std::string>()).string());
        REQUIRE(image);
        auto gray = vision::toGray(*image);
        REQUIRE(gray);
        const auto codes = reader.read(vision::viewOf(*gray));
        const std::string expected = t["codes"][0]["text"];
        const auto hit =
            std::find_if(codes.begin(), codes.end(),
                         [&](const vision::DecodedCode& c) { return c.text == expected; });
        CHECK_MESSAGE(hit != codes.end(), t["image"] << " did not decode to its truth");
        CHECK(vision::toString(hit != codes.end() ? hit->format : vision::CodeFormat::None) ==
              t["codes"][0]["format"].get<std::string>());
        if (hit != codes.end()) {
            // The decoder's symbol centre lies within the true quad's centre +- a module or two.
            cv::Point2f found(0, 0), truth(0, 0);
            for (int i = 0; i < 4; ++i) {
                found += cv::Point2f(hit->quad[i].x, hit->quad[i].y) * 0.25f;
                truth += cv::Point2f(t["codes"][0]["quad"][i][0].get<float>(),
                                     t["codes"][0]["quad"][i][1].get<float>()) *
                         0.25f;
            }
            const cv::Point2f side(
                t["codes"][0]["quad"][1][0].get<float>() - t["codes"][0]["quad"][0][0].get<float>(),
                t["codes"][0]["quad"][1][1].get<float>() -
                    t["codes"][0]["quad"][0][1].get<float>());
            CHECK(cv::norm(found - truth) < 0.1 * cv::norm(side) + 3);
        }
        ++checked;
    }
    CHECK(checked == 8);
}

TEST_CASE("gen-scenes: the mark's artwork is cropped exactly as the detector crops its template") {
    for (const char* name : {"meng-mark.png", "alt-emblem.png"}) {
        const std::string path = (test::sourceRoot() / "assets" / "mark" / name).string();
        auto art = scenes::loadArtwork(path);
        auto tmpl = vision::loadMarkTemplate(path);
        REQUIRE(art);
        REQUIRE(tmpl);
        CHECK(art->bgr.size() == tmpl->bgr.size());
    }
}

TEST_CASE("gen-scenes: payloads follow the domain formats") {
    CHECK(scenes::gs1CheckDigit("400638133393") == 1);   // GTIN-13 4006381333931
    CHECK(scenes::gs1CheckDigit("0950600013435") == 2);  // GS1 example 09506000134352
    scenes::Rng rng(42);
    for (int i = 0; i < 20; ++i) {
        const auto kind = static_cast<scenes::PayloadKind>(i % 4);
        const auto label = scenes::randomLabel(rng, kind, i % 3 == 0);
        CAPTURE(label.payload);
        CHECK(label.certNo.size() == 17);
        CHECK(label.certNo.substr(4, 5) == "-MZB-");
        CHECK((label.itemCode.size() == 17 || label.itemCode.size() == 18));
        CHECK(label.printedLine.rfind("证书编号 " + label.certNo, 0) == 0);
        switch (kind) {
            case scenes::PayloadKind::TraceUrl:
                CHECK(label.payload.rfind(
                          "https://trace.mzb.example/t/" + label.certNo + "/" + label.itemCode,
                          0) == 0);
                break;
            case scenes::PayloadKind::Gs1DigitalLink: {
                const std::string gtin = label.payload.substr(label.payload.find("/01/") + 4, 14);
                CHECK(scenes::gs1CheckDigit(gtin.substr(0, 13)) == gtin[13] - '0');
                CHECK(label.payload.find("?7230=MZ" + label.certNo) != std::string::npos);
                break;
            }
            case scenes::PayloadKind::Gs1ElementString:
                CHECK(label.payload.rfind("01", 0) == 0);
                CHECK(label.payload.find("\x1d"
                                         "7230MZ" +
                                         label.certNo) != std::string::npos);
                break;
            case scenes::PayloadKind::ItemCode:
                CHECK(label.payload.size() >= label.itemCode.size());
                CHECK(label.payload.substr(label.payload.size() - label.itemCode.size()) ==
                      label.itemCode);
                break;
        }
        if (label.signature == "random") CHECK(label.payload.find("&s=") != std::string::npos);
    }
}

TEST_CASE("gen-scenes: bad input fails with a message, not a crash") {
    test::TempDir tmp;
    auto r = generate(tmp / "x", {"--count", "2", "--mark", (tmp / "missing.png").string()});
    CHECK(r.exitCode != 0);
    CHECK(r.err.find("missing.png") != std::string::npos);
    auto k = generate(tmp / "y", {"--count", "2", "--kind", "nonsense"});
    CHECK(k.exitCode != 0);
}

TEST_CASE("gen-scenes: ink washed out by glare is measured on the mark's own ink") {
    auto art = scenes::loadArtwork((test::sourceRoot() / "assets/mark/meng-mark.png").string());
    REQUIRE(art.hasValue());
    // The artwork on a grey page at 200 px, corners known.
    cv::Mat frame(400, 400, CV_8UC3, cv::Scalar(180, 180, 180));
    const scenes::QuadF quad = {cv::Point2f(100, 100), cv::Point2f(300, 100), cv::Point2f(300, 300),
                                cv::Point2f(100, 300)};
    cv::Mat shrunk, alpha;
    cv::resize(art->bgr, shrunk, cv::Size(200, 200), 0, 0, cv::INTER_AREA);
    cv::resize(art->alpha, alpha, cv::Size(200, 200), 0, 0, cv::INTER_AREA);
    cv::Mat page = frame(cv::Rect(100, 100, 200, 200));
    shrunk.copyTo(page, alpha > 128);
    CHECK(scenes::inkWashedOut(frame, *art, quad) < 0.02);
    // Whiten the left half of the mark: about half of its ink is gone.
    frame(cv::Rect(100, 100, 100, 200)).setTo(cv::Scalar(255, 255, 255));
    const double half = scenes::inkWashedOut(frame, *art, quad);
    CHECK(half > 0.35);
    CHECK(half < 0.65);
    frame.setTo(cv::Scalar(250, 250, 250));
    CHECK(scenes::inkWashedOut(frame, *art, quad) > 0.98);
}
