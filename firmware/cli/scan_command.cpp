// `mengscan scan [--json] [--formats LIST] [--every N] PATH...`
#include <iostream>
#include <memory>

#include "../report_json.hpp"
#include "../scan_pipeline.hpp"
#include "commands.hpp"
#include "mengscan/platform/frame_source.hpp"

namespace mengscan::firmware {
namespace {

struct ScanArgs {
    std::vector<std::string> paths;
    bool json = false;
    std::string formats = "QRCode,MicroQRCode,DataMatrix,Code128,EAN13";
    int every = 1;
    bool noEnhance = false;
};

int runScan(const ScanArgs& args) {
    auto formats = vision::parseFormats(args.formats);
    if (!formats) {
        std::cerr << "mengscan scan: " << formats.error().message << "\n";
        return kExitUsage;
    }
    ScanOptions options;
    options.reader.formats = *formats;
    options.reader.enhance = !args.noEnhance;
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

void registerScanCommand(CLI::App& app, CommandResult& result) {
    auto args = std::make_shared<ScanArgs>();
    CLI::App* cmd = app.add_subcommand(
        "scan", "Read codes (and later the mark and verdict) from images, folders or videos");
    cmd->add_option("paths", args->paths, "image files, folders (recursive) or video files")
        ->required();
    cmd->add_flag("--json", args->json, "one JSON object per image or frame (JSON Lines)");
    cmd->add_option("--formats", args->formats,
                    "comma-separated: QRCode,MicroQRCode,DataMatrix,Code128,EAN13");
    cmd->add_option("--every", args->every, "video: read every Nth frame")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--no-enhance", args->noEnhance,
                  "only the plain ZXing-cpp pass (no extra binarisation/scaling passes)");
    cmd->callback([args, &result]() { result.exitCode = runScan(*args); });
}

}  // namespace mengscan::firmware
