#include "schema.hpp"

#include <string>

#include "mengscan/sync/cache.hpp"

namespace mengscan::sync::cache_schema {
namespace {

// Migration N takes the schema from version N-1 to N. Never edit a released step; add one.
const char* const kMigrations[] = {
    // 1: initial schema
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE bodies(code TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE body_keys(
  key_id TEXT PRIMARY KEY,
  body_code TEXT NOT NULL REFERENCES bodies(code),
  public_key BLOB NOT NULL,
  valid_from TEXT,
  valid_to TEXT
) WITHOUT ROWID;
CREATE INDEX body_keys_by_body ON body_keys(body_code);
CREATE TABLE certificates(
  id INTEGER PRIMARY KEY,
  cert_no TEXT NOT NULL UNIQUE,
  body_code TEXT NOT NULL REFERENCES bodies(code),
  holder TEXT NOT NULL,
  product TEXT NOT NULL,
  category TEXT,
  issued TEXT NOT NULL,
  expires TEXT NOT NULL,
  status TEXT NOT NULL,
  status_at TEXT,
  status_reason TEXT,
  item_list INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX certificates_by_body ON certificates(body_code);
CREATE TABLE certificate_gtins(
  gtin TEXT NOT NULL,
  cert_id INTEGER NOT NULL,
  PRIMARY KEY(gtin, cert_id)
) WITHOUT ROWID;
CREATE INDEX certificate_gtins_by_cert ON certificate_gtins(cert_id);
CREATE TABLE status_history(
  cert_id INTEGER NOT NULL,
  at TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY(cert_id, at)
) WITHOUT ROWID;
CREATE TABLE item_codes(code INTEGER PRIMARY KEY, cert_id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE flagged_codes(
  code TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  flagged_at TEXT
) WITHOUT ROWID;
)sql",
};
constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == kCacheSchemaVersion, "one migration per schema version");

}  // namespace

Status migrate(sqlite::Database& db, bool readOnly) {
    auto version = db.queryInt("PRAGMA user_version");
    if (!version) return Unexpected(version.error());
    if (*version > kCacheSchemaVersion) {
        return Unexpected(Error(ErrorCategory::Cache, "schema_too_new",
                                db.path() + ": cache schema version " + std::to_string(*version) +
                                    " is newer than this program knows (" +
                                    std::to_string(kCacheSchemaVersion) + ")"));
    }
    if (readOnly) {
        if (*version < kCacheSchemaVersion) {
            return Unexpected(Error(ErrorCategory::Cache, "schema_outdated",
                                    db.path() + ": cache schema version " +
                                        std::to_string(*version) +
                                        " needs a migration; open it read-write once"));
        }
        return {};
    }
    if (auto wal = db.exec("PRAGMA journal_mode=WAL"); !wal) return wal;
    for (int64_t next = *version + 1; next <= kCacheSchemaVersion; ++next) {
        sqlite::Transaction tx(db);
        if (auto s = tx.begin(); !s) return s;
        // user_version is re-read inside the write lock: another process may have migrated.
        auto current = db.queryInt("PRAGMA user_version");
        if (!current) return Unexpected(current.error());
        if (*current >= next) continue;
        if (auto s = db.exec(kMigrations[next - 1]); !s) return s;
        if (auto s = db.exec("PRAGMA user_version=" + std::to_string(next)); !s) return s;
        if (auto s = tx.commit(); !s) return s;
    }
    db.clearStatements();
    return {};
}

Status clearRegistryData(sqlite::Database& db) {
    return db.exec(
        "DELETE FROM item_codes; DELETE FROM flagged_codes; DELETE FROM status_history;"
        "DELETE FROM certificate_gtins; DELETE FROM certificates; DELETE FROM body_keys;"
        "DELETE FROM bodies;");
}

}  // namespace mengscan::sync::cache_schema
