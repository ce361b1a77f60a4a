// The registry itself: it refuses records a device would refuse (nothing published), and
// publishes a status change as one small `status` record in the delta.
#include <doctest/doctest.h>

#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/client/crypto.hpp"
#include "mengscan/sync/client/gzip.hpp"
#include "mengscan/sync/client/http_fetcher.hpp"
#include "mengscan/sync/client/manifest.hpp"
#include "sync_fixture.hpp"

using namespace mengscan;
using namespace mengscan::test;
namespace client = mengscan::sync::client;

namespace {

std::string fetchText(const RegistryUnderTest& registry, const std::string& path) {
    client::TransferOptions options;
    options.allowPlainHttp = true;
    options.maxAttempts = 1;
    client::HttpFetcher fetcher(options);
    auto response = fetcher.get(registry.url() + path);
    REQUIRE_MESSAGE(response, (response ? "" : response.error().describe()));
    return response->body;
}

}  // namespace

TEST_CASE("registry refuses bad records with the line number and publishes nothing") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(2, 1));
    const std::string bad =
        datasetJsonl(1, 0) +
        R"({"type":"certificate","cert_no":"0021-MZB-24-00099","body":"0021","holder":"h",)"
        R"("product":"p","gtins":["06901234567893"],"issued":"2024-01-01",)"
        R"("expires":"2027-01-01","status":"valid"})"
        "\n";
    TempDir dir;
    writeFile(dir / "bad.jsonl", bad);
    auto r = runCommand(
        {"mengscan-registry", "--db", registry.dbPath(), "import", (dir / "bad.jsonl").string()});
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("bad.jsonl:4") != std::string::npos);
    CHECK(r.err.find("GTIN 06901234567893 is invalid") != std::string::npos);

    auto unknown = runCommand({"mengscan-registry", "--db", registry.dbPath(), "cert", "set-status",
                               "0021-MZB-24-77777", "revoked"});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err.find("unknown") != std::string::npos);
    auto badStatus = runCommand(
        {"mengscan-registry", "--db", registry.dbPath(), "cert", "set-status", certNo(0), "lost"});
    CHECK(badStatus.exitCode == 2);

    const auto status = registry.cli({"status"});
    CHECK(status.out.rfind("version 1\n", 0) == 0);  // still the first version only
}

TEST_CASE("manifest is signed by the trust anchor; a status change is a one-record delta") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(3, 2));
    registry.cli({"cert", "set-status", certNo(1), "suspended", "--reason", "audit"});
    registry.start();
    auto anchor = client::loadPublicKeyPem(registry.trustAnchor());
    REQUIRE(anchor);
    auto manifest = client::openManifestEnvelope(fetchText(registry, "/v1/manifest"), *anchor);
    REQUIRE_MESSAGE(manifest, (manifest ? "" : manifest.error().describe()));
    CHECK(manifest->version == 2);
    CHECK(manifest->counts.at("certificates") == 3);
    CHECK(manifest->counts.at("item_codes") == 6);
    REQUIRE(manifest->deltas.size() == 1);
    const auto& delta = manifest->deltas.front();
    CHECK(delta.fromVersion == 1);
    CHECK(delta.file.records == 2);  // header + one status record

    const std::string gz = fetchText(registry, "/v1/files/" + delta.file.name);
    CHECK(gz.size() == delta.file.size);
    CHECK(client::sha256Hex(gz) == delta.file.sha256);
    auto text = client::gzipDecompress(gz, 1 << 20);
    REQUIRE(text);
    CHECK(text->find(R"("kind":"delta")") != std::string::npos);
    CHECK(text->find(R"("base_version":1)") != std::string::npos);
    CHECK(text->find(R"({"type":"status","cert_no":")" + certNo(1) + R"(","status":"suspended")") !=
          std::string::npos);
    CHECK(text->find(R"("type":"certificate")") == std::string::npos);

    auto snapshot = client::gzipDecompress(
        fetchText(registry, "/v1/files/" + manifest->snapshot.name), 1 << 20);
    REQUIRE(snapshot);
    CHECK(snapshot->find(R"("kind":"snapshot")") != std::string::npos);
    CHECK(snapshot->find(R"("status":"suspended","status_at")") != std::string::npos);
}

TEST_CASE("re-importing a certificate: the delta path and the snapshot path agree") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(2, 1) + changesJsonl(1, 0, 0, 1));  // cert 0 suspended
    registry.start();
    TempDir device;
    const auto viaDelta = (device / "a.sqlite").string();
    REQUIRE(client::runSync(syncOptions(registry, viaDelta)));
    registry.importText(datasetJsonl(2, 1));  // certificates again, status "valid", no time
    auto delta = client::runSync(syncOptions(registry, viaDelta));
    REQUIRE_MESSAGE(delta, (delta ? "" : delta.error().describe()));
    CHECK(delta->method == "delta");
    const auto viaSnapshot = (device / "b.sqlite").string();
    auto snapshot = client::runSync(syncOptions(registry, viaSnapshot));
    REQUIRE(snapshot);
    CHECK(snapshot->method == "snapshot");
    auto statusIn = [](const std::string& path) {
        sync::OpenOptions open;
        open.mode = sync::OpenMode::ReadOnly;
        auto cache = sync::CertificateCache::open(path, open);
        REQUIRE(cache);
        auto cert = (*cache)->findCertificate(certNo(0));
        REQUIRE(cert);
        REQUIRE(cert->has_value());
        return std::string(sync::toString((*cert)->status));
    };
    CHECK(statusIn(viaDelta) == "suspended");  // the newest history entry still rules
    CHECK(statusIn(viaSnapshot) == statusIn(viaDelta));
    CHECK(readCache(viaDelta) == readCache(viaSnapshot));
}
