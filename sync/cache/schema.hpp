// The cache's SQLite schema and its migrations (PRAGMA user_version = schema version).
#pragma once

#include "mengscan/expected.hpp"
#include "sqlite_db.hpp"

namespace mengscan::sync::cache_schema {

// Read-write: brings the schema to kCacheSchemaVersion (one transaction per step) and
// switches the file to WAL. Read-only: checks that the version is known.
Status migrate(sqlite::Database& db, bool readOnly);

// Deletes all registry data (snapshot import); metadata is kept. Inside a transaction.
Status clearRegistryData(sqlite::Database& db);

}  // namespace mengscan::sync::cache_schema
