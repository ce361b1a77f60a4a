// Recording: the scan row and its event in one transaction, then the bounds.
#include "mengscan/sync/outbox.hpp"

#include <chrono>

#include "outbox_impl.hpp"
#include "scan_log_insert.hpp"
#include "outbox_schema.hpp"
#include "report_event.hpp"

namespace mengscan::sync {
namespace {

int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

Outbox::Outbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Outbox::~Outbox() = default;

Expected<std::unique_ptr<Outbox>> Outbox::open(const std::string& scanLogPath,
                                               OutboxOptions options) {
    if (options.maxBytes < 0 || options.maxEvents < 0) {
        return makeUnexpected(ErrorCategory::Usage, "bad_outbox_bounds",
                              "outbox bounds must not be negative");
    }
    // The scan log owns the file and the `scans` table: let it create and migrate them.
    {
        auto scanLog = ScanLog::open(scanLogPath, options.vfs);
        if (!scanLog) return Unexpected(scanLog.error());
    }
    auto db = sqlite::Database::open(scanLogPath, SQLITE_OPEN_READWRITE, options.vfs,
                                     options.busyTimeoutMs);
    if (!db) return Unexpected(db.error());
    if (auto s = outbox_schema::ensure(**db); !s) return Unexpected(s.error());
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    impl->db = std::move(*db);
    return std::unique_ptr<Outbox>(new Outbox(std::move(impl)));
}

const OutboxOptions& Outbox::options() const {
    return impl_->options;
}

bool Outbox::wantsEvent(std::string_view verdict) const {
    return verdict != "genuine" || impl_->options.reportGenuine;
}

void Outbox::setBetweenInsertsHook(std::function<Status()> hook) {
    impl_->betweenInserts = std::move(hook);
}

Status Outbox::Impl::insertScan(const ScanRecord& scan) {
    return insertScanRow(*db, scan);  // on this connection: shares the event's transaction
}

Expected<std::string> Outbox::Impl::insertEvent(const ReportEvent& given) {
    ReportEvent e = given;
    if (e.eventId.empty()) {
        auto id = newEventId();
        if (!id) return id;
        e.eventId = *id;
    } else if (!isValidEventId(e.eventId)) {
        return makeUnexpected(ErrorCategory::Usage, "bad_event_id",
                              "event id '" + e.eventId + "' is not a lower-case UUID");
    }
    if (e.deviceId.empty()) e.deviceId = options.deviceId;
    if (e.deviceId.empty()) {
        return makeUnexpected(ErrorCategory::Usage, "no_device_id",
                              "cannot record a report event without a device id");
    }
    if (e.location.empty()) e.location = options.location;
    if (e.timeMs == 0) e.timeMs = nowMs();
    if (!e.evidenceJpeg.empty() && e.evidenceSha256.empty()) {
        e.evidenceSha256 = report_event::sha256Hex(e.evidenceJpeg);
    }
    auto stmt = db->prepare(
        "INSERT INTO outbox_events(event_id, created_ms, priority, verdict, body, image, "
        "image_sha256, image_original_bytes) VALUES(?,?,?,?,?,?,?,?)");
    if (!stmt) return Unexpected(stmt.error());
    auto* s = *stmt;
    s->bind(1, e.eventId);
    s->bind(2, nowMs());
    s->bind(3, static_cast<int64_t>(reportPriority(e.verdict)));
    s->bind(4, e.verdict);
    s->bind(5, report_event::bodyJson(e));
    if (e.evidenceJpeg.empty()) {
        s->bindNull(6);
    } else {
        s->bindBlob(6, e.evidenceJpeg);
    }
    s->bind(7, e.evidenceJpeg.empty() ? std::string() : e.evidenceSha256);
    s->bind(8, static_cast<int64_t>(e.evidenceJpeg.size()));
    const int rc = s->step();
    s->reset();
    if (rc != SQLITE_DONE) return Unexpected(db->lastError("record report event", "write_failed"));
    auto dropped = outbox_bounds::enforce(*db, options);
    if (!dropped) return Unexpected(dropped.error());
    return e.eventId;
}

Expected<std::string> Outbox::recordScan(const ScanRecord& scan,
                                         const std::optional<ReportEvent>& event) {
    const bool withEvent = event && wantsEvent(event->verdict);
    std::optional<ReportEvent> filled;
    if (withEvent) {
        filled = *event;
        if (filled->timeMs == 0) filled->timeMs = scan.scannedAtMs;
    }
    auto& db = *impl_->db;
    sqlite::Transaction tx(db);
    if (auto s = tx.begin(); !s) return Unexpected(s.error());
    if (auto s = impl_->insertScan(scan); !s) return Unexpected(s.error());
    if (impl_->betweenInserts) {
        if (auto s = impl_->betweenInserts(); !s) return Unexpected(s.error());
    }
    std::string id;
    if (withEvent) {
        auto stored = impl_->insertEvent(*filled);
        if (!stored) return stored;
        id = *stored;
    }
    if (auto s = tx.commit(); !s) return Unexpected(s.error());
    return id;
}

Expected<std::string> Outbox::recordEvent(const ReportEvent& event) {
    if (!wantsEvent(event.verdict)) return std::string();
    auto& db = *impl_->db;
    sqlite::Transaction tx(db);
    if (auto s = tx.begin(); !s) return Unexpected(s.error());
    auto stored = impl_->insertEvent(event);
    if (!stored) return stored;
    if (auto s = tx.commit(); !s) return Unexpected(s.error());
    return stored;
}

}  // namespace mengscan::sync
