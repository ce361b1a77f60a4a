// Writes one registry version: the snapshot and the delta from the previous version (JSON
// Lines in the cache import format, gzip), and the signed manifest listing them.
#pragma once

#include <string>

#include "registry.hpp"

namespace mengscan::registry {

// Runs inside the caller's transaction. Returns the canonical manifest text.
Expected<std::string> publishVersion(Store& store, const sync::client::Ed25519Signer& signer,
                                     int64_t version, const PublishOptions& options);

std::string snapshotFileName(int64_t version);
std::string deltaFileName(int64_t fromVersion, int64_t toVersion);

}  // namespace mengscan::registry
