// `mengscan sync --server URL [--cache PATH] [--trust FILE]`: bring the certificate cache up
// to the registry's newest signed version; `mengscan sync --status`: version, age, last error.
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "mengscan/platform/paths.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/client/sync_client.hpp"

namespace mengscan::firmware {
namespace {

using nlohmann::ordered_json;

struct SyncArgs {
    std::string server, cachePath, trustPath, caFile, pin, staging;
    bool status = false, json = false, quiet = false, allowPlainHttp = false;
    double timeoutSeconds = 300, connectTimeoutSeconds = 5;
    int attempts = 4;
    long backoffMs = 500;
};

std::string ageText(int64_t seconds) {
    if (seconds < 0) return "never";
    if (seconds < 120) return std::to_string(seconds) + " s ago";
    if (seconds < 7200) return std::to_string(seconds / 60) + " min ago";
    if (seconds < 172800) return std::to_string(seconds / 3600) + " h ago";
    return std::to_string(seconds / 86400) + " days ago";
}

int runStatus(const SyncArgs& args, const std::string& cachePath) {
    auto status = sync::client::readSyncStatus(cachePath, static_cast<int64_t>(std::time(nullptr)));
    if (!status) {
        std::cerr << "mengscan sync --status: " << status.error().message << "\n";
        return kExitSomeFailed;
    }
    const auto& s = *status;
    if (args.json) {
        ordered_json out{{"cache", cachePath},
                         {"version", s.cacheVersion},
                         {"last_sync", s.lastSync},
                         {"age_seconds", s.ageSeconds},
                         {"fresh", s.ageSeconds >= 0 && s.ageSeconds < 24 * 3600},
                         {"last_attempt", s.lastAttempt},
                         {"last_error", s.lastError},
                         {"server", s.server}};
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "cache:        " << cachePath << "\n"
                  << "version:      " << (s.cacheVersion.empty() ? "none" : s.cacheVersion) << "\n"
                  << "last sync:    " << (s.lastSync.empty() ? "never" : s.lastSync) << " ("
                  << ageText(s.ageSeconds) << ")\n"
                  << "last attempt: " << (s.lastAttempt.empty() ? "never" : s.lastAttempt) << "\n"
                  << "last error:   " << (s.lastError.empty() ? "none" : s.lastError) << "\n"
                  << "server:       " << (s.server.empty() ? "-" : s.server) << "\n";
    }
    return kExitOk;
}

int runSyncCommand(const SyncArgs& args) {
    const std::string cachePath =
        args.cachePath.empty() ? sync::defaultCachePath() : args.cachePath;
    if (args.status) return runStatus(args, cachePath);
    if (args.server.empty()) {
        std::cerr << "mengscan sync: --server URL is required (or --status)\n";
        return kExitUsage;
    }
    sync::client::SyncOptions options;
    options.serverUrl = args.server;
    options.cachePath = cachePath;
    options.trustAnchorPath =
        args.trustPath.empty() ? platform::dataDirectory() + "/trust-anchor.pem" : args.trustPath;
    options.stagingDir = args.staging;
    options.transfer.caFile = args.caFile;
    options.transfer.pinnedPublicKey = args.pin;
    options.transfer.allowPlainHttp = args.allowPlainHttp;
    options.transfer.requestTimeoutMs = static_cast<long>(args.timeoutSeconds * 1000);
    options.transfer.connectTimeoutMs = static_cast<long>(args.connectTimeoutSeconds * 1000);
    options.transfer.maxAttempts = args.attempts;
    options.transfer.backoffBaseMs = args.backoffMs;
    if (!args.quiet && !args.json) {
        options.progress = [](const std::string& line) { std::cerr << "sync: " << line << "\n"; };
    }
    auto result = sync::client::runSync(options);
    if (!result) {
        const auto& e = result.error();
        if (args.json) {
            std::cout
                << ordered_json{{"ok", false}, {"error", e.code}, {"message", e.message}}.dump()
                << "\n";
        }
        std::cerr << "mengscan sync: " << e.describe()
                  << " (the cache keeps its previous version)\n";
        return e.category == ErrorCategory::Usage ? kExitUsage : kExitSomeFailed;
    }
    const auto& r = *result;
    if (args.json) {
        ordered_json out{{"ok", true},
                         {"from_version", r.fromVersion},
                         {"to_version", r.toVersion},
                         {"method", r.method},
                         {"bytes_downloaded", r.bytesDownloaded},
                         {"records", r.records},
                         {"download_seconds", r.downloadSeconds},
                         {"apply_seconds", r.applySeconds},
                         {"total_seconds", r.totalSeconds},
                         {"notes", r.notes}};
        std::cout << out.dump() << "\n";
    } else if (r.method == "up_to_date") {
        std::cout << "cache is up to date at version " << r.toVersion << "\n";
    } else {
        std::cout << "synced version " << r.fromVersion << " -> " << r.toVersion << " by "
                  << r.method << ": " << r.records << " records, " << r.bytesDownloaded
                  << " bytes downloaded, applied in " << r.applySeconds << " s\n";
    }
    return kExitOk;
}

}  // namespace

void registerSyncCommand(CLI::App& app, CommandResult& result) {
    auto args = std::make_shared<SyncArgs>();
    CLI::App* cmd = app.add_subcommand(
        "sync", "Update the certificate cache from the registry (signed, verified, atomic)");
    cmd->add_option("--server", args->server, "registry base URL, e.g. https://registry:8443");
    cmd->add_option("--cache", args->cachePath, "certificate cache (default: data directory)");
    cmd->add_option("--trust", args->trustPath,
                    "registry manifest public key, PEM (default: DATA_DIR/trust-anchor.pem)");
    cmd->add_flag("--status", args->status, "show version, age and last error; no network");
    cmd->add_option("--ca-file", args->caFile,
                    "extra CA bundle for the registry's TLS certificate");
    cmd->add_option("--pin", args->pin, "TLS public-key pin, e.g. sha256//BASE64 (curl syntax)");
    cmd->add_flag("--allow-plain-http", args->allowPlainHttp,
                  "accept http:// (data stays signed and hashed; for loopback tests and demos)");
    cmd->add_option("--timeout", args->timeoutSeconds, "seconds per transfer attempt")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--connect-timeout", args->connectTimeoutSeconds, "seconds to connect")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--attempts", args->attempts, "tries per transfer (retries with backoff)")
        ->check(CLI::Range(1, 20));
    cmd->add_option("--backoff-ms", args->backoffMs,
                    "base of the exponential backoff (full jitter)")
        ->check(CLI::Range(0, 600000));
    cmd->add_option("--staging", args->staging,
                    "folder for partial downloads (default CACHE.sync)");
    cmd->add_flag("--json", args->json, "one JSON object as the result");
    cmd->add_flag("--quiet", args->quiet, "no progress lines");
    cmd->callback([args, &result]() { result.exitCode = runSyncCommand(*args); });
}

}  // namespace mengscan::firmware
