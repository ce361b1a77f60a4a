// The local scan log: every verified item code with its time, for duplicate-scan (clone)
// detection. Device state, not registry data, so it lives in its own SQLite file beside
// the certificate cache (docs/cache-format.md): recording a scan never waits for a sync
// holding the cache's write lock, and a snapshot import never wipes it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mengscan/expected.hpp"

namespace mengscan::sync {

struct ScanRecord {
    std::string itemCode;     // or serial when the label has no item code
    int64_t scannedAtMs = 0;  // Unix time, milliseconds
    std::string session;      // scanning session id (repeat scans in one session are benign)
    std::string verdict;      // verdict class shown for this scan
    std::string certNo;
};

class ScanLog {
public:
    // Creates the file and schema when missing. Versioned like the cache (user_version).
    static Expected<std::unique_ptr<ScanLog>> open(const std::string& path,
                                                   const std::string& vfs = "");
    ~ScanLog();
    ScanLog(const ScanLog&) = delete;
    ScanLog& operator=(const ScanLog&) = delete;

    Status record(const ScanRecord& scan);
    // Scans of `itemCode` with fromMs <= time <= toMs; when excludeSession is not empty,
    // scans of that session are not counted.
    Expected<int64_t> countInWindow(std::string_view itemCode, int64_t fromMs, int64_t toMs,
                                    std::string_view excludeSession = {});
    // Distinct sessions that scanned `itemCode` in the window.
    Expected<int64_t> sessionsInWindow(std::string_view itemCode, int64_t fromMs, int64_t toMs);
    Expected<int64_t> total();
    // Deletes scans older than `beforeMs` (keeps the log bounded); returns rows removed.
    Expected<int64_t> prune(int64_t beforeMs);

    // Like CertificateCache: several reads (one verification's duplicate checks) in one
    // read transaction, one lock/unlock instead of one per query. Keep it short.
    Status beginRead();
    void endRead();
    bool inRead() const;

    class Impl;

private:
    explicit ScanLog(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// "<folder of cachePath>/scanlog.sqlite"
std::string scanLogPathFor(const std::string& cachePath);

}  // namespace mengscan::sync
