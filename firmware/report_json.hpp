// The JSON contract of `mengscan scan --json` (documented in docs/cli.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "scan_pipeline.hpp"

namespace mengscan::firmware {

nlohmann::ordered_json toJson(const FrameReport& report);
// One short human-readable line.
std::string toText(const FrameReport& report);

}  // namespace mengscan::firmware
