// A stable identity for this device: a random id created once and kept in a file in the
// data directory, so that anomaly reports from one device can be grouped upstream. The id
// is not a secret (the per-device upload token is); it only has to stay the same across
// restarts and updates.
#pragma once

#include <string>

#include "mengscan/expected.hpp"

namespace mengscan::platform {

inline constexpr const char* kDeviceIdFileName = "device-id";

// Reads `<dataDir>/device-id`, or creates it ("msd-" + 32 hex digits from the kernel's
// random source) when missing. Creation is atomic (temporary file + link), so two
// processes starting together agree on one id. A present but malformed file is an error,
// not silently replaced: the id must never change behind the upstream's back.
Expected<std::string> deviceIdentity(const std::string& dataDir);

// True for ids deviceIdentity() accepts: 8-64 characters of [A-Za-z0-9._-].
bool isValidDeviceId(const std::string& id);

}  // namespace mengscan::platform
