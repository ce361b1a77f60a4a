// Test fixture for the verification rules: a real SQLite certificate cache built through
// the cache library's import, a real scan log, a fake clock and deterministic Ed25519 keys.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/test_support.hpp"
#include "mengscan/platform/clock.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/cache_scan_log.hpp"
#include "mengscan/sync/payload.hpp"
#include "mengscan/sync/verdict_engine.hpp"

namespace mengscan::test {

// An Ed25519 key pair from a fixed 32-byte seed (deterministic across runs).
class TestKey {
public:
    explicit TestKey(uint8_t seed);
    const std::vector<uint8_t>& publicKey() const { return publicKey_; }
    std::string publicKeyBase64Url() const;
    std::vector<uint8_t> sign(std::string_view message) const;
    // base64url of sign(message), as printed in `s=`.
    std::string signText(std::string_view message) const;

private:
    std::vector<uint8_t> privateKey_;
    std::vector<uint8_t> publicKey_;
};

// 2026-03-15T04:00:00Z (12:00 in Beijing): the fixture's "now".
inline constexpr int64_t kFixtureNow = 1773547200;

// Unix seconds of "YYYY-MM-DDTHH:MM:SSZ" (test-side, via timegm).
int64_t unixTime(const std::string& iso);
std::string isoTime(int64_t unixSeconds);

// The standard fixture cache (see verify_fixture.cpp for its content):
//   bodies 0021 and 0150; keys 0021-k1 (2024..2027), 0021-old (2020..2023),
//   0021-next (from 2030), 0150-k1; certificates 0021-MZB-24-00057 (valid, GTIN scope,
//   issued-code list), -00058 suspended, -00059 revoked, -00060 withdrawn,
//   0021-MZB-22-00001 (stored valid, expired 2025-01-31), -00061 stored expired,
//   0150-MZB-24-00002 (valid, no scope, no list); flag on 002124583920175535.
std::string fixtureJsonl(const TestKey& key0021, const TestKey& keyOld, const TestKey& keyNext,
                         const TestKey& key0150);

class VerifyFixture {
public:
    // Imports the standard fixture (or `jsonl` when given) and opens the cache read-only
    // for verification, like the device. Freshness: updated 1 h before kFixtureNow.
    explicit VerifyFixture(const std::string& jsonl = "");

    // Sets last_sync and last_import (ISO) through a read-write connection.
    void setUpdatedAt(int64_t unixSeconds);
    // Adds a scan to the scan log.
    void addScan(const std::string& code, int64_t unixSeconds, const std::string& session);
    // A fresh verifier over the current cache/log/clock with `options`.
    std::unique_ptr<sync::Verifier> verifier(sync::VerifyOptions options = {});
    sync::Verdict verifyText(const std::string& payload, const sync::LabelContext& ctx = {},
                             sync::VerifyOptions options = {});

    TempDir dir;
    TestKey key0021{1}, keyOld{2}, keyNext{3}, key0150{4};
    platform::FakeClock clock{kFixtureNow};
    sync::PayloadRules rules;
    std::unique_ptr<sync::CertificateCache> cache;  // read-only
    std::unique_ptr<sync::ScanLog> scanLog;
    std::string cachePath;
};

std::vector<std::string> reasonNames(const sync::Verdict& verdict);
// The verdict class name ("genuine"), for readable CHECKs (doctest cannot print our enums:
// ADL finds sync::toString, which returns const char*).
inline std::string cls(const sync::Verdict& verdict) {
    return toString(verdict.verdict);
}
// "https://trace.mzb.example/t/<cert>/<code>" (+ "?k=<key>&s=<sig>" when key given)
std::string traceUrl(const std::string& cert, const std::string& code);
std::string signedTraceUrl(const std::string& cert, const std::string& code,
                           const std::string& keyId, const TestKey& key);

}  // namespace mengscan::test

// Readable enum values in doctest failure messages.
namespace doctest {
template <>
struct StringMaker<mengscan::sync::SignatureCheck> {
    static String convert(mengscan::sync::SignatureCheck value) {
        return value == mengscan::sync::SignatureCheck::Valid ? "Valid" : "Invalid";
    }
};
}  // namespace doctest
