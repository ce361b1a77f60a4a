// The upload side of the outbox: batches in priority order, acknowledgements, status.
#include "mengscan/sync/outbox.hpp"
#include "outbox_impl.hpp"
#include "outbox_schema.hpp"
#include "report_event.hpp"

namespace mengscan::sync {
namespace {

Expected<int64_t> parseCounter(const Expected<std::string>& text) {
    if (!text) return Unexpected(text.error());
    return text->empty() ? 0 : std::strtoll(text->c_str(), nullptr, 10);
}

}  // namespace

Expected<std::vector<PendingEvent>> Outbox::nextBatch(size_t maxEvents, size_t maxBytes) {
    auto& db = *impl_->db;
    auto stmt = db.prepare(
        "SELECT event_id, priority, body, image, image_sha256, image_original_bytes, "
        "image_dropped FROM outbox_events WHERE state = 0 ORDER BY priority, seq LIMIT ?");
    if (!stmt) return Unexpected(stmt.error());
    auto* s = *stmt;
    s->bind(1, static_cast<int64_t>(maxEvents));
    std::vector<PendingEvent> batch;
    size_t bytes = 0;
    int rc;
    while ((rc = s->step()) == SQLITE_ROW) {
        PendingEvent e;
        e.eventId = s->columnText(0);
        e.priority = static_cast<ReportPriority>(s->columnInt(1));
        auto wire = report_event::wireJson(s->columnText(2), s->columnBlob(3), s->columnText(4),
                                           s->columnInt(5), s->columnInt(6) != 0);
        if (!wire) {
            s->reset();
            return Unexpected(wire.error());
        }
        e.json = std::move(*wire);
        if (!batch.empty() && bytes + e.json.size() > maxBytes) break;
        bytes += e.json.size();
        batch.push_back(std::move(e));
    }
    s->reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Unexpected(db.lastError("outbox batch"));
    return batch;
}

Status Outbox::acknowledge(const std::vector<std::string>& done,
                           const std::vector<std::string>& rejected, int64_t nowMs) {
    auto& db = *impl_->db;
    sqlite::Transaction tx(db);
    if (auto s = tx.begin(); !s) return s;
    auto del = db.prepare("DELETE FROM outbox_events WHERE event_id = ?");
    if (!del) return Unexpected(del.error());
    int64_t removed = 0;
    for (const auto& id : done) {
        (*del)->bind(1, id);
        const int rc = (*del)->step();
        (*del)->reset();
        if (rc != SQLITE_DONE) return Unexpected(db.lastError("acknowledge event", "write_failed"));
        // An id acknowledged twice (a retried batch) is counted once.
        removed += sqlite3_changes(db.handle());
    }
    auto reject = db.prepare("UPDATE outbox_events SET state = 1 WHERE event_id = ? AND state = 0");
    if (!reject) return Unexpected(reject.error());
    int64_t refused = 0;
    for (const auto& id : rejected) {
        (*reject)->bind(1, id);
        const int rc = (*reject)->step();
        (*reject)->reset();
        if (rc != SQLITE_DONE) return Unexpected(db.lastError("reject event", "write_failed"));
        refused += sqlite3_changes(db.handle());
    }
    using namespace outbox_schema;
    if (auto s = addToCounter(db, kMetaSent, removed); !s) return s;
    if (auto s = addToCounter(db, kMetaRejected, refused); !s) return s;
    if (auto s = setMeta(db, kMetaLastUploadMs, std::to_string(nowMs)); !s) return s;
    if (refused == 0) {
        if (auto s = setMeta(db, kMetaLastError, ""); !s) return s;
    } else {
        if (auto s = setMeta(db, kMetaLastError,
                             "server rejected " + std::to_string(refused) + " event(s)");
            !s)
            return s;
        if (auto s = setMeta(db, kMetaLastErrorMs, std::to_string(nowMs)); !s) return s;
    }
    return tx.commit();
}

Status Outbox::noteUploadError(const Error& error, int64_t nowMs) {
    auto& db = *impl_->db;
    sqlite::Transaction tx(db);
    if (auto s = tx.begin(); !s) return s;
    using namespace outbox_schema;
    if (auto s = setMeta(db, kMetaLastError, error.describe()); !s) return s;
    if (auto s = setMeta(db, kMetaLastErrorMs, std::to_string(nowMs)); !s) return s;
    return tx.commit();
}

Expected<OutboxStats> Outbox::stats() {
    auto& db = *impl_->db;
    OutboxStats st;
    auto stmt = db.prepare(
        "SELECT count(*), coalesce(sum(priority = 0), 0), coalesce(sum(priority = 1), 0), "
        "coalesce(sum(image IS NOT NULL), 0) FROM outbox_events WHERE state = 0");
    if (!stmt) return Unexpected(stmt.error());
    int rc = (*stmt)->step();
    if (rc == SQLITE_ROW) {
        st.pending = (*stmt)->columnInt(0);
        st.pendingInvalid = (*stmt)->columnInt(1);
        st.pendingSuspect = (*stmt)->columnInt(2);
        st.pendingImages = (*stmt)->columnInt(3);
    }
    (*stmt)->reset();
    if (rc != SQLITE_ROW) return Unexpected(db.lastError("outbox status"));
    auto bytes = db.queryInt("SELECT bytes FROM outbox_totals WHERE id = 1");
    if (!bytes) return Unexpected(bytes.error());
    st.storedBytes = *bytes;
    using namespace outbox_schema;
    auto sent = parseCounter(getMeta(db, kMetaSent));
    auto rejected = parseCounter(getMeta(db, kMetaRejected));
    auto dropped = parseCounter(getMeta(db, kMetaDroppedImages));
    auto lastUpload = parseCounter(getMeta(db, kMetaLastUploadMs));
    auto lastErrorMs = parseCounter(getMeta(db, kMetaLastErrorMs));
    auto lastError = getMeta(db, kMetaLastError);
    for (const auto* e : {&sent, &rejected, &dropped, &lastUpload, &lastErrorMs}) {
        if (!*e) return Unexpected(e->error());
    }
    if (!lastError) return Unexpected(lastError.error());
    st.sent = *sent;
    st.rejected = *rejected;
    st.droppedImages = *dropped;
    st.lastUploadMs = *lastUpload;
    st.lastErrorMs = *lastErrorMs;
    st.lastError = *lastError;
    return st;
}

}  // namespace mengscan::sync
