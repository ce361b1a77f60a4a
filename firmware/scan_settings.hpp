// What `mengscan scan` reads (formats, the mark) after merging, highest first: the command
// line, the environment, the device configuration file, the built-in defaults. Each value
// says where it came from, so an error about it can name the flag, variable or file line.
#pragma once

#include <optional>
#include <string>

#include "mengscan/platform/device_config.hpp"

namespace mengscan::firmware {

inline constexpr const char* kDefaultFormats = "QRCode,MicroQRCode,DataMatrix,Code128,EAN13";

// Only what was given; unset falls through to the next source.
struct ScanFlags {
    std::optional<std::string> formats;       // --formats
    std::optional<std::string> markTemplate;  // --mark-template
    std::optional<bool> markDetection;        // --mark / --no-mark
};

struct ScanEnvironment {
    std::optional<std::string> markTemplate;  // $MENGSCAN_MARK_TEMPLATE (empty = unset)
    static ScanEnvironment fromProcess();
};

struct ScanSettings {
    std::string formats;
    std::string formatsFrom;  // "--formats", "<file>:<line>: vision.formats" or "default"
    bool markDetection = true;
    std::string markDetectionFrom;
    std::string markTemplate;  // empty when detection is off
    std::string markTemplateFrom;
};

// `defaultTemplate`: used when no flag, variable or key names one (the installed artwork in
// the data dir, else the source tree's stand-in; the caller knows which exists).
ScanSettings resolveScanSettings(const ScanFlags& flags, const ScanEnvironment& env,
                                 const platform::DeviceConfig& config,
                                 const std::string& defaultTemplate);

}  // namespace mengscan::firmware
