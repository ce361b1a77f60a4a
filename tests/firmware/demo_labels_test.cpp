// The bundled demo labels (tests/samples/labels-demo, one per truth class) scanned by the
// real binary against a cache imported from the bundled registry export: every label gets
// the verdict and reasons its generator recorded. Camera image -> mark -> code -> payload
// -> cache -> verdict, end to end.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/test_support.hpp"

namespace fs = std::filesystem;
using namespace mengscan;
using nlohmann::json;

TEST_CASE("every bundled demo label gets its expected verdict and reasons") {
    const fs::path bundle = test::sourceRoot() / "tests" / "samples" / "labels-demo";
    test::TempDir dir;
    const std::string cache = (dir / "cache.sqlite").string();
    const auto imported = test::runCommand(
        {"mengscan", "cache", "import", "--cache", cache, (bundle / "registry.jsonl").string()});
    REQUIRE_MESSAGE(imported.exitCode == 0, imported.err);

    const auto scanned = test::runCommand({"mengscan", "scan", "--json", "--no-reports",
                                           "--cache", cache, bundle.string()});
    REQUIRE_MESSAGE(scanned.exitCode == 0, scanned.err);
    std::istringstream lines(scanned.out);
    std::string line;
    std::set<std::string> verdictsSeen;
    int labels = 0;
    while (std::getline(lines, line)) {
        const json frame = json::parse(line);
        fs::path label = frame["source"].get<std::string>();
        label.replace_extension(".label.json");
        const json truth = json::parse(test::readFile(label));
        INFO(label.filename().string());
        ++labels;
        REQUIRE(frame["codes"].size() == 1);
        CHECK(frame["codes"][0]["text"] == truth["payload"]);
        CHECK(frame["mark"]["found"] == true);
        CHECK(frame["verdict"] == truth["expected_verdict"]);
        for (const auto& reason : truth["expected_reasons"]) {
            const auto& got = frame["reasons"];
            CHECK_MESSAGE(std::find(got.begin(), got.end(), reason) != got.end(),
                          "missing reason " << reason);
        }
        verdictsSeen.insert(frame["verdict"].get<std::string>());
    }
    CHECK(labels == 12);
    CHECK(verdictsSeen == std::set<std::string>{"genuine", "invalid", "suspect"});
}
