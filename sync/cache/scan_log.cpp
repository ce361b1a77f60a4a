// The local scan log in its own SQLite file (see cache_scan_log.hpp for why).
#include <filesystem>

#include "mengscan/platform/paths.hpp"
#include "mengscan/sync/cache_scan_log.hpp"
#include "scan_log_insert.hpp"
#include "sqlite_db.hpp"

namespace mengscan::sync {
namespace {

constexpr int kScanLogSchemaVersion = 1;

const char* const kScanLogSchema = R"sql(
CREATE TABLE scans(
  id INTEGER PRIMARY KEY,
  item_code TEXT NOT NULL,
  scanned_at INTEGER NOT NULL,
  session TEXT NOT NULL DEFAULT '',
  verdict TEXT,
  cert_no TEXT
);
CREATE INDEX scans_by_code_time ON scans(item_code, scanned_at);
CREATE INDEX scans_by_time ON scans(scanned_at);
PRAGMA user_version=1;
)sql";

}  // namespace

class ScanLog::Impl {
public:
    std::unique_ptr<sqlite::Database> db;
};

ScanLog::ScanLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ScanLog::~ScanLog() = default;

std::string scanLogPathFor(const std::string& cachePath) {
    const auto parent = std::filesystem::path(cachePath).parent_path();
    return (parent / "scanlog.sqlite").string();
}

Expected<std::unique_ptr<ScanLog>> ScanLog::open(const std::string& path, const std::string& vfs) {
    const auto parent = std::filesystem::path(path).parent_path();
    std::string message;
    if (!parent.empty() && !platform::ensureDirectory(parent.string(), &message)) {
        return makeUnexpected(ErrorCategory::Cache, "open_failed", message);
    }
    auto db = sqlite::Database::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs, 5000);
    if (!db) return Unexpected(db.error());
    auto& d = **db;
    if (auto s = d.exec("PRAGMA journal_mode=WAL"); !s) return Unexpected(s.error());
    auto version = d.queryInt("PRAGMA user_version");
    if (!version) return Unexpected(version.error());
    if (*version > kScanLogSchemaVersion) {
        return makeUnexpected(ErrorCategory::Cache, "schema_too_new",
                              path + ": scan log schema is newer than this program knows");
    }
    if (*version == 0) {
        sqlite::Transaction tx(d);
        if (auto s = tx.begin(); !s) return Unexpected(s.error());
        auto again = d.queryInt("PRAGMA user_version");  // another process may have won
        if (!again) return Unexpected(again.error());
        if (*again == 0) {
            if (auto s = d.exec(kScanLogSchema); !s) return Unexpected(s.error());
        }
        if (auto s = tx.commit(); !s) return Unexpected(s.error());
    }
    d.clearStatements();
    auto impl = std::make_unique<Impl>();
    impl->db = std::move(*db);
    return std::unique_ptr<ScanLog>(new ScanLog(std::move(impl)));
}

Status insertScanRow(sqlite::Database& db, const ScanRecord& scan) {
    auto stmt = db.prepare(
        "INSERT INTO scans(item_code,scanned_at,session,verdict,cert_no) VALUES(?,?,?,?,?)");
    if (!stmt) return Unexpected(stmt.error());
    auto* s = *stmt;
    s->bind(1, scan.itemCode);
    s->bind(2, scan.scannedAtMs);
    s->bind(3, scan.session);
    s->bindOptional(4, scan.verdict);
    s->bindOptional(5, scan.certNo);
    const int rc = s->step();
    s->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("record scan", "write_failed"));
    return {};
}

Status ScanLog::record(const ScanRecord& scan) { return insertScanRow(*impl_->db, scan); }

namespace {
Expected<int64_t> countQuery(sqlite::Database& db, sqlite::Statement* s) {
    const int rc = s->step();
    const int64_t n = rc == SQLITE_ROW ? s->columnInt(0) : 0;
    s->reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Unexpected(db.lastError("scan count"));
    return n;
}
}  // namespace

Expected<int64_t> ScanLog::countInWindow(std::string_view itemCode, int64_t fromMs, int64_t toMs,
                                         std::string_view excludeSession) {
    auto& db = *impl_->db;
    auto stmt = db.prepare(
        "SELECT count(*) FROM scans WHERE item_code=?1 AND scanned_at BETWEEN ?2 AND ?3 "
        "AND (?4 = '' OR session <> ?4)");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, itemCode);
    (*stmt)->bind(2, fromMs);
    (*stmt)->bind(3, toMs);
    (*stmt)->bind(4, excludeSession);
    return countQuery(db, *stmt);
}

Expected<int64_t> ScanLog::sessionsInWindow(std::string_view itemCode, int64_t fromMs,
                                            int64_t toMs) {
    auto& db = *impl_->db;
    auto stmt = db.prepare(
        "SELECT count(DISTINCT session) FROM scans WHERE item_code=?1 AND scanned_at BETWEEN "
        "?2 AND ?3");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, itemCode);
    (*stmt)->bind(2, fromMs);
    (*stmt)->bind(3, toMs);
    return countQuery(db, *stmt);
}

Expected<int64_t> ScanLog::total() {
    return impl_->db->queryInt("SELECT count(*) FROM scans");
}

Expected<int64_t> ScanLog::prune(int64_t beforeMs) {
    auto& db = *impl_->db;
    auto stmt = db.prepare("DELETE FROM scans WHERE scanned_at < ?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, beforeMs);
    const int rc = (*stmt)->step();
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("prune scans", "write_failed"));
    return static_cast<int64_t>(sqlite3_changes(db.handle()));
}

Status ScanLog::beginRead() {
    if (!sqlite3_get_autocommit(impl_->db->handle())) return {};  // already inside one
    return impl_->db->exec("BEGIN");
}

void ScanLog::endRead() {
    if (!sqlite3_get_autocommit(impl_->db->handle())) (void)impl_->db->exec("COMMIT");
}

bool ScanLog::inRead() const {
    return !sqlite3_get_autocommit(impl_->db->handle());
}

}  // namespace mengscan::sync
