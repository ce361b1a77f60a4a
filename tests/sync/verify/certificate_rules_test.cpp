// Certificate rules against a real SQLite cache: status, dates, body, GTIN scope, issued
// item codes and flags.
#include <doctest/doctest.h>

#include <sstream>

#include "verify_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using test::reasonNames;
using test::traceUrl;
using Names = std::vector<std::string>;

TEST_CASE("a valid certificate and an issued item code give genuine with the summary") {
    test::VerifyFixture fx;
    auto v = fx.verifyText(traceUrl("0021-MZB-24-00057", "002124583920175534"));
    CHECK(test::cls(v) == "genuine");
    CHECK(v.reasons.empty());
    CHECK_FALSE(v.error);
    REQUIRE(v.certificate);
    CHECK(v.certificate->certNo == "0021-MZB-24-00057");
    CHECK(v.certificate->holder == "Xilingol Grassland Beef Co.");
    CHECK(v.certificate->product == "beef");
    CHECK(v.certificate->bodyCode == "0021");
    CHECK(v.certificate->bodyName == "Inner Mongolia Certification Centre");
    CHECK(v.certificate->issued == "2024-03-01");
    CHECK(v.certificate->expires == "2027-02-28");
    CHECK(v.certificate->status == "valid");
    REQUIRE(v.freshness);
    CHECK(v.freshness->known);
    CHECK_FALSE(v.freshness->showBadge);
    CHECK(v.itemCode == "002124583920175534");
}

TEST_CASE("an unknown certificate number is invalid") {
    test::VerifyFixture fx;
    auto v = fx.verifyText(traceUrl("0021-MZB-24-09999", "002124583920175534"));
    CHECK(test::cls(v) == "invalid");
    CHECK(reasonNames(v) == Names{"certificate_unknown"});
    CHECK_FALSE(v.certificate);
}

TEST_CASE("suspended, revoked, withdrawn and stored-expired certificates are invalid") {
    test::VerifyFixture fx;
    struct Case {
        const char* cert;
        const char* reason;
        const char* status;
    };
    for (const Case& c : {Case{"0021-MZB-24-00058", "certificate_suspended", "suspended"},
                          Case{"0021-MZB-24-00059", "certificate_revoked", "revoked"},
                          Case{"0021-MZB-24-00060", "certificate_withdrawn", "withdrawn"},
                          Case{"0021-MZB-24-00061", "certificate_expired", "expired"}}) {
        CAPTURE(c.cert);
        auto v = fx.verifyText(traceUrl(c.cert, "002124583920170001"));
        CHECK(test::cls(v) == "invalid");
        CHECK(reasonNames(v) == Names{c.reason});
        REQUIRE(v.certificate);
        CHECK(v.certificate->status == c.status);
    }
    auto suspended = fx.verifyText(traceUrl("0021-MZB-24-00058", "002124583920170001"));
    REQUIRE_FALSE(suspended.reasons.empty());
    CHECK(suspended.reasons[0].detail.find("failed surveillance audit") != std::string::npos);
}

TEST_CASE("past its end date a certificate is expired whatever its stored status") {
    test::VerifyFixture fx;
    auto v = fx.verifyText(traceUrl("0021-MZB-22-00001", "002122000000000001"));
    CHECK(test::cls(v) == "invalid");
    CHECK(reasonNames(v) == Names{"certificate_expired"});
    REQUIRE(v.certificate);
    CHECK(v.certificate->status == "expired");
    CHECK(v.certificate->storedStatus == "valid");

    // The end date is inclusive, in Beijing time (UTC+8): valid through 2027-02-28 24:00
    // local, i.e. until 2027-02-28T16:00:00Z.
    const auto url = traceUrl("0021-MZB-24-00057", "002124583920175534");
    fx.setUpdatedAt(test::unixTime("2027-02-28T15:00:00Z"));
    fx.clock.set(test::unixTime("2027-02-28T15:59:59Z"));
    CHECK(test::cls(fx.verifyText(url)) == "genuine");
    fx.clock.set(test::unixTime("2027-02-28T16:00:00Z"));
    auto after = fx.verifyText(url);
    CHECK(test::cls(after) == "invalid");
    CHECK(reasonNames(after) == Names{"certificate_expired"});
}

TEST_CASE("a certificate not yet in force is not known as valid") {
    test::VerifyFixture fx;
    fx.clock.set(test::unixTime("2024-02-01T00:00:00Z"));
    fx.setUpdatedAt(test::unixTime("2024-01-31T23:00:00Z"));
    auto v = fx.verifyText(traceUrl("0021-MZB-24-00057", "002124583920175534"));
    CHECK(test::cls(v) == "invalid");
    CHECK(reasonNames(v) == Names{"certificate_unknown"});
}

TEST_CASE("the item code's body must be the certificate's body (3-digit codes map to 0xxx)") {
    test::VerifyFixture fx;
    auto mismatch = fx.verifyText(traceUrl("0150-MZB-24-00002", "002124583920179999"));
    CHECK(test::cls(mismatch) == "invalid");
    REQUIRE(reasonNames(mismatch) == Names{"body_mismatch"});
    CHECK(mismatch.reasons[0].detail.find("0021") != std::string::npos);

    // 18-digit code of body 0150 under 0150: fine.
    CHECK(test::cls(fx.verifyText(traceUrl("0150-MZB-24-00002", "015024583920179999"))) ==
          "genuine");
    // 17-digit legacy code with body 150 under body 0150: fine.
    CHECK(test::cls(fx.verifyText(traceUrl("0150-MZB-24-00002", "15024583920179999"))) ==
          "genuine");
    // 17-digit legacy code with body 021 under body 0150: mismatch.
    auto legacy = fx.verifyText(traceUrl("0150-MZB-24-00002", "02124583920179999"));
    CHECK(reasonNames(legacy) == Names{"body_mismatch"});
    // 17-digit legacy code issued under 0021's list: genuine.
    CHECK(test::cls(fx.verifyText(traceUrl("0021-MZB-24-00057", "02124583920175536"))) ==
          "genuine");
}

TEST_CASE("a GTIN outside the certificate's scope is invalid; none recorded is not checked") {
    test::VerifyFixture fx;
    const std::string in =
        "https://id.gs1.org/01/06901234567892/21/SN0001?7230=MZ0021-MZB-24-00057";
    const std::string out =
        "https://id.gs1.org/01/06901234567908/21/SN0001?7230=MZ0021-MZB-24-00057";
    CHECK(test::cls(fx.verifyText(in)) == "genuine");
    auto v = fx.verifyText(out);
    CHECK(test::cls(v) == "invalid");
    REQUIRE(reasonNames(v) == Names{"scope_mismatch"});
    CHECK(v.reasons[0].detail.find("06901234567908") != std::string::npos);
    // 0150-MZB-24-00002 records no scope.
    CHECK(test::cls(fx.verifyText(
              "https://id.gs1.org/01/06901234567908/21/SN1?7230=MZ0150-MZB-24-00002")) ==
          "genuine");
}

TEST_CASE("with an issued-code list, a code not in it is suspect") {
    test::VerifyFixture fx;
    auto v = fx.verifyText(traceUrl("0021-MZB-24-00057", "002124583920170000"));
    CHECK(test::cls(v) == "suspect");
    CHECK(reasonNames(v) == Names{"item_code_unknown"});
    // Certificates without a list accept any well-formed code of their body.
    CHECK(test::cls(fx.verifyText(traceUrl("0150-MZB-24-00002", "015024583920170000"))) ==
          "genuine");
}

TEST_CASE("a bare item code finds its certificate through the issued-code list") {
    test::VerifyFixture fx;
    auto v = fx.verifyText("追溯码 002124583920175534");
    CHECK(test::cls(v) == "genuine");
    REQUIRE(v.certificate);
    CHECK(v.certificate->certNo == "0021-MZB-24-00057");
    auto unknown = fx.verifyText("002124583920170000");
    CHECK(test::cls(unknown) == "invalid");
    CHECK(reasonNames(unknown) == Names{"certificate_unknown"});
}

TEST_CASE("a flagged item code is invalid even under a valid certificate") {
    test::VerifyFixture fx;
    auto v = fx.verifyText(traceUrl("0021-MZB-24-00057", "002124583920175535"));
    CHECK(test::cls(v) == "invalid");
    REQUIRE(reasonNames(v) == Names{"item_code_flagged"});
    CHECK(v.reasons[0].detail.find("reported clone") != std::string::npos);
}

TEST_CASE("a long-running verifier sees a revocation once the cache has been updated") {
    test::VerifyFixture fx;
    auto verifier = fx.verifier();
    const auto url = traceUrl("0150-MZB-24-00002", "015024583920170000");
    CHECK(test::cls(verifier->verifyText(url)) == "genuine");
    {
        OpenOptions rw;
        rw.mode = OpenMode::ReadWrite;
        auto writer = CertificateCache::open(fx.cachePath, rw);
        REQUIRE(writer);
        std::istringstream delta(
            R"({"type":"status","cert_no":"0150-MZB-24-00002","status":"revoked","at":"2026-03-15T03:00:00Z","reason":"fraud"})"
            "\n");
        REQUIRE((*writer)->importStream(delta, "delta.jsonl"));
    }
    fx.setUpdatedAt(test::kFixtureNow + 1);
    fx.clock.advance(2);  // past the verifier's metadata re-read interval
    auto v = verifier->verifyText(url);
    CHECK(test::cls(v) == "invalid");
    CHECK(reasonNames(v) == Names{"certificate_revoked"});
}

TEST_CASE("a GS1 Digital Link without a certificate finds it by GTIN, preferring one in force") {
    test::VerifyFixture fx(
        R"({"type":"body","code":"0021","name":"Inner Mongolia Certification Centre"}
{"type":"certificate","cert_no":"0021-MZB-21-00001","body":"0021","holder":"Old","product":"beef","gtins":["06901234567892"],"issued":"2021-01-01","expires":"2024-01-01","status":"valid"}
{"type":"certificate","cert_no":"0021-MZB-24-00002","body":"0021","holder":"Renewed","product":"beef","gtins":["06901234567892"],"issued":"2024-01-02","expires":"2027-01-01","status":"valid"}
)");
    auto v = fx.verifyText("https://id.gs1.org/01/06901234567892/21/SN1");
    CHECK(test::cls(v) == "genuine");
    REQUIRE(v.certificate);
    CHECK(v.certificate->certNo == "0021-MZB-24-00002");
    auto none = fx.verifyText("https://id.gs1.org/01/06901234567908/21/SN1");
    CHECK(test::cls(none) == "invalid");
    CHECK(reasonNames(none) == Names{"certificate_unknown"});
}

TEST_CASE("a verifier sees a revocation at its very next verification after a sync commits") {
    test::VerifyFixture fx;
    auto verifier = fx.verifier();
    const auto url = traceUrl("0150-MZB-24-00002", "015024583920170000");
    CHECK(test::cls(verifier->verifyText(url)) == "genuine");
    {
        OpenOptions rw;
        rw.mode = OpenMode::ReadWrite;
        auto writer = CertificateCache::open(fx.cachePath, rw);
        REQUIRE(writer);
        std::istringstream delta(
            R"({"type":"status","cert_no":"0150-MZB-24-00002","status":"revoked","at":"2026-03-15T03:00:00Z","reason":"fraud"})"
            "\n");
        REQUIRE((*writer)->importStream(delta, "delta.jsonl"));
    }
    fx.setUpdatedAt(test::kFixtureNow + 1);
    // No clock advance: the commit itself (PRAGMA data_version) drops the remembered
    // certificate, not the metadata re-read interval.
    auto v = verifier->verifyText(url);
    CHECK(test::cls(v) == "invalid");
    CHECK(reasonNames(v) == Names{"certificate_revoked"});
}
