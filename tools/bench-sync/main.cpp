// mengscan-bench-sync: measures a full snapshot sync (10,000 certificates + 1,000,000 item
// codes by default) and a 1,000-change delta sync against the real registry on loopback.
// Prints the numbers docs/benchmarks.md ("Sync") quotes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/client/http_fetcher.hpp"
#include "mengscan/sync/client/sync_client.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace client = mengscan::sync::client;

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string certNo(int i) {
    char t[32];
    std::snprintf(t, sizeof t, "%04d-MZB-%02d-%05d", 21 + i % 7, 20 + i % 6, i);
    return t;
}

// Pseudo-random 18-digit item codes (an LCG), as real codes carry 12 random digits.
std::string itemCode(uint64_t i) {
    const uint64_t r = (i * 6364136223846793005ULL + 1442695040888963407ULL) % 1000000000000ULL;
    char t[32];
    std::snprintf(t, sizeof t, "0021%02d%012llu", 20 + static_cast<int>(i % 6),
                  static_cast<unsigned long long>(r));
    return t;
}

int run(const std::vector<std::string>& argv, bool quiet = true) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (quiet) {
            std::freopen("/dev/null", "w", stdout);
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"mengscan-bench-sync: snapshot and delta sync timings on loopback"};
    int certificates = 10000, codes = 1000000, changes = 1000;
    std::string work = "/tmp/mengscan-bench-sync";
    std::string registryBin = (fs::path(argv[0]).parent_path() / "mengscan-registry").string();
    app.add_option("--certificates", certificates);
    app.add_option("--codes", codes, "issued item codes in all");
    app.add_option("--changes", changes, "changes in the delta");
    app.add_option("--work", work, "scratch folder (emptied)");
    app.add_option("--registry", registryBin);
    bool reuse = false;
    app.add_flag("--reuse", reuse, "keep the registry of an earlier run (skips the import)");
    CLI11_PARSE(app, argc, argv);

    const std::string db = work + "/registry.sqlite";
    const bool fresh = !reuse || !fs::exists(db);
    if (fresh) {
        fs::remove_all(work);
        fs::create_directories(work);
        if (run({registryBin, "--db", db, "init"}) != 0) return 1;
    }
    fs::remove_all(work + "/device");
    fs::remove(work + "/port");

    // The data set, as the registry imports it.
    const std::string dataPath = work + "/data.jsonl";
    if (fresh) {
        std::ofstream out(dataPath);
        for (int b = 0; b < 7; ++b) {
            char code[8];
            std::snprintf(code, sizeof code, "%04d", 21 + b);
            out << json{{"type", "body"}, {"code", code}, {"name", "Body " + std::to_string(b)}}
                       .dump()
                << "\n";
        }
        const int perCert = codes / certificates;
        uint64_t next = 0;
        for (int c = 0; c < certificates; ++c) {
            const std::string body = certNo(c).substr(0, 4);
            out << json{{"type", "certificate"},  {"cert_no", certNo(c)},
                        {"body", body},           {"holder", "Holder Co. " + std::to_string(c)},
                        {"product", "beef"},      {"category", "livestock"},
                        {"issued", "2024-03-01"}, {"expires", "2027-02-28"},
                        {"status", "valid"}}
                       .dump()
                << "\n";
            json list = json::array();
            for (int i = 0; i < perCert; ++i) list.push_back(itemCode(next++));
            out << json{{"type", "item_codes"}, {"cert_no", certNo(c)}, {"codes", list}}.dump()
                << "\n";
        }
    }
    auto t = Clock::now();
    if (fresh && run({registryBin, "--db", db, "import", dataPath}) != 0) return 1;
    const double importSeconds = fresh ? since(t) : 0.0;

    const std::string portFile = work + "/port";
    const pid_t server = fork();
    if (server == 0) {
        execl(registryBin.c_str(), registryBin.c_str(), "--db", db.c_str(), "serve", "--listen",
              "127.0.0.1:0", "--plain-http", "--quiet", "--port-file", portFile.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    while (!fs::exists(portFile)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::string port;
    std::ifstream(portFile) >> port;

    client::SyncOptions options;
    options.serverUrl = "http://127.0.0.1:" + port;
    options.cachePath = work + "/device/cache.sqlite";
    options.trustAnchorPath = db + ".trust-anchor.pem";
    options.transfer.allowPlainHttp = true;
    fs::create_directories(work + "/device");
    auto snapshot = client::runSync(options);
    if (!snapshot) {
        std::cerr << snapshot.error().describe() << "\n";
        kill(server, SIGTERM);
        return 1;
    }

    // The delta: status changes, newly issued codes and flags, mixed.
    const std::string changePath = work + "/changes.jsonl";
    {
        std::ofstream out(changePath);
        for (int i = 0; i < changes; ++i) {
            if (i % 3 == 0) {
                out << json{{"type", "status"},
                            {"cert_no", certNo(i * 7 % certificates)},
                            {"status", i % 2 ? "suspended" : "revoked"},
                            {"at", "2026-06-01T08:00:00Z"},
                            {"reason", "surveillance audit"}}
                           .dump()
                    << "\n";
            } else if (i % 3 == 1) {
                out << json{{"type", "item_code"},
                            {"cert_no", certNo(i % certificates)},
                            {"code", itemCode(50000000ULL + i)}}
                           .dump()
                    << "\n";
            } else {
                out << json{{"type", "flag"},
                            {"code", itemCode(i * 13)},
                            {"reason", "reported clone"},
                            {"at", "2026-06-01T08:00:00Z"}}
                           .dump()
                    << "\n";
            }
        }
    }
    if (run({registryBin, "--db", db, "import", changePath}) != 0) return 1;
    auto delta = client::runSync(options);
    kill(server, SIGTERM);
    waitpid(server, nullptr, 0);
    if (!delta) {
        std::cerr << delta.error().describe() << "\n";
        return 1;
    }
    const auto cacheBytes = fs::file_size(options.cachePath);
    json out{{"certificates", certificates},
             {"item_codes", codes},
             {"registry_import_seconds", importSeconds},
             {"snapshot_bytes", snapshot->bytesDownloaded},
             {"snapshot_download_seconds", snapshot->downloadSeconds},
             {"snapshot_apply_seconds", snapshot->applySeconds},
             {"snapshot_total_seconds", snapshot->totalSeconds},
             {"cache_file_bytes", cacheBytes},
             {"delta_method", delta->method},
             {"delta_changes", changes},
             {"delta_bytes", delta->bytesDownloaded},
             {"delta_manifest_bytes", delta->manifestBytes},
             {"delta_bytes_per_change",
              static_cast<double>(delta->bytesDownloaded) / std::max(1, changes)},
             {"delta_apply_seconds", delta->applySeconds},
             {"delta_total_seconds", delta->totalSeconds}};
    std::cout << out.dump(2) << "\n";
    return 0;
}
