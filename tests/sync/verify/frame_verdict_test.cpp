// Whole-frame verdicts: no label, unreadable, code_missing, payload_unrecognised, and
// what happens without a cache.
#include <doctest/doctest.h>

#include "verify_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using test::reasonNames;
using test::traceUrl;
using Names = std::vector<std::string>;

namespace {
const std::string kUrl = traceUrl("0021-MZB-24-00057", "002124583920175534");

FrameObservation frame(std::vector<std::string> payloads, std::optional<bool> mark,
                       int undecoded = 0) {
    FrameObservation f;
    f.payloads = std::move(payloads);
    f.context.markFound = mark;
    f.undecodedSymbols = undecoded;
    return f;
}
}  // namespace

TEST_CASE("nothing in the frame is no_label; a located but undecodable symbol is unreadable") {
    test::VerifyFixture fx;
    auto verifier = fx.verifier();
    CHECK(test::cls(verifier->verifyFrame(frame({}, false))) == "no_label");
    CHECK(test::cls(verifier->verifyFrame(frame({}, std::nullopt))) == "no_label");
    auto unreadable = verifier->verifyFrame(frame({}, true, 1));
    CHECK(test::cls(unreadable) == "unreadable");
    CHECK(unreadable.reasons.empty());
}

TEST_CASE("the mark without a code is suspect: code_missing") {
    test::VerifyFixture fx;
    auto v = fx.verifier()->verifyFrame(frame({}, true));
    CHECK(test::cls(v) == "suspect");
    CHECK(reasonNames(v) == Names{"code_missing"});
}

TEST_CASE("codes that are not label payloads: payload_unrecognised") {
    test::VerifyFixture fx;
    auto verifier = fx.verifier();
    auto withMark = verifier->verifyFrame(frame({"https://shop.example/promo?id=7"}, true));
    CHECK(test::cls(withMark) == "invalid");
    REQUIRE(reasonNames(withMark) == Names{"payload_unrecognised"});
    CHECK_FALSE(withMark.reasons[0].detail.empty());

    // Some other product's QR code and no mark: not a Meng label at all.
    auto noMark = verifier->verifyFrame(frame({"https://shop.example/promo?id=7"}, false));
    CHECK(test::cls(noMark) == "no_label");

    // Hostile and truncated payloads never crash and are all unrecognised.
    for (const std::string& bad :
         {std::string("https://trace.mzb.example/t/0021-MZB"), std::string(5000, 'A'),
          std::string("\x1d\x1d\x00\xff", 4), std::string("0021245839201755")}) {
        auto v = verifier->verifyText(bad);
        CHECK(test::cls(v) == "invalid");
        CHECK(reasonNames(v) == Names{"payload_unrecognised"});
    }
}

TEST_CASE("the first parsable payload of a frame is verified; other codes are ignored") {
    test::VerifyFixture fx;
    auto v = fx.verifier()->verifyFrame(frame({"WIFI:S:shop;;", kUrl}, true));
    CHECK(test::cls(v) == "genuine");
    REQUIRE(v.certificate);
    CHECK(v.certificate->certNo == "0021-MZB-24-00057");
}

TEST_CASE("without a cache every label is unverified, local findings still listed") {
    platform::FakeClock clock(test::kFixtureNow);
    PayloadRules rules;
    Verifier verifier(nullptr, nullptr, rules, clock);
    CHECK_FALSE(verifier.hasCache());
    auto v = verifier.verifyText(kUrl);
    CHECK(test::cls(v) == "unverified");
    CHECK(v.reasons.empty());
    CHECK_FALSE(v.certificate);
    CHECK_FALSE(v.freshness);

    auto noMark = verifier.verifyFrame(frame({kUrl}, false));
    CHECK(test::cls(noMark) == "unverified");
    CHECK(reasonNames(noMark) == Names{"mark_missing"});
    auto markOnly = verifier.verifyFrame(frame({}, true));
    CHECK(test::cls(markOnly) == "unverified");
    CHECK(reasonNames(markOnly) == Names{"code_missing"});
    CHECK(test::cls(verifier.verifyFrame(frame({}, false))) == "no_label");
    CHECK(test::cls(verifier.verifyText("garbage")) == "unverified");
}
