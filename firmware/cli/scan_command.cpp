// `mengscan scan [--json] [--formats LIST] [--every N] [--cache PATH] PATH...`
// Formats and the mark also come from the device configuration file (scan_settings.hpp).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "../report_json.hpp"
#include "../scan_outbox.hpp"
#include "../scan_pipeline.hpp"
#include "../scan_settings.hpp"
#include "commands.hpp"
#include "mengscan/platform/clock.hpp"
#include "mengscan/platform/device_config.hpp"
#include "mengscan/platform/frame_source.hpp"
#include "mengscan/platform/paths.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/cache_scan_log.hpp"
#include "mengscan/sync/verdict_engine.hpp"

namespace mengscan::firmware {
namespace {

struct ScanArgs {
    std::vector<std::string> paths;
    bool json = false;
    ScanFlags flags;  // formats and the mark: only what was given on the command line
    int every = 1;
    bool noEnhance = false;
    std::string cachePath;  // empty: no verification, verdict "unverified"
    std::string session;
    bool recordScans = false;
    bool noReports = false;  // no anomaly events into the report outbox
    std::string location;
};

// Everything verification needs, alive for the whole scan.
struct Verification {
    std::unique_ptr<sync::CertificateCache> cache;
    std::unique_ptr<sync::ScanLog> scanLog;
    std::unique_ptr<platform::Clock> clock = platform::makeSystemClock();
    sync::PayloadRules rules;
    std::unique_ptr<sync::Verifier> verifier;
    std::unique_ptr<sync::Outbox> outbox;
};

// Opens the cache read-only (created empty when missing) and, when it exists or scans are
// to be recorded, the scan log beside it (the duplicate-scan rule reads it).
Status openVerification(const ScanArgs& args, Verification& v) {
    auto cache = sync::CertificateCache::open(args.cachePath);
    if (!cache) return Unexpected(cache.error());
    v.cache = std::move(*cache);
    const std::string logPath = sync::scanLogPathFor(args.cachePath);
    if (args.recordScans || std::filesystem::exists(logPath)) {
        auto log = sync::ScanLog::open(logPath);
        if (!log) return Unexpected(log.error());
        v.scanLog = std::move(*log);
    }
    v.verifier =
        std::make_unique<sync::Verifier>(v.cache.get(), v.scanLog.get(), v.rules, *v.clock);
    return {};
}

// When nothing names a template: <data dir>/mark/meng-mark.png when installed there, else
// the stand-in in the source tree the binary was built from.
std::string defaultMarkTemplatePath() {
    const std::string installed = platform::dataDirectory() + "/mark/meng-mark.png";
    std::error_code ec;
    if (std::filesystem::is_regular_file(installed, ec)) return installed;
    return vision::bundledMarkTemplatePath();
}

int runScan(const ScanArgs& args, const GlobalOptions& global) {
    // Read before anything else, so a broken file stops the scan before it starts.
    const auto config = platform::loadDeviceConfig(global.configPath);
    if (!config) {
        std::cerr << "mengscan scan: " << config.error().message << "\n";
        return kExitUsage;
    }
    const ScanSettings settings = resolveScanSettings(args.flags, ScanEnvironment::fromProcess(),
                                                      *config, defaultMarkTemplatePath());
    auto formats = vision::parseFormats(settings.formats);
    if (!formats) {
        std::cerr << "mengscan scan: "
                  << (settings.formatsFrom == "--formats" ? "" : settings.formatsFrom + ": ")
                  << formats.error().message << "\n";
        return kExitUsage;
    }
    ScanOptions options;
    options.reader.formats = *formats;
    options.reader.enhance = !args.noEnhance;
    if (settings.markDetection) {
        auto markTemplate = vision::loadMarkTemplate(settings.markTemplate);
        if (!markTemplate) {
            const bool named = settings.markTemplateFrom != "--mark-template" &&
                               settings.markTemplateFrom != "default";
            std::cerr << "mengscan scan: " << markTemplate.error().message << " ("
                      << (named ? "from " + settings.markTemplateFrom + "; " : "")
                      << "give --mark-template FILE, or --no-mark)\n";
            return kExitUsage;
        }
        options.markTemplate = std::move(*markTemplate);
    }
    Verification verification;
    if (!args.cachePath.empty()) {
        if (auto opened = openVerification(args, verification); !opened) {
            std::cerr << "mengscan scan: " << opened.error().message << "\n";
            return kExitSomeFailed;
        }
        options.verifier = verification.verifier.get();
        options.session = !args.session.empty()
                              ? args.session
                              : "scan-" + std::to_string(verification.clock->nowUnixSeconds()) +
                                    "-" + std::to_string(getpid());
        options.recordScans = args.recordScans;
        if (!args.noReports) {
            auto outbox = openScanOutbox(args.cachePath, args.location);
            if (!outbox) {
                std::cerr << "mengscan scan: " << outbox.error().message << "\n";
                return kExitSomeFailed;
            }
            verification.outbox = std::move(*outbox);
            options.outbox = verification.outbox.get();
        }
    }
    const ScanPipeline pipeline(options);

    platform::SourceOptions sourceOptions;
    sourceOptions.everyNth = args.every;
    bool allRead = true;
    for (const auto& path : args.paths) {
        auto source = platform::openPath(path, sourceOptions);
        while (auto frame = source->next()) {
            FrameReport report;
            report.source = frame->source;
            report.frame = frame->index;
            if (!frame->ok()) {
                report.error = frame->error;
            } else {
                pipeline.process(frame->image, report);
            }
            if (report.error) allRead = false;
            if (args.json) {
                std::cout << toJson(report).dump(-1, ' ', false,
                                                 nlohmann::ordered_json::error_handler_t::replace)
                          << "\n";
            } else {
                std::cout << toText(report) << "\n";
            }
            std::cout.flush();
        }
    }
    return allRead ? kExitOk : kExitSomeFailed;
}

}  // namespace

void registerScanCommand(CLI::App& app, const GlobalOptions& global, CommandResult& result) {
    auto args = std::make_shared<ScanArgs>();
    CLI::App* cmd = app.add_subcommand(
        "scan", "Read codes (and later the mark and verdict) from images, folders or videos");
    cmd->add_option("paths", args->paths, "image files, folders (recursive) or video files")
        ->required();
    cmd->add_flag("--json", args->json, "one JSON object per image or frame (JSON Lines)");
    cmd->add_option("--formats", args->flags.formats,
                    "comma-separated: QRCode,MicroQRCode,DataMatrix,Code128,EAN13 (default: "
                    "all, or vision.formats in the config file)");
    cmd->add_option("--every", args->every, "video: read every Nth frame")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--no-enhance", args->noEnhance,
                  "only the plain ZXing-cpp pass (no extra binarisation/scaling passes)");
    cmd->add_option("--cache", args->cachePath,
                    "certificate cache: fill verdict, reasons and certificate for every frame "
                    "(without it the verdict is \"unverified\")");
    cmd->add_option("--session", args->session,
                    "scanning session id for the duplicate-scan rule (default: one per run)");
    cmd->add_flag("--record-scans", args->recordScans,
                  "append each verified item code to the scan log beside the cache");
    cmd->add_flag("--no-reports", args->noReports,
                  "with --cache: do not queue anomaly reports (docs/reports.md)");
    cmd->add_option("--location", args->location, "location text put into anomaly reports");
    cmd->add_option("--mark-template", args->flags.markTemplate,
                    "the mark's reference artwork (PNG with alpha; default: see docs/cli.md)");
    // One optional<bool> for both, so "neither given" leaves the config file to decide.
    auto* mark = cmd->add_flag_function(
        "--mark", [args](std::int64_t) { args->flags.markDetection = true; },
        "detect the mark even when the config file switches it off");
    cmd->add_flag_function(
           "--no-mark", [args](std::int64_t) { args->flags.markDetection = false; },
           "no mark detection (\"mark\": null)")
        ->excludes(mark);
    cmd->callback([args, &global, &result]() { result.exitCode = runScan(*args, global); });
}

}  // namespace mengscan::firmware
