// The outbox tables inside the scan log's SQLite file (docs/reports.md). The scan log's
// own table (`scans`) and its user_version belong to ScanLog; the outbox keeps its own
// schema version in outbox_meta so the two evolve independently.
#pragma once

#include <cstdint>
#include <string>

#include "mengscan/expected.hpp"
#include "sqlite_db.hpp"

namespace mengscan::sync::outbox_schema {

inline constexpr int kOutboxSchemaVersion = 1;

// Meta keys.
inline constexpr const char* kMetaSchema = "schema_version";
inline constexpr const char* kMetaSent = "sent";
inline constexpr const char* kMetaRejected = "rejected";
inline constexpr const char* kMetaDroppedImages = "dropped_images";
inline constexpr const char* kMetaLastUploadMs = "last_upload_ms";
inline constexpr const char* kMetaLastError = "last_error";
inline constexpr const char* kMetaLastErrorMs = "last_error_ms";

// Event states.
inline constexpr int kStatePending = 0;
inline constexpr int kStateRejected = 1;

// Creates the tables, indexes and the triggers that keep outbox_totals exact.
Status ensure(sqlite::Database& db);

Expected<std::string> getMeta(sqlite::Database& db, const char* key);
Status setMeta(sqlite::Database& db, const char* key, const std::string& value);
Status addToCounter(sqlite::Database& db, const char* key, int64_t delta);

}  // namespace mengscan::sync::outbox_schema
