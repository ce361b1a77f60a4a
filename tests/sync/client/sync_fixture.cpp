#include "sync_fixture.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/client/http_fetcher.hpp"

namespace mengscan::test {
namespace {

std::string registryBinary() {
    return (binDir() / "mengscan-registry").string();
}

// A fixed, valid Ed25519 public key (base64url) for the body's key record.
constexpr const char* kBodyKey = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

}  // namespace

RegistryUnderTest::RegistryUnderTest(bool tls) : tls_(tls) {
    cli({"init"});
    if (tls_) {
        auto r = runCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                             "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                             tlsKey(), "-out", caFile()});
        if (r.exitCode != 0) throw std::runtime_error("openssl req failed: " + r.err);
    }
}

RegistryUnderTest::~RegistryUnderTest() {
    stop();
}

CommandOutput RegistryUnderTest::cli(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {registryBinary(), "--db", dbPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = runCommand(argv);
    if (r.exitCode != 0) {
        throw std::runtime_error("mengscan-registry " + args.at(0) + " failed: " + r.err);
    }
    return r;
}

void RegistryUnderTest::importText(const std::string& jsonl) const {
    static int counter = 0;
    const auto path = dir_ / ("import-" + std::to_string(++counter) + ".jsonl");
    writeFile(path, jsonl);
    cli({"import", path.string()});
}

void RegistryUnderTest::start(const std::vector<std::string>& extraArgs) {
    if (pid_ > 0) return;
    const auto portFile = dir_ / "port";
    // Same port on restart, so a client sees "the server came back".
    std::vector<std::string> argv = {registryBinary(), "--db",
                                     dbPath(),         "serve",
                                     "--listen",       "127.0.0.1:" + std::to_string(port_),
                                     "--port-file",    portFile.string(),
                                     "--quiet",        "--admin"};
    if (tls_) {
        argv.insert(argv.end(), {"--cert", caFile(), "--key-file", tlsKey()});
    } else {
        argv.push_back("--plain-http");
    }
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    const ServerStart started = startServer(argv, dir_ / "serve.log", portFile);
    pid_ = started.pid;
    port_ = started.port;
}

void RegistryUnderTest::stop() {
    stopServer(pid_);
    pid_ = -1;
}

std::string RegistryUnderTest::url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

nlohmann::json RegistryUnderTest::stats() const {
    sync::client::TransferOptions options;
    options.allowPlainHttp = true;
    options.caFile = tls_ ? caFile() : "";
    options.maxAttempts = 1;
    sync::client::HttpFetcher fetcher(options);
    auto response = fetcher.get(url() + "/v1/admin/stats");
    if (!response) throw std::runtime_error(response.error().describe());
    return nlohmann::json::parse(response->body);
}

std::string certNo(int index) {
    char text[32];
    std::snprintf(text, sizeof text, "0021-MZB-24-%05d", index);
    return text;
}

std::string itemCode(int64_t index) {
    char text[32];
    std::snprintf(text, sizeof text, "002124%012lld", static_cast<long long>(index * 7919 + 13));
    return text;
}

std::string datasetJsonl(int certificates, int codesPerCertificate, int64_t firstCode) {
    using nlohmann::json;
    std::string out;
    out += json{{"type", "body"}, {"code", "0021"}, {"name", "Inner Mongolia Certification Centre"}}
               .dump() +
           "\n";
    out += json{{"type", "key"}, {"key_id", "0021-k1"}, {"body", "0021"}, {"public_key", kBodyKey}}
               .dump() +
           "\n";
    int64_t code = firstCode;
    for (int c = 0; c < certificates; ++c) {
        out += json{{"type", "certificate"},   {"cert_no", certNo(c)},
                    {"body", "0021"},          {"holder", "Holder " + std::to_string(c)},
                    {"product", "beef"},       {"issued", "2024-03-01"},
                    {"expires", "2027-02-28"}, {"status", "valid"}}
                   .dump() +
               "\n";
        if (codesPerCertificate > 0) {
            json codes = json::array();
            for (int i = 0; i < codesPerCertificate; ++i) codes.push_back(itemCode(code++));
            out += json{{"type", "item_codes"}, {"cert_no", certNo(c)}, {"codes", codes}}.dump() +
                   "\n";
        }
    }
    return out;
}

std::string changesJsonl(int statusChanges, int newCodes, int flags, int round) {
    using nlohmann::json;
    std::string out;
    char at[32];
    std::snprintf(at, sizeof at, "2025-%02d-01T00:00:00Z", 1 + round % 12);
    for (int c = 0; c < statusChanges; ++c) {
        out += json{{"type", "status"},
                    {"cert_no", certNo(c)},
                    {"status", "suspended"},
                    {"at", at},
                    {"reason", "audit round " + std::to_string(round)}}
                   .dump() +
               "\n";
    }
    for (int i = 0; i < newCodes; ++i) {
        out += json{{"type", "item_code"},
                    {"cert_no", certNo(0)},
                    {"code", itemCode(50000000 + round * 100000 + i)}}
                   .dump() +
               "\n";
    }
    for (int i = 0; i < flags; ++i) {
        out += json{{"type", "flag"},
                    {"code", itemCode(i + round * 1000)},
                    {"reason", "reported clone"},
                    {"at", at}}
                   .dump() +
               "\n";
    }
    return out;
}

sync::client::SyncOptions syncOptions(const RegistryUnderTest& registry, const std::string& cache) {
    sync::client::SyncOptions options;
    options.serverUrl = registry.url();
    options.cachePath = cache;
    options.trustAnchorPath = registry.trustAnchor();
    options.transfer.allowPlainHttp = true;
    options.transfer.maxAttempts = 3;
    options.transfer.backoffBaseMs = 20;
    options.transfer.backoffCapMs = 100;
    options.transfer.connectTimeoutMs = 2000;
    options.transfer.requestTimeoutMs = 10000;
    return options;
}

CacheFacts readCache(const std::string& cachePath) {
    CacheFacts facts;
    {
        sync::OpenOptions open;
        open.mode = sync::OpenMode::ReadWrite;  // recovers a crashed writer's journal
        auto cache = sync::CertificateCache::open(cachePath, open);
        if (!cache) throw std::runtime_error("cache does not open: " + cache.error().describe());
        auto stats = (*cache)->stats();
        if (!stats) throw std::runtime_error("cache stats failed: " + stats.error().describe());
        facts.version = stats->cacheVersion;
        facts.certificates = stats->certificates;
        facts.itemCodes = stats->itemCodes;
        facts.flags = stats->flags;
        facts.statusChanges = stats->statusChanges;
    }
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(cachePath.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
        if (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
            const auto* text = sqlite3_column_text(stmt, 0);
            facts.integrityOk = text && std::string(reinterpret_cast<const char*>(text)) == "ok";
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return facts;
}

std::string describe(const CacheFacts& f) {
    return "version '" + f.version + "', " + std::to_string(f.certificates) + " certificates, " +
           std::to_string(f.itemCodes) + " item codes, " + std::to_string(f.flags) + " flags, " +
           std::to_string(f.statusChanges) + " status changes, integrity " +
           (f.integrityOk ? "ok" : "FAILED");
}

}  // namespace mengscan::test
