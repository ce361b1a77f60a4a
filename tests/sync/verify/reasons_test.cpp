#include "mengscan/sync/reasons.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "mengscan/sync/verdict.hpp"
#include "verify_fixture.hpp"

using namespace mengscan::sync;

namespace {
bool hasCjk(const std::string& text) {
    // U+4E00..U+9FFF is encoded as E4 B8 80 .. E9 BF BF in UTF-8.
    for (unsigned char c : text) {
        if (c >= 0xE4 && c <= 0xE9) return true;
    }
    return false;
}
}  // namespace

TEST_CASE("every reason code of the domain has a name, zh-CN and en message") {
    const std::set<std::string> domain = {"certificate_unknown",
                                          "certificate_suspended",
                                          "certificate_revoked",
                                          "certificate_withdrawn",
                                          "certificate_expired",
                                          "item_code_unknown",
                                          "item_code_flagged",
                                          "signature_invalid",
                                          "signature_key_unknown",
                                          "payload_unrecognised",
                                          "body_mismatch",
                                          "scope_mismatch",
                                          "mark_missing",
                                          "code_missing",
                                          "printed_text_mismatch",
                                          "duplicate_scans",
                                          "cache_stale"};
    std::set<std::string> names;
    for (ReasonCode code : kAllReasonCodes) {
        const auto& info = reasonInfo(code);
        CHECK(std::string(toString(info.code)) == toString(code));
        names.insert(info.name);
        CHECK(hasCjk(info.zh));
        CHECK(std::string(info.en).size() > 10);
        CHECK_FALSE(hasCjk(info.en));
        auto back = reasonCodeFromString(info.name);
        REQUIRE(back);
        CHECK(std::string(toString(*back)) == info.name);
    }
    CHECK(names == domain);
    CHECK_FALSE(reasonCodeFromString("certificate_ok"));
}

TEST_CASE("verdict classes round-trip and carry both languages") {
    std::set<std::string> names;
    for (VerdictClass verdict : kAllVerdictClasses) {
        names.insert(toString(verdict));
        CHECK(hasCjk(verdictClassInfo(verdict).zh));
        auto back = verdictClassFromString(toString(verdict));
        REQUIRE(back);
        CHECK(std::string(toString(*back)) == toString(verdict));
    }
    CHECK(names == std::set<std::string>{"genuine", "invalid", "suspect", "unreadable", "no_label",
                                         "unverified"});
    CHECK_FALSE(verdictClassFromString("fake"));
}

TEST_CASE("classify: any invalid reason wins over suspect ones, none is genuine") {
    CHECK(std::string(toString(classify({}))) == "genuine");
    CHECK(std::string(toString(classify({{ReasonCode::DuplicateScans, ""}}))) == "suspect");
    CHECK(std::string(toString(classify(
              {{ReasonCode::CacheStale, ""}, {ReasonCode::MarkMissing, ""}}))) == "suspect");
    CHECK(std::string(toString(classify(
              {{ReasonCode::CacheStale, ""}, {ReasonCode::CertificateRevoked, ""}}))) == "invalid");
    for (ReasonCode code :
         {ReasonCode::CertificateUnknown, ReasonCode::CertificateSuspended,
          ReasonCode::CertificateRevoked, ReasonCode::CertificateWithdrawn,
          ReasonCode::CertificateExpired, ReasonCode::ItemCodeFlagged, ReasonCode::SignatureInvalid,
          ReasonCode::BodyMismatch, ReasonCode::ScopeMismatch}) {
        CHECK((reasonInfo(code).severity == ReasonSeverity::Invalid));
    }
    for (ReasonCode code :
         {ReasonCode::ItemCodeUnknown, ReasonCode::DuplicateScans, ReasonCode::CacheStale,
          ReasonCode::MarkMissing, ReasonCode::CodeMissing, ReasonCode::SignatureKeyUnknown}) {
        CHECK((reasonInfo(code).severity == ReasonSeverity::Suspect));
    }
}
