// The drop policy: evidence images go first, lowest priority and oldest first; event
// rows are never deleted here (docs/reports.md, "Outbox policy").
#include <algorithm>
#include <vector>

#include "outbox_impl.hpp"
#include "outbox_schema.hpp"

namespace mengscan::sync::outbox_bounds {
namespace {

struct Totals {
    int64_t events = 0, bytes = 0, images = 0;
};

Expected<Totals> totals(sqlite::Database& db) {
    auto stmt = db.prepare("SELECT events, bytes, images FROM outbox_totals WHERE id = 1");
    if (!stmt) return Unexpected(stmt.error());
    Totals t;
    const int rc = (*stmt)->step();
    if (rc == SQLITE_ROW) {
        t.events = (*stmt)->columnInt(0);
        t.bytes = (*stmt)->columnInt(1);
        t.images = (*stmt)->columnInt(2);
    }
    (*stmt)->reset();
    if (rc != SQLITE_ROW) return Unexpected(db.lastError("outbox totals"));
    return t;
}

struct Candidate {
    int64_t seq = 0;
    int64_t bytes = 0;
};

// The next images to drop: rejected events' first, then lowest priority, oldest first.
Expected<std::vector<Candidate>> candidates(sqlite::Database& db, int64_t limit) {
    auto stmt = db.prepare(
        "SELECT seq, length(image) FROM outbox_events WHERE image IS NOT NULL "
        "ORDER BY state DESC, priority DESC, seq ASC LIMIT ?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, limit);
    std::vector<Candidate> out;
    int rc;
    while ((rc = (*stmt)->step()) == SQLITE_ROW) {
        out.push_back({(*stmt)->columnInt(0), (*stmt)->columnInt(1)});
    }
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("outbox drop candidates"));
    return out;
}

Status dropImage(sqlite::Database& db, int64_t seq) {
    auto stmt =
        db.prepare("UPDATE outbox_events SET image = NULL, image_dropped = 1 WHERE seq = ?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, seq);
    const int rc = (*stmt)->step();
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("drop evidence image", "write_failed"));
    return {};
}

}  // namespace

Expected<int64_t> enforce(sqlite::Database& db, const OutboxOptions& options) {
    auto t = totals(db);
    if (!t) return Unexpected(t.error());
    int64_t dropped = 0;
    while (t->images > 0 && (t->bytes > options.maxBytes || t->images > options.maxEvents)) {
        // Enough candidates for the count bound, at least a handful for the byte bound.
        const int64_t need = std::max<int64_t>(t->images - options.maxEvents, 16);
        auto list = candidates(db, need);
        if (!list) return Unexpected(list.error());
        if (list->empty()) break;
        for (const auto& c : *list) {
            if (!(t->bytes > options.maxBytes || t->images > options.maxEvents)) break;
            if (auto s = dropImage(db, c.seq); !s) return Unexpected(s.error());
            t->bytes -= c.bytes;
            t->images -= 1;
            ++dropped;
        }
    }
    if (auto s = outbox_schema::addToCounter(db, outbox_schema::kMetaDroppedImages, dropped); !s)
        return Unexpected(s.error());
    return dropped;
}

}  // namespace mengscan::sync::outbox_bounds
