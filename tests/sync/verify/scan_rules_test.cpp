// Rules about the scan: duplicate scans (scan log), cache freshness, printed text, mark.
#include <doctest/doctest.h>

#include "verify_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using test::reasonNames;
using test::traceUrl;
using Names = std::vector<std::string>;

namespace {
const std::string kCert = "0021-MZB-24-00057";
const std::string kCode = "002124583920175534";
const std::string kUrl = traceUrl(kCert, kCode);
constexpr int64_t kNow = test::kFixtureNow;

LabelContext session(const std::string& id) {
    LabelContext context;
    context.session = id;
    return context;
}
}  // namespace

TEST_CASE("repeat scans within one session are never duplicates") {
    test::VerifyFixture fx;
    for (int i = 1; i <= 10; ++i) fx.addScan(kCode, kNow - i * 600, "till-1");
    auto v = fx.verifyText(kUrl, session("till-1"));
    CHECK(test::cls(v) == "genuine");
    CHECK_FALSE(v.has(ReasonCode::DuplicateScans));
}

TEST_CASE("sightings by more sessions than allowed within the window are duplicate_scans") {
    test::VerifyFixture fx;
    VerifyOptions options;  // more than 3 sightings (this one included) is suspicious
    fx.addScan(kCode, kNow - 3 * 86400, "a");
    fx.addScan(kCode, kNow - 2 * 86400, "b");
    auto two = fx.verifyText(kUrl, session("me"), options);
    CHECK_FALSE(two.has(ReasonCode::DuplicateScans));  // 3 sightings: producer, shop, buyer

    fx.addScan(kCode, kNow - 1 * 86400, "c");
    auto three = fx.verifyText(kUrl, session("me"), options);
    CHECK(test::cls(three) == "suspect");
    REQUIRE(reasonNames(three) == Names{"duplicate_scans"});
    CHECK(three.reasons[0].detail.find("3 other") != std::string::npos);

    // The current session's own earlier scans do not count against it.
    auto asC = fx.verifyText(kUrl, session("c"), options);
    CHECK_FALSE(asC.has(ReasonCode::DuplicateScans));

    // The limit is configurable.
    options.duplicateMaxSightings = 5;
    CHECK_FALSE(fx.verifyText(kUrl, session("me"), options).has(ReasonCode::DuplicateScans));
    // Other codes are not affected.
    CHECK_FALSE(fx.verifyText(traceUrl(kCert, "02124583920175536"), session("me"))
                    .has(ReasonCode::DuplicateScans));
}

TEST_CASE("scans outside the window or inside the debounce interval are not counted") {
    test::VerifyFixture fx;
    VerifyOptions options;
    options.duplicateWindowSeconds = 7 * 86400;
    options.duplicateDebounceSeconds = 120;
    fx.addScan(kCode, kNow - 10 * 86400, "old-1");  // outside the window
    fx.addScan(kCode, kNow - 9 * 86400, "old-2");
    fx.addScan(kCode, kNow - 60, "next-till");  // handed over at the same counter
    fx.addScan(kCode, kNow - 30, "other-till");
    fx.addScan(kCode, kNow - 2 * 86400, "x");
    auto v = fx.verifyText(kUrl, session("me"), options);
    CHECK_FALSE(v.has(ReasonCode::DuplicateScans));

    options.duplicateWindowSeconds = 30 * 86400;  // now the old ones count: 3 others + me
    auto wide = fx.verifyText(kUrl, session("me"), options);
    CHECK(wide.has(ReasonCode::DuplicateScans));
}

TEST_CASE("recordScan appends to the scan log, and the log then feeds the duplicate rule") {
    test::VerifyFixture fx;
    auto verifier = fx.verifier();
    for (int i = 0; i < 4; ++i) {
        fx.clock.advance(3600);
        auto v = verifier->verifyText(kUrl, session("s" + std::to_string(i)));
        CHECK(v.has(ReasonCode::DuplicateScans) == (i == 3));
        REQUIRE(verifier->recordScan(v, "s" + std::to_string(i)));
    }
    CHECK(*fx.scanLog->total() == 4);
    // Nothing to record without an item code.
    Verdict none;
    REQUIRE(verifier->recordScan(none, "s"));
    CHECK(*fx.scanLog->total() == 4);
}

TEST_CASE("freshness: a badge after 24 h, cache_stale after the limit, never a silent pass") {
    test::VerifyFixture fx;
    fx.setUpdatedAt(kNow - 25 * 3600);
    auto day = fx.verifyText(kUrl);
    CHECK(test::cls(day) == "genuine");
    REQUIRE(day.freshness);
    CHECK(day.freshness->showBadge);
    CHECK(day.freshness->badgeEn == "updated 25 h ago");
    CHECK(day.freshness->badgeZh == "25 小时前更新");
    CHECK_FALSE(day.freshness->stale);

    fx.setUpdatedAt(kNow - 8 * 86400);
    auto week = fx.verifyText(kUrl);
    CHECK(test::cls(week) == "suspect");
    CHECK(reasonNames(week) == Names{"cache_stale"});
    CHECK(week.freshness->badgeEn == "updated 8 days ago");
    CHECK(week.freshness->stale);

    VerifyOptions lenient;
    lenient.staleAfterSeconds = 10 * 86400;
    CHECK(test::cls(fx.verifyText(kUrl, {}, lenient)) == "genuine");

    // Stale does not hide a worse finding.
    auto revoked = fx.verifyText(traceUrl("0021-MZB-24-00059", kCode));
    CHECK(test::cls(revoked) == "invalid");
    CHECK(revoked.has(ReasonCode::CacheStale));
}

TEST_CASE("a cache that was never filled gives unverified with cache_stale") {
    test::TempDir dir;
    auto cache = CertificateCache::open((dir / "empty.sqlite").string());
    REQUIRE(cache);
    platform::FakeClock clock(kNow);
    PayloadRules rules;
    Verifier verifier(cache->get(), nullptr, rules, clock);
    auto v = verifier.verifyText(kUrl);
    CHECK(test::cls(v) == "unverified");
    CHECK(reasonNames(v) == Names{"cache_stale"});
    REQUIRE(v.freshness);
    CHECK_FALSE(v.freshness->known);
}

TEST_CASE("printed text must carry the certificate number and item code of the code") {
    test::VerifyFixture fx;
    LabelContext same;
    same.printedText = "证书编号 0021-MZB-24-00057  追溯码 002124583920175534";
    CHECK(test::cls(fx.verifyText(kUrl, same)) == "genuine");
    LabelContext spaced;  // OCR spacing and case do not matter
    spaced.printedText = "证书编号：0021 mzb 24 00057 追溯码：0021 2458 3920 1755 34";
    CHECK(test::cls(fx.verifyText(kUrl, spaced)) == "genuine");

    LabelContext other;
    other.printedText = "证书编号 0021-MZB-24-00057  追溯码 002124583920175599";
    auto v = fx.verifyText(kUrl, other);
    CHECK(test::cls(v) == "suspect");
    REQUIRE(reasonNames(v) == Names{"printed_text_mismatch"});
    CHECK(v.reasons[0].detail.find("002124583920175534") != std::string::npos);
}

TEST_CASE("a code without the mark beside it is suspect: mark_missing") {
    test::VerifyFixture fx;
    LabelContext noMark;
    noMark.markFound = false;
    auto v = fx.verifyText(kUrl, noMark);
    CHECK(test::cls(v) == "suspect");
    CHECK(reasonNames(v) == Names{"mark_missing"});
    LabelContext withMark;
    withMark.markFound = true;
    CHECK(test::cls(fx.verifyText(kUrl, withMark)) == "genuine");
}
