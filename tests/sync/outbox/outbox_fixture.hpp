// Helpers for the outbox tests: events with real JPEG evidence, and direct SQLite reads
// of the scan log file (a second connection, as another process would see it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mengscan/sync/outbox.hpp"

namespace mengscan::test {

// A real JPEG of about `approxBytes` (random noise compresses badly, so size ~ area).
std::vector<uint8_t> noiseJpeg(int approxBytes, unsigned seed);

sync::ReportEvent makeEvent(const std::string& verdict, const std::string& itemCode, int64_t timeMs,
                            std::vector<uint8_t> jpeg = {});
sync::ScanRecord makeScan(const std::string& itemCode, int64_t timeMs, const std::string& verdict);

// Single integer from a query on a fresh connection to `path`.
int64_t queryInt(const std::string& path, const std::string& sql);
// One text column of every row.
std::vector<std::string> queryTexts(const std::string& path, const std::string& sql);
void execSql(const std::string& path, const std::string& sql);

}  // namespace mengscan::test
