// The device configuration file (TOML, docs/config.md): where it is, and what it says.
// Only the file's own checks live here (syntax, known keys, types); what a value means (is
// the template readable, are the formats known) is checked by the command that uses it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::platform {

// A value set in the file, with the line it was set on (for error messages).
template <class T>
struct ConfigValue {
    T value{};
    int line = 0;
};

// Every key is optional: unset means "the built-in default" (or a flag/variable decides).
struct DeviceConfig {
    std::string path;  // the file read; empty when there was none (all defaults)

    // [vision]
    std::optional<ConfigValue<std::string>> markTemplate;  // relative: against the file's folder
    std::optional<ConfigValue<bool>> markDetection;
    std::optional<ConfigValue<std::string>> formats;  // as --formats, checked by the user

    // "/etc/mengscan/mengscan.toml:3: vision.formats", for messages about a value.
    std::string where(int line, std::string_view key) const;
};

// The default locations, in the order they are tried: $XDG_CONFIG_HOME/mengscan/mengscan.toml
// (else $HOME/.config/...), then /etc/mengscan/mengscan.toml.
std::vector<std::string> defaultDeviceConfigPaths();

// The file to read: `explicitPath` (--config) when not empty, else $MENGSCAN_CONFIG, else the
// first default location that exists; empty when none does. `required` is true when the
// file was named explicitly, so that a missing one is an error rather than "no file".
struct DeviceConfigLocation {
    std::string path;
    bool required = false;
};
DeviceConfigLocation locateDeviceConfig(const std::string& explicitPath);

// Locates and reads the configuration; no file at a default location gives the defaults.
Expected<DeviceConfig> loadDeviceConfig(const std::string& explicitPath);

// Reads one file, which must exist.
Expected<DeviceConfig> readDeviceConfigFile(const std::string& path);

// Parses TOML text; `path` names the file in messages and anchors relative paths.
Expected<DeviceConfig> parseDeviceConfig(std::string_view text, const std::string& path);

}  // namespace mengscan::platform
