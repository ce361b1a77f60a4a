// The report outbox: every verdict other than `genuine` (and every `genuine` when
// configured) becomes an anomaly event stored in the scan log's SQLite file, in the same
// transaction as the scan's own row, before the verdict is shown. The uploader
// (outbox_uploader.hpp) later sends pending events upstream and removes them once the
// server has acknowledged them; nothing is lost when the device dies in between.
//
// The outbox is bounded (bytes and events). When full, evidence IMAGES are dropped, the
// oldest of the lowest priority first, and counted; events themselves are never dropped
// (docs/reports.md). Not thread-safe: one Outbox per thread; several processes may share
// the file (SQLite WAL, busy timeout).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mengscan/expected.hpp"
#include "mengscan/sync/cache_scan_log.hpp"

namespace mengscan::sync {

// Where the device stands: free text ("Hohhot, Wanda Plaza, stall 12") and/or GPS.
struct ReportLocation {
    std::string text;
    std::optional<double> latitude, longitude;
    bool empty() const { return text.empty() && !latitude && !longitude; }
};

// One anomaly event. Strings are as the verdict engine names them ("invalid",
// "certificate_revoked"); the outbox does not interpret them beyond the priority.
struct ReportEvent {
    std::string eventId;      // UUID v4 (newEventId()); filled by the outbox when empty
    int64_t timeMs = 0;       // when the label was scanned, Unix ms
    std::string deviceId;     // filled from OutboxOptions when empty
    ReportLocation location;  // filled from OutboxOptions when empty
    std::string verdict;
    std::vector<std::string> reasons;
    std::string payload;  // the decoded text of the code (may be empty: no code)
    std::string certNo;
    std::string itemCode;
    std::vector<uint8_t> evidenceJpeg;  // crop of the label (outbox_evidence.hpp); may be empty
    std::string evidenceSha256;         // lower-case hex of evidenceJpeg; computed when empty
};

// Upload order: lower first. Images are dropped from the other end.
enum class ReportPriority : int { Invalid = 0, Suspect = 1, Other = 2, Genuine = 3 };
ReportPriority reportPriority(std::string_view verdict);

// A random UUID v4 ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx") from OpenSSL's RAND_bytes.
Expected<std::string> newEventId();
bool isValidEventId(std::string_view id);

struct OutboxOptions {
    // Bounds. Bytes count event texts and images of all stored events. When over
    // maxBytes, images are dropped until under (or none is left). At most maxEvents
    // stored events keep their image: beyond that, the oldest low-priority ones lose it.
    int64_t maxBytes = 64ll << 20;
    int64_t maxEvents = 5000;
    bool reportGenuine = false;  // also report `genuine` verdicts
    std::string deviceId;        // platform::deviceIdentity(); required to record events
    ReportLocation location;
    std::string vfs;  // SQLite VFS (tests inject faults)
    int busyTimeoutMs = 5000;
};

struct OutboxStats {
    int64_t pending = 0;  // stored, not yet acknowledged by the server
    int64_t pendingInvalid = 0, pendingSuspect = 0;
    int64_t pendingImages = 0;  // pending events still holding their image
    int64_t storedBytes = 0;    // event texts + images of all stored events
    int64_t sent = 0;           // acknowledged by the server (ever)
    int64_t rejected = 0;       // refused by the server as malformed (kept, not retried)
    int64_t droppedImages = 0;  // images dropped to keep the outbox bounded (ever)
    int64_t lastUploadMs = 0;   // last successful batch, 0 = never
    int64_t lastErrorMs = 0;
    std::string lastError;  // last upload failure ("" after a success)
};

// A pending event ready for the wire: its JSON object (docs/reports.md) as text.
struct PendingEvent {
    std::string eventId;
    ReportPriority priority = ReportPriority::Other;
    std::string json;
};

class Outbox {
public:
    // Opens the scan log file (ScanLog::open creates its schema) and adds the outbox
    // tables when missing. `scanLogPath` is scanLogPathFor(cachePath).
    static Expected<std::unique_ptr<Outbox>> open(const std::string& scanLogPath,
                                                  OutboxOptions options);
    ~Outbox();
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    const OutboxOptions& options() const;
    // True when a verdict of this class becomes an event.
    bool wantsEvent(std::string_view verdict) const;

    // Records the scan row and, when given and wanted, its event in ONE transaction:
    // both rows are stored or neither. The event's id, device, location and hash are
    // filled in when empty. Returns the stored event id ("" when no event was stored).
    Expected<std::string> recordScan(const ScanRecord& scan,
                                     const std::optional<ReportEvent>& event);
    // An event without a scan row (e.g. a frame with a mark but no readable code).
    Expected<std::string> recordEvent(const ReportEvent& event);

    // Up to maxEvents pending events (invalid first, then suspect, then the rest; oldest
    // first within a class) whose JSON totals at most maxBytes (always at least one).
    Expected<std::vector<PendingEvent>> nextBatch(size_t maxEvents, size_t maxBytes);
    // The server's answer for a batch: `done` were stored (or already known), `rejected`
    // were refused as malformed. Removes `done`, keeps `rejected` out of later batches.
    Status acknowledge(const std::vector<std::string>& done,
                       const std::vector<std::string>& rejected, int64_t nowMs);
    Status noteUploadError(const Error& error, int64_t nowMs);

    Expected<OutboxStats> stats();

    // Test seam: runs between the scan insert and the event insert inside the
    // transaction; an error from it rolls both back.
    void setBetweenInsertsHook(std::function<Status()> hook);

    class Impl;

private:
    explicit Outbox(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace mengscan::sync
