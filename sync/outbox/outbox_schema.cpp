#include "outbox_schema.hpp"

#include <cstdlib>

namespace mengscan::sync::outbox_schema {
namespace {

// outbox_totals is maintained by triggers, so the bounds check on every insert reads one
// row instead of summing the table, and can never drift from the rows themselves.
const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS outbox_events(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  image BLOB,
  image_sha256 TEXT NOT NULL DEFAULT '',
  image_original_bytes INTEGER NOT NULL DEFAULT 0,
  image_dropped INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_upload_order ON outbox_events(state, priority, seq);
CREATE TABLE IF NOT EXISTS outbox_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox_totals(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  events INTEGER NOT NULL, bytes INTEGER NOT NULL, images INTEGER NOT NULL);
INSERT OR IGNORE INTO outbox_totals VALUES(1, 0, 0, 0);
CREATE TRIGGER IF NOT EXISTS outbox_totals_insert AFTER INSERT ON outbox_events BEGIN
  UPDATE outbox_totals SET events = events + 1,
    bytes = bytes + length(NEW.body) + coalesce(length(NEW.image), 0),
    images = images + (NEW.image IS NOT NULL) WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS outbox_totals_delete AFTER DELETE ON outbox_events BEGIN
  UPDATE outbox_totals SET events = events - 1,
    bytes = bytes - length(OLD.body) - coalesce(length(OLD.image), 0),
    images = images - (OLD.image IS NOT NULL) WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS outbox_totals_update AFTER UPDATE OF body, image ON outbox_events
BEGIN
  UPDATE outbox_totals SET
    bytes = bytes - length(OLD.body) - coalesce(length(OLD.image), 0)
                  + length(NEW.body) + coalesce(length(NEW.image), 0),
    images = images - (OLD.image IS NOT NULL) + (NEW.image IS NOT NULL) WHERE id = 1;
END;
)sql";

}  // namespace

Status ensure(sqlite::Database& db) {
    // Usually the tables exist: check read-only first (no write lock, no fsync).
    auto present = db.queryInt(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = "
        "'outbox_totals_update'");
    if (!present) return Unexpected(present.error());
    if (*present == 1) {
        auto version = getMeta(db, kMetaSchema);
        if (!version) return Unexpected(version.error());
        if (std::strtoll(version->c_str(), nullptr, 10) == kOutboxSchemaVersion) return {};
    }
    sqlite::Transaction tx(db);
    if (auto s = tx.begin(); !s) return s;
    if (auto s = db.exec(kSchema); !s) return s;
    auto version = getMeta(db, kMetaSchema);
    if (!version) return Unexpected(version.error());
    if (version->empty()) {
        if (auto s = setMeta(db, kMetaSchema, std::to_string(kOutboxSchemaVersion)); !s) return s;
    } else if (std::strtoll(version->c_str(), nullptr, 10) > kOutboxSchemaVersion) {
        return makeUnexpected(
            ErrorCategory::Cache, "schema_too_new",
            db.path() + ": outbox schema " + *version + " is newer than this program knows");
    }
    return tx.commit();
}

Expected<std::string> getMeta(sqlite::Database& db, const char* key) {
    auto stmt = db.prepare("SELECT value FROM outbox_meta WHERE key = ?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, std::string_view(key));
    const int rc = (*stmt)->step();
    std::string value = rc == SQLITE_ROW ? (*stmt)->columnText(0) : std::string();
    (*stmt)->reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Unexpected(db.lastError("outbox meta"));
    return value;
}

Status setMeta(sqlite::Database& db, const char* key, const std::string& value) {
    auto stmt = db.prepare("INSERT OR REPLACE INTO outbox_meta(key, value) VALUES(?, ?)");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, std::string_view(key));
    (*stmt)->bind(2, value);
    const int rc = (*stmt)->step();
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("outbox meta", "write_failed"));
    return {};
}

Status addToCounter(sqlite::Database& db, const char* key, int64_t delta) {
    if (delta == 0) return {};
    auto stmt = db.prepare(
        "INSERT INTO outbox_meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET "
        "value = CAST(CAST(value AS INTEGER) + ?2 AS TEXT)");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, std::string_view(key));
    (*stmt)->bind(2, delta);
    const int rc = (*stmt)->step();
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("outbox counter", "write_failed"));
    return {};
}

}  // namespace mengscan::sync::outbox_schema
