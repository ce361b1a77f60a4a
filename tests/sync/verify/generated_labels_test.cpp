// Cross-check with the independent test-data generator (tools/gen-cache): every generated
// label (genuine, forged, revoked, expired, cloned, ...) must get the verdict and reasons
// the generator expects, with signatures made by the generator's own signer.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "verify_fixture.hpp"

using namespace mengscan;

TEST_CASE("labels from mengscan-gen-cache get the verdicts the generator expects") {
    test::TempDir dir;
    const auto gen = test::runCommand({"mengscan-gen-cache", "--out", dir.path().string(), "--seed",
                                       "11", "--certificates", "400", "--item-codes", "20000",
                                       "--labels", "240", "--today", "2026-03-15"});
    CAPTURE(gen.err);
    REQUIRE(gen.exitCode == 0);

    const std::string cachePath = (dir / "cache.sqlite").string();
    {
        sync::OpenOptions rw;
        rw.mode = sync::OpenMode::ReadWrite;
        auto writer = sync::CertificateCache::open(cachePath, rw);
        REQUIRE(writer);
        REQUIRE((*writer)->importFile((dir / "cache.jsonl").string()));
        const std::string updated = test::isoTime(test::kFixtureNow - 3600);
        REQUIRE((*writer)->setMeta(sync::kMetaLastSync, updated));
        REQUIRE((*writer)->setMeta(sync::kMetaLastImport, updated));
    }
    auto cache = sync::CertificateCache::open(cachePath);
    REQUIRE(cache);
    platform::FakeClock clock(test::kFixtureNow);  // 2026-03-15, noon in Beijing
    sync::PayloadRules rules;
    sync::Verifier verifier(cache->get(), nullptr, rules, clock);

    std::ifstream labels(dir / "labels.jsonl");
    std::string line;
    int checked = 0;
    std::set<std::string> truths;
    while (std::getline(labels, line)) {
        const auto label = nlohmann::json::parse(line);
        sync::LabelContext context;
        context.printedText = label.value("printed", "");
        const auto verdict = verifier.verifyText(label["payload"].get<std::string>(), context);
        auto expected = label["expected_reasons"].get<std::vector<std::string>>();
        auto got = test::reasonNames(verdict);
        std::sort(expected.begin(), expected.end());
        std::sort(got.begin(), got.end());
        CAPTURE(line);
        CHECK(test::cls(verdict) == label["expected_verdict"].get<std::string>());
        CHECK(got == expected);
        truths.insert(label["truth"].get<std::string>());
        ++checked;
    }
    CHECK(checked == 240);
    CHECK(truths.size() >= 10);  // genuine, forged, revoked, expired, flagged, ...
}
