// mengscan-eval on a tiny generated set, run as the real binary: its numbers must agree
// with the ground truth files and with its own per-scene results.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/test_support.hpp"

namespace fs = std::filesystem;
using namespace mengscan;

TEST_CASE("eval: runs on a tiny generated set and its numbers are consistent") {
    test::TempDir tmp;
    auto gen = test::runCommand({"mengscan-gen-scenes", "--out", tmp.path().string(), "--count",
                                 "12", "--seed", "3", "--jobs", "2"});
    REQUIRE_MESSAGE(gen.exitCode == 0, gen.err);
    auto run = test::runCommand({"mengscan-eval", tmp.path().string(), "--json", "--per-scene"});
    REQUIRE_MESSAGE(run.exitCode == 0, run.err);
    const auto j = nlohmann::json::parse(run.out);

    // Counts from the ground truth files themselves.
    int positives = 0, negatives = 0, codes = 0;
    for (const auto& e : fs::directory_iterator(tmp.path())) {
        if (e.path().extension() != ".json" || e.path().filename() == "manifest.json") continue;
        const auto t = nlohmann::json::parse(test::readFile(e.path()));
        (t["mark"]["present"].get<bool>() ? positives : negatives)++;
        codes += static_cast<int>(t["codes"].size());
    }
    CHECK(j["scenes"] == 12);
    CHECK(j["mark_recall"]["n"] == positives);
    CHECK(j["false_positives"]["n"] == negatives);
    CHECK(j["code_read"]["n"] == codes);
    REQUIRE(j["per_scene"].size() == 12);

    int located = 0, foundNeg = 0, read = 0, wrong = 0;
    std::vector<double> ms;
    for (const auto& s : j["per_scene"]) {
        if (s["mark_located"].get<bool>()) {
            CHECK(s["mark_found"].get<bool>());
            CHECK(s["mark_expected"].get<bool>());
            CHECK(s["mark_iou"].get<double>() >= 0.5);
        }
        located += s["mark_located"].get<bool>();
        if (!s["mark_expected"].get<bool>()) foundNeg += s["mark_found"].get<bool>();
        CHECK(s["codes_read"].get<int>() <= s["codes_expected"].get<int>());
        read += s["codes_read"].get<int>();
        wrong += s["wrong_reads"].get<int>();
        CHECK(s["ms"].get<double>() >= s["mark_ms"].get<double>());
        ms.push_back(s["ms"]);
    }
    CHECK(j["mark_recall"]["hits"] == located);
    CHECK(j["false_positives"]["hits"] == foundNeg);
    CHECK(j["code_read"]["hits"] == read);
    CHECK(j["wrong_code_reads"] == wrong);
    if (positives > 0)
        CHECK(j["mark_recall"]["rate"].get<double>() ==
              doctest::Approx(double(located) / positives).epsilon(0.001));
    // The breakdown's "all" row is the whole set.
    CHECK(j["by_tag"]["all"]["recall"]["n"] == positives);
    CHECK(j["by_tag"]["all"]["false_positives"]["hits"] == foundNeg);
    CHECK(j["ms"]["median"].get<double>() <= j["ms"]["p95"].get<double>());
    CHECK(j["ms"]["p95"].get<double>() <= *std::max_element(ms.begin(), ms.end()) + 0.01);
    CHECK(j["ms"]["median"].get<double>() > 0);

    // Human-readable output says the same.
    auto text = test::runCommand({"mengscan-eval", tmp.path().string()});
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.find("mark recall:") != std::string::npos);
    CHECK(text.out.find("(" + std::to_string(located) + "/" + std::to_string(positives) +
                        " located") != std::string::npos);
}

TEST_CASE("eval: a folder without scenes is an error with a message") {
    test::TempDir tmp;
    auto run = test::runCommand({"mengscan-eval", tmp.path().string()});
    CHECK(run.exitCode != 0);
    CHECK(run.err.find("no scenes") != std::string::npos);
    test::writeFile(tmp / "00000.json", "{ not json");
    auto bad = test::runCommand({"mengscan-eval", tmp.path().string()});
    CHECK(bad.exitCode != 0);
    CHECK(bad.err.find("00000.json") != std::string::npos);
}
