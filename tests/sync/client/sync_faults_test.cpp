// Every way the upstream can fail: the device keeps its last good cache and says why.
#include <doctest/doctest.h>

#include "mengscan/sync/client/crypto.hpp"
#include "sync_fixture.hpp"

using namespace mengscan;
using namespace mengscan::test;
namespace client = mengscan::sync::client;

namespace {

// A registry at version 2 and a device cache synced to version 1.
struct Scenario {
    RegistryUnderTest registry;
    TempDir device;
    std::string cache = (device / "cache.sqlite").string();
    CacheFacts good;

    Scenario() {
        registry.importText(datasetJsonl(30, 20));
        registry.start();
        auto first = client::runSync(syncOptions(registry, cache));
        REQUIRE_MESSAGE(first, (first ? "" : first.error().describe()));
        good = readCache(cache);
        REQUIRE(good.version == "1");
        registry.importText(changesJsonl(5, 50, 5, 1));  // version 2, deltas and snapshot
    }

    // Runs a sync that must fail with `code`, and checks the cache and the status.
    void expectFailure(const std::string& code, client::SyncOptions options) {
        auto result = client::runSync(options);
        REQUIRE_FALSE(result);
        CHECK_MESSAGE(result.error().code == code, result.error().describe());
        CHECK(readCache(cache) == good);
        auto status = client::readSyncStatus(cache, 0);
        REQUIRE(status);
        CHECK(status->cacheVersion == good.version);
        CHECK(status->lastError.find(code) != std::string::npos);
    }
    void expectFailure(const std::string& code) {
        expectFailure(code, syncOptions(registry, cache));
    }

    void expectSuccess(const std::string& version = "2") {
        auto result = client::runSync(syncOptions(registry, cache));
        REQUIRE_MESSAGE(result, (result ? "" : result.error().describe()));
        auto facts = readCache(cache);
        CHECK(facts.version == version);
        CHECK(facts.integrityOk);
    }
};

}  // namespace

TEST_CASE("server down") {
    Scenario s;
    s.registry.stop();
    s.expectFailure("server_unreachable");
    s.registry.start();
    s.expectSuccess();
}

TEST_CASE("slow server: an attempt that exceeds the timeout fails, a patient client waits") {
    Scenario s;
    s.registry.restart({"--fault", "slow:1500"});
    auto impatient = syncOptions(s.registry, s.cache);
    impatient.transfer.requestTimeoutMs = 400;
    impatient.transfer.maxAttempts = 2;
    s.expectFailure("timeout", impatient);
    s.registry.restart({"--fault", "slow:200"});
    s.expectSuccess();
}

TEST_CASE("5xx: retried with backoff; a lasting outage fails cleanly") {
    Scenario s;
    s.registry.restart({"--fault", "status:503"});
    s.expectFailure("http_503");
    CHECK(s.registry.stats()["manifest_requests"].get<int>() == 3);  // 3 attempts
    s.registry.restart({"--fault", "status:502@2"});                 // two failures, then fine
    s.expectSuccess();
}

TEST_CASE("connection cut mid-download: the next attempt resumes with Range") {
    Scenario s;
    s.registry.restart({"--fault", "cut:40@1"});
    s.expectSuccess();
    const auto stats = s.registry.stats();
    CHECK(stats["range_requests"].get<int>() >= 1);
    CHECK(stats["faults_applied"].get<int>() == 1);
}

TEST_CASE("connection cut on every attempt: fails, and a later sync resumes the partial file") {
    Scenario s;
    s.registry.restart({"--fault", "cut:40"});
    s.expectFailure("connection_cut");
    s.registry.restart();
    s.expectSuccess();
    CHECK(s.registry.stats()["range_requests"].get<int>() >= 1);
}

TEST_CASE("wrong manifest signature") {
    Scenario s;
    s.registry.restart({"--fault", "wrong-signature"});
    s.expectFailure("signature_invalid");
}

TEST_CASE("manifest signed by a key the device does not trust") {
    Scenario s;
    auto other = client::Ed25519Signer::generate();
    REQUIRE(other);
    writeFile(s.device / "other.pem", client::publicKeyPem(other->publicKey()));
    auto options = syncOptions(s.registry, s.cache);
    options.trustAnchorPath = (s.device / "other.pem").string();
    s.expectFailure("signature_key_unknown", options);
}

TEST_CASE("wrong file hash: the bytes are refused before use") {
    Scenario s;
    s.registry.restart({"--fault", "wrong-hash"});
    s.expectFailure("hash_mismatch");
    s.registry.restart();
    s.expectSuccess();  // the bad bytes were discarded, not resumed from
}

TEST_CASE("truncated file") {
    Scenario s;
    s.registry.restart({"--fault", "truncated"});
    s.expectFailure("file_truncated");
}

TEST_CASE("older version offered: rollback refused") {
    Scenario s;
    s.registry.importText(changesJsonl(1, 1, 1, 2));  // version 3
    s.expectSuccess("3");
    s.good = readCache(s.cache);
    REQUIRE(s.good.version == "3");
    s.registry.restart({"--fault", "older-version"});
    s.expectFailure("rollback_refused");
}

TEST_CASE("garbage manifest") {
    Scenario s;
    s.registry.restart({"--fault", "garbage-manifest"});
    s.expectFailure("manifest_invalid");
}
