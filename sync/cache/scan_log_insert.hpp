// The scan log's one INSERT, on any connection to the scan-log file: ScanLog::record uses
// it, and the report outbox uses it inside its own transaction (scan + event together).
// Internal to sync/.
#pragma once

#include "mengscan/expected.hpp"
#include "mengscan/sync/cache_scan_log.hpp"
#include "sqlite_db.hpp"

namespace mengscan::sync {

Status insertScanRow(sqlite::Database& db, const ScanRecord& scan);

}  // namespace mengscan::sync
