#include "mengscan/sync/verdict_json.hpp"

#include <doctest/doctest.h>

#include "verify_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;

TEST_CASE("verdict JSON carries class, bilingual reasons, certificate and cache badge") {
    test::VerifyFixture fx;
    fx.setUpdatedAt(test::kFixtureNow - 30 * 3600);
    auto v = fx.verifyText(test::traceUrl("0021-MZB-24-00058", "002124583920170001"));
    const auto json = toJson(v);
    CHECK(json["verdict"] == "invalid");
    CHECK(json["message"]["zh"].get<std::string>().find("无效") != std::string::npos);
    REQUIRE(json["reasons"].size() == 1);
    CHECK(json["reasons"][0]["code"] == "certificate_suspended");
    CHECK(json["reasons"][0]["severity"] == "invalid");
    CHECK(json["reasons"][0]["zh"].get<std::string>().find("暂停") != std::string::npos);
    CHECK(json["reasons"][0]["en"].get<std::string>().find("suspended") != std::string::npos);
    CHECK(json["certificate"]["number"] == "0021-MZB-24-00058");
    CHECK(json["certificate"]["holder"] == "Ordos Cashmere Ltd.");
    CHECK(json["certificate"]["status"] == "suspended");
    CHECK(json["cache"]["age_hours"] == 30);
    CHECK(json["cache"]["badge_en"] == "updated 30 h ago");
    CHECK(json["cache"]["stale"] == false);
    CHECK_FALSE(json.contains("error"));

    const auto text = toText(v);
    CHECK(text.find("verdict: invalid") != std::string::npos);
    CHECK(text.find("certificate_suspended") != std::string::npos);
    CHECK(text.find("Ordos Cashmere Ltd.") != std::string::npos);
}

TEST_CASE("verdict JSON without a certificate or cache has nulls") {
    Verdict v;
    const auto json = toJson(v);
    CHECK(json["verdict"] == "unverified");
    CHECK(json["certificate"].is_null());
    CHECK(json["cache"].is_null());
    CHECK(json["reasons"].empty());
}
