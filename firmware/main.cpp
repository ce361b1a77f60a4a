// mengscan: label-verification device firmware and command-line tool.
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    using namespace mengscan::firmware;
    CLI::App app{"mengscan: verify Meng-mark (蒙字标) labels"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "mengscan 0.1.0");
    // Lets global options such as --config follow the command name too.
    app.fallthrough();
    GlobalOptions global;
    app.add_option("--config", global.configPath,
                   "device configuration file (TOML, docs/config.md); default: "
                   "$MENGSCAN_CONFIG, else ~/.config/mengscan/mengscan.toml, else "
                   "/etc/mengscan/mengscan.toml when present");
    CommandResult result;
    registerScanCommand(app, global, result);
    registerCacheCommand(app, result);
    registerSyncCommand(app, result);
    registerReportsCommand(app, result);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "mengscan: internal error: " << e.what() << "\n";
        return kExitSomeFailed;
    }
    return result.exitCode;
}
