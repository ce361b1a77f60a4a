// `mengscan reports --status | --upload --server URL [--token T]`: the anomaly report
// outbox beside the cache (docs/reports.md).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "mengscan/platform/device_identity.hpp"
#include "mengscan/platform/paths.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/outbox_uploader.hpp"

namespace mengscan::firmware {
namespace {

using nlohmann::ordered_json;

struct ReportsArgs {
    bool status = false, upload = false, json = false, allowPlainHttp = false;
    std::string cachePath, server, token, caFile, pin;
    int attempts = 4;
    size_t batch = 100;
};

std::string isoTime(int64_t ms) {
    if (ms <= 0) return "never";
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// --token, else $MENGSCAN_REPORT_TOKEN, else <data dir>/report-token (never printed).
std::string resolveToken(const ReportsArgs& args) {
    if (!args.token.empty()) return args.token;
    if (const char* env = std::getenv("MENGSCAN_REPORT_TOKEN"); env && *env) return env;
    std::ifstream in(platform::dataDirectory() + "/report-token");
    std::string token;
    std::getline(in, token);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
    return token;
}

int fail(const ReportsArgs& args, const Error& e) {
    if (args.json) {
        std::cout << ordered_json{{"ok", false}, {"error", e.code}, {"message", e.message}}.dump()
                  << "\n";
    } else {
        std::cerr << "mengscan reports: " << e.message << "\n";
    }
    return e.category == ErrorCategory::Usage ? kExitUsage : kExitSomeFailed;
}

int printStatus(const ReportsArgs& args, sync::Outbox& outbox, const std::string& path) {
    auto st = outbox.stats();
    if (!st) return fail(args, st.error());
    if (args.json) {
        ordered_json out{{"outbox", path},
                         {"pending", st->pending},
                         {"pending_invalid", st->pendingInvalid},
                         {"pending_suspect", st->pendingSuspect},
                         {"pending_images", st->pendingImages},
                         {"stored_bytes", st->storedBytes},
                         {"sent", st->sent},
                         {"rejected", st->rejected},
                         {"dropped_images", st->droppedImages},
                         {"last_upload", st->lastUploadMs > 0 ? isoTime(st->lastUploadMs) : ""},
                         {"last_error", st->lastError},
                         {"last_error_at", st->lastErrorMs > 0 ? isoTime(st->lastErrorMs) : ""}};
        std::cout << out.dump() << "\n";
        return kExitOk;
    }
    std::cout << "outbox " << path << "\n"
              << "pending " << st->pending << " (" << st->pendingInvalid << " invalid, "
              << st->pendingSuspect << " suspect), " << st->pendingImages << " with images, "
              << st->storedBytes << " bytes stored\n"
              << "sent " << st->sent << ", rejected " << st->rejected << ", dropped images "
              << st->droppedImages << "\n"
              << "last upload " << isoTime(st->lastUploadMs) << "\n"
              << "last error "
              << (st->lastError.empty() ? "none"
                                        : st->lastError + " (" + isoTime(st->lastErrorMs) + ")")
              << "\n";
    return kExitOk;
}

int runReports(const ReportsArgs& args) {
    const std::string cachePath =
        args.cachePath.empty() ? sync::defaultCachePath() : args.cachePath;
    const std::string path = sync::scanLogPathFor(cachePath);
    sync::OutboxOptions outboxOptions;
    if (args.upload) {
        if (args.server.empty()) {
            return fail(args,
                        Error(ErrorCategory::Usage, "no_server", "--upload needs --server URL"));
        }
        // The data directory is the cache's folder (the default cache lives in it).
        auto device = platform::deviceIdentity(
            std::filesystem::path(cachePath).parent_path().string());
        if (!device) return fail(args, device.error());
        outboxOptions.deviceId = *device;
    }
    auto outbox = sync::Outbox::open(path, outboxOptions);
    if (!outbox) return fail(args, outbox.error());
    if (!args.upload) return printStatus(args, **outbox, path);

    sync::UploaderOptions options;
    options.serverUrl = args.server;
    options.token = resolveToken(args);
    options.transfer.caFile = args.caFile;
    options.transfer.pinnedPublicKey = args.pin;
    options.transfer.allowPlainHttp = args.allowPlainHttp;
    options.transfer.maxAttempts = args.attempts;
    options.batchEvents = args.batch;
    sync::Uploader uploader(**outbox, options);
    if (!args.json) {
        uploader.setRetryObserver([](int attempt, long delayMs, const Error& why) {
            std::cerr << "mengscan reports: " << why.code << ", retry " << attempt << " in "
                      << delayMs << " ms\n";
        });
    }
    auto done = uploader.uploadAll();
    if (!done) return fail(args, done.error());
    auto st = (*outbox)->stats();
    if (!st) return fail(args, st.error());
    if (args.json) {
        std::cout << ordered_json{{"ok", true},
                                  {"batches", done->batches},
                                  {"stored", done->stored},
                                  {"duplicates", done->duplicates},
                                  {"rejected", done->rejected},
                                  {"retries", done->retries},
                                  {"pending", st->pending}}
                         .dump()
                  << "\n";
    } else {
        std::cout << "uploaded " << done->stored + done->duplicates << " event(s) in "
                  << done->batches << " batch(es) (" << done->duplicates << " already known, "
                  << done->rejected << " rejected); " << st->pending << " pending\n";
    }
    return kExitOk;
}

}  // namespace

void registerReportsCommand(CLI::App& app, CommandResult& result) {
    auto args = std::make_shared<ReportsArgs>();
    CLI::App* cmd = app.add_subcommand("reports", "Anomaly report outbox: status and upload");
    auto* status = cmd->add_flag("--status", args->status,
                                 "pending, sent, dropped images, last error (the default)");
    cmd->add_flag("--upload", args->upload, "send pending events to --server")->excludes(status);
    cmd->add_option("--server", args->server, "registry base URL, e.g. https://registry:8443");
    cmd->add_option("--token", args->token,
                    "device bearer token (default $MENGSCAN_REPORT_TOKEN or "
                    "<data dir>/report-token)");
    cmd->add_option("--cache", args->cachePath,
                    "certificate cache; the outbox is scanlog.sqlite beside it");
    cmd->add_option("--ca-file", args->caFile, "extra CA bundle for the server's certificate");
    cmd->add_option("--pin", args->pin, "TLS public-key pin, e.g. sha256//BASE64 (curl syntax)");
    cmd->add_flag("--allow-plain-http", args->allowPlainHttp,
                  "permit http:// (loopback tests only)");
    cmd->add_option("--attempts", args->attempts, "tries per batch (retries with backoff)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--batch", args->batch, "events per batch")->check(CLI::PositiveNumber);
    cmd->add_flag("--json", args->json, "one JSON object as the result");
    cmd->callback([args, &result]() { result.exitCode = runReports(*args); });
}

}  // namespace mengscan::firmware
