// The sync client against the real registry on loopback: snapshot, delta chain in one
// apply, 304 when nothing changed, re-base on a snapshot, TLS verification and pinning.
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/client/crypto.hpp"
#include "sync_fixture.hpp"

using namespace mengscan;
using namespace mengscan::test;
namespace client = mengscan::sync::client;

namespace {

std::string statusOf(const std::string& cachePath, const std::string& cert) {
    sync::OpenOptions open;
    open.mode = sync::OpenMode::ReadOnly;
    auto cache = sync::CertificateCache::open(cachePath, open);
    REQUIRE(cache);
    auto found = (*cache)->findCertificate(cert);
    REQUIRE(found);
    return found->has_value() ? sync::toString((*found)->status) : "absent";
}

}  // namespace

TEST_CASE("first sync takes the snapshot, later ones a delta, then 304") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(20, 10));
    registry.start();
    TempDir device;
    const auto cache = (device / "cache.sqlite").string();

    auto first = client::runSync(syncOptions(registry, cache));
    REQUIRE_MESSAGE(first, (first ? "" : first.error().describe()));
    CHECK(first->method == "snapshot");
    CHECK(first->fromVersion == 0);
    CHECK(first->toVersion == 1);
    auto facts = readCache(cache);
    CHECK(facts.version == "1");
    CHECK(facts.certificates == 20);
    CHECK(facts.itemCodes == 200);
    CHECK(facts.integrityOk);

    registry.cli({"cert", "set-status", certNo(3), "revoked", "--reason", "fraud"});
    registry.cli({"flag", itemCode(5), "--reason", "clone"});
    auto second = client::runSync(syncOptions(registry, cache));
    REQUIRE_MESSAGE(second, (second ? "" : second.error().describe()));
    CHECK(second->method == "delta");
    CHECK(second->fromVersion == 1);
    CHECK(second->toVersion == 3);  // two deltas applied as one
    CHECK(statusOf(cache, certNo(3)) == "revoked");
    CHECK(readCache(cache).flags == 1);
    CHECK(second->bytesDownloaded < first->bytesDownloaded);

    auto third = client::runSync(syncOptions(registry, cache));
    REQUIRE(third);
    CHECK(third->method == "up_to_date");
    CHECK(registry.stats()["not_modified"].get<int>() >= 1);

    auto status = client::readSyncStatus(cache, 0);
    REQUIRE(status);
    CHECK(status->cacheVersion == "3");
    CHECK(status->lastError.empty());
    CHECK_FALSE(status->lastSync.empty());
}

TEST_CASE("a broken delta chain falls back to the snapshot") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(5, 2));
    registry.start();
    TempDir device;
    const auto cache = (device / "cache.sqlite").string();
    REQUIRE(client::runSync(syncOptions(registry, cache)));
    for (int round = 1; round <= 4; ++round) {
        registry.cli({"--keep-deltas", "2", "flag", itemCode(round), "--reason", "r"});
    }
    auto result = client::runSync(syncOptions(registry, cache));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().describe()));
    CHECK(result->method == "snapshot");
    CHECK(result->toVersion == 5);
    REQUIRE_FALSE(result->notes.empty());
    CHECK(result->notes.front().find("no delta chain") != std::string::npos);
    CHECK(readCache(cache).flags == 4);
}

TEST_CASE("a failed count check re-bases on the snapshot") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(5, 2));
    registry.start();
    TempDir device;
    const auto cache = (device / "cache.sqlite").string();
    REQUIRE(client::runSync(syncOptions(registry, cache)));
    {  // The device's cache drifts: a flag the registry never published.
        sync::OpenOptions open;
        open.mode = sync::OpenMode::ReadWrite;
        auto local = sync::CertificateCache::open(cache, open);
        REQUIRE(local);
        writeFile(device / "local.jsonl",
                  R"({"type":"flag","code":"123456789012345678","reason":"local"})"
                  "\n");
        REQUIRE((*local)->importFile((device / "local.jsonl").string()));
    }
    registry.cli({"flag", itemCode(1), "--reason", "r"});
    auto result = client::runSync(syncOptions(registry, cache));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().describe()));
    CHECK(result->method == "snapshot");
    REQUIRE_FALSE(result->notes.empty());
    CHECK(result->notes.front().find("re-basing") != std::string::npos);
    auto facts = readCache(cache);
    CHECK(facts.version == "2");
    CHECK(facts.flags == 1);  // the drifted local flag is gone: the cache equals the registry
}

TEST_CASE("TLS: verified against the given CA, pinned key checked, plain HTTP refused") {
    RegistryUnderTest registry(/*tls=*/true);
    registry.importText(datasetJsonl(3, 1));
    registry.start();
    TempDir device;
    const auto cache = (device / "cache.sqlite").string();

    auto options = syncOptions(registry, cache);
    options.transfer.allowPlainHttp = false;
    options.transfer.maxAttempts = 1;
    auto untrusted = client::runSync(options);  // self-signed, not in the system store
    REQUIRE_FALSE(untrusted);
    CHECK(untrusted.error().code == "tls_verification_failed");
    CHECK(readCache(cache).version.empty());

    options.transfer.caFile = registry.caFile();
    options.transfer.pinnedPublicKey =
        "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";  // someone else's key
    auto wrongPin = client::runSync(options);
    REQUIRE_FALSE(wrongPin);
    CHECK(wrongPin.error().code == "tls_pin_mismatch");

    // The right pin: SHA-256 of the server key's SubjectPublicKeyInfo, base64.
    FILE* keyFile = std::fopen(registry.tlsKey().c_str(), "r");
    REQUIRE(keyFile);
    EVP_PKEY* key = PEM_read_PrivateKey(keyFile, nullptr, nullptr, nullptr);
    std::fclose(keyFile);
    REQUIRE(key);
    unsigned char* der = nullptr;
    const int derLen = i2d_PUBKEY(key, &der);
    EVP_PKEY_free(key);
    unsigned char digest[32];
    unsigned int digestLen = 0;
    EVP_Digest(der, static_cast<size_t>(derLen), digest, &digestLen, EVP_sha256(), nullptr);
    OPENSSL_free(der);
    unsigned char b64[64];
    EVP_EncodeBlock(b64, digest, 32);
    options.transfer.pinnedPublicKey = std::string("sha256//") + reinterpret_cast<char*>(b64);
    auto pinned = client::runSync(options);
    REQUIRE_MESSAGE(pinned, (pinned ? "" : pinned.error().describe()));
    CHECK(readCache(cache).version == "1");

    auto plain = syncOptions(registry, cache);
    plain.serverUrl = "http://127.0.0.1:" + std::to_string(registry.port());
    plain.transfer.allowPlainHttp = false;
    auto refused = client::runSync(plain);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "plain_http_refused");
}

TEST_CASE("mengscan sync and sync --status on the command line") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(4, 3));
    registry.start();
    TempDir device;
    const auto cache = (device / "cache.sqlite").string();
    auto synced = runCommand({"mengscan", "sync", "--server", registry.url(), "--cache", cache,
                              "--trust", registry.trustAnchor(), "--allow-plain-http", "--json"});
    CHECK_MESSAGE(synced.exitCode == 0, synced.err);
    const auto result = nlohmann::json::parse(synced.out);
    CHECK(result["ok"] == true);
    CHECK(result["to_version"] == 1);
    CHECK(result["method"] == "snapshot");

    registry.stop();
    auto down =
        runCommand({"mengscan", "sync", "--server", registry.url(), "--cache", cache, "--trust",
                    registry.trustAnchor(), "--allow-plain-http", "--attempts", "1"});
    CHECK(down.exitCode == 1);
    CHECK(down.err.find("server_unreachable") != std::string::npos);
    CHECK(down.err.find("keeps its previous version") != std::string::npos);

    auto status = runCommand({"mengscan", "sync", "--status", "--cache", cache, "--json"});
    CHECK_MESSAGE(status.exitCode == 0, status.err);
    const auto s = nlohmann::json::parse(status.out);
    CHECK(s["version"] == "1");
    CHECK(s["fresh"] == true);
    CHECK(s["last_error"].get<std::string>().find("server_unreachable") != std::string::npos);
}
