// One sync of the device's certificate cache from the registry (docs/protocol.md):
//   manifest -> signature checked against the trust anchor -> rollback refused ->
//   delta chain (else snapshot) downloaded with resume -> each file's SHA-256 checked ->
//   applied in ONE cache transaction -> re-based on a snapshot when the chain is broken or
//   a count check fails.
// Whatever fails, the cache keeps its last good version (readers never see a half state)
// and the reason is recorded in the cache metadata for `mengscan sync --status`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"
#include "mengscan/sync/client/http_fetcher.hpp"

namespace mengscan::sync::client {

// Metadata keys the sync client keeps in the cache (besides last_sync and source).
inline constexpr const char* kMetaSyncLastAttempt = "sync_last_attempt";
inline constexpr const char* kMetaSyncLastError = "sync_last_error";
inline constexpr const char* kMetaSyncManifestEtag = "sync_manifest_etag";
inline constexpr const char* kMetaSyncServer = "sync_server";

struct SyncOptions {
    std::string serverUrl;        // base URL, e.g. https://registry.example:8443
    std::string cachePath;        // the device's certificate cache (created when missing)
    std::string trustAnchorPath;  // PEM Ed25519 public key of the registry's manifest key
    std::string stagingDir;       // partial downloads; default <cachePath>.sync
    TransferOptions transfer;
    // Progress lines for the CLI ("manifest version 12", "delta 11->12 (2.1 kB)").
    std::function<void(const std::string&)> progress;
};

struct SyncResult {
    int64_t fromVersion = 0;
    int64_t toVersion = 0;
    std::string method;            // "up_to_date", "delta", "snapshot"
    uint64_t bytesDownloaded = 0;  // file bytes fetched in this run (resumed parts excluded)
    uint64_t manifestBytes = 0;    // the signed manifest envelope (0 when 304)
    int64_t records = 0;           // records applied
    double downloadSeconds = 0, applySeconds = 0, totalSeconds = 0;
    std::vector<std::string> notes;  // e.g. why a snapshot was used instead of deltas
};

// Runs one sync. On error the cache is unchanged (except the sync_* status metadata).
Expected<SyncResult> runSync(const SyncOptions& options);

struct SyncStatus {
    std::string cacheVersion;  // "" when never synced or imported
    std::string lastSync;      // ISO time of the last successful sync, or ""
    int64_t ageSeconds = -1;   // since lastSync, -1 when never
    std::string lastAttempt;
    std::string lastError;  // "" when the last attempt succeeded
    std::string server;
};

Expected<SyncStatus> readSyncStatus(const std::string& cachePath, int64_t nowUnix);

}  // namespace mengscan::sync::client
