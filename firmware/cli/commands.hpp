// Each `mengscan <command>` lives in its own file and registers itself on the CLI11 app.
// A command's callback stores its exit status in the shared CommandResult.
#pragma once

#include <CLI/CLI.hpp>

namespace mengscan::firmware {

// Exit statuses shared by all commands.
enum ExitCode : int {
    kExitOk = 0,
    kExitSomeFailed = 1,  // some inputs could not be processed
    kExitUsage = 2,       // bad command line
};

struct CommandResult {
    int exitCode = kExitOk;
};

// Options of `mengscan` itself, accepted before or after the command name.
struct GlobalOptions {
    std::string configPath;  // --config; empty: $MENGSCAN_CONFIG or the default locations
};

void registerScanCommand(CLI::App& app, const GlobalOptions& global, CommandResult& result);
void registerCacheCommand(CLI::App& app, CommandResult& result);
void registerSyncCommand(CLI::App& app, CommandResult& result);
void registerReportsCommand(CLI::App& app, CommandResult& result);

}  // namespace mengscan::firmware
