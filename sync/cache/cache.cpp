// CertificateCache: opening, importing in one transaction, metadata and statistics.
// Lookups are in cache_lookup.cpp.
#include "mengscan/sync/cache.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "cache_impl.hpp"
#include "import_readers.hpp"
#include "mengscan/platform/clock.hpp"
#include "mengscan/platform/paths.hpp"
#include "schema.hpp"

namespace mengscan::sync {
namespace {

const char* const kStatusNames[] = {"valid", "suspended", "revoked", "withdrawn", "expired"};

std::string isoNow() {
    const std::time_t now = static_cast<std::time_t>(platform::makeSystemClock()->nowUnixSeconds());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// The first non-blank character '{' (or '[', an error later) means JSON Lines. Blank
// lines skipped here are counted in `lines` so error line numbers stay right.
ImportFormat detectFormat(std::istream& in, int64_t& lines) {
    while (true) {
        const int c = in.peek();
        if (c == EOF) return ImportFormat::Csv;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (in.get() == '\n') ++lines;
            continue;
        }
        return c == '{' || c == '[' ? ImportFormat::JsonLines : ImportFormat::Csv;
    }
}

}  // namespace

const char* toString(CertificateStatus status) {
    return kStatusNames[static_cast<int>(status)];
}

std::optional<CertificateStatus> certificateStatusFromString(std::string_view text) {
    for (int i = 0; i < 5; ++i) {
        if (text == kStatusNames[i]) return static_cast<CertificateStatus>(i);
    }
    return std::nullopt;
}

std::string defaultCachePath() {
    return platform::dataDirectory() + "/cache.sqlite";
}

CertificateCache::CertificateCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CertificateCache::~CertificateCache() = default;

const std::string& CertificateCache::path() const {
    return impl_->db->path();
}
bool CertificateCache::readOnly() const {
    return impl_->readOnly;
}

Expected<std::unique_ptr<CertificateCache>> CertificateCache::open(const std::string& path,
                                                                   const OpenOptions& options) {
    const bool readOnly = options.mode == OpenMode::ReadOnly;
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (!exists && (!readOnly || options.createIfMissing)) {
        // Create the folder, then an empty cache with the current schema.
        const auto parent = std::filesystem::path(path).parent_path();
        std::string message;
        if (!parent.empty() && !platform::ensureDirectory(parent.string(), &message)) {
            return makeUnexpected(ErrorCategory::Cache, "open_failed", message);
        }
        auto created = sqlite::Database::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                              options.vfs, options.busyTimeoutMs);
        if (!created) return Unexpected(created.error());
        if (auto s = cache_schema::migrate(**created, false); !s) return Unexpected(s.error());
    } else if (!exists) {
        return makeUnexpected(ErrorCategory::Cache, "cache_missing", "no cache at " + path);
    }
    const int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    auto db = sqlite::Database::open(path, flags, options.vfs, options.busyTimeoutMs);
    if (!db) return Unexpected(db.error());
    if (auto s = cache_schema::migrate(**db, readOnly); !s) return Unexpected(s.error());
    // Memory-mapped reads: page misses cost no read() call (syscalls dominate lookups).
    // Not locking_mode=EXCLUSIVE on readers: in WAL mode it would hold a lock that keeps a
    // sync from ever committing. query_only adds nothing: the connection is opened read-only.
    (void)(*db)->exec("PRAGMA mmap_size=268435456");
    auto impl = std::make_unique<Impl>();
    impl->db = std::move(*db);
    impl->readOnly = readOnly;
    return std::unique_ptr<CertificateCache>(new CertificateCache(std::move(impl)));
}

Expected<ImportCounts> CertificateCache::importFile(const std::string& path, ImportFormat format) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeUnexpected(ErrorCategory::Io, "file_not_found", "cannot open " + path);
    }
    if (format == ImportFormat::Auto) {
        const auto ext = std::filesystem::path(path).extension().string();
        if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") format = ImportFormat::JsonLines;
        if (ext == ".csv") format = ImportFormat::Csv;
    }
    return importStream(in, std::filesystem::path(path).filename().string(), format);
}

Expected<ImportCounts> CertificateCache::importStream(std::istream& in, const std::string& name,
                                                      ImportFormat format) {
    if (impl_->readOnly) {
        return makeUnexpected(ErrorCategory::Cache, "read_only",
                              "the cache is open read-only; import needs read-write");
    }
    const auto started = std::chrono::steady_clock::now();
    ImportCounts counts;
    counts.kind = "merge";
    if (format == ImportFormat::Auto) format = detectFormat(in, counts.lines);
    auto& db = *impl_->db;
    // A bigger page cache while importing: millions of random-order B-tree inserts.
    (void)db.exec("PRAGMA cache_size=-131072");
    Status result;
    {
        sqlite::Transaction tx(db);
        result = tx.begin();
        if (result) {
            cache_import::Applier applier(db, counts);
            result = format == ImportFormat::JsonLines
                         ? cache_import::readJsonLines(in, name, applier, counts.lines)
                         : cache_import::readCsv(in, name, applier, counts.lines);
            if (result) {
                result = applier.finish(isoNow());
                if (!result) result = cache_import::atLine(result.error(), name, counts.lines);
            }
        }
        if (result) result = tx.commit();
    }  // rolled back here unless committed
    (void)db.exec("PRAGMA cache_size=-2000");
    if (!result) return Unexpected(result.error());
    counts.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return counts;
}

Expected<std::string> CertificateCache::getMeta(std::string_view key) {
    auto stmt = impl_->db->prepare("SELECT value FROM meta WHERE key=?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, key);
    const int rc = (*stmt)->step();
    std::string value = rc == SQLITE_ROW ? (*stmt)->columnText(0) : "";
    (*stmt)->reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Unexpected(impl_->db->lastError("meta"));
    return value;
}

Status CertificateCache::setMeta(std::string_view key, std::string_view value) {
    if (impl_->readOnly) {
        return makeUnexpected(ErrorCategory::Cache, "read_only", "the cache is open read-only");
    }
    auto stmt = impl_->db->prepare(
        "INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET "
        "value=excluded.value");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, key);
    (*stmt)->bind(2, value);
    const int rc = (*stmt)->step();
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(impl_->db->lastError("set meta", "write_failed"));
    return {};
}

Status CertificateCache::beginRead() {
    if (!sqlite3_get_autocommit(impl_->db->handle())) return {};  // already inside one
    return impl_->db->exec("BEGIN");
}

void CertificateCache::endRead() {
    if (!sqlite3_get_autocommit(impl_->db->handle())) (void)impl_->db->exec("COMMIT");
}

bool CertificateCache::inRead() const {
    return !sqlite3_get_autocommit(impl_->db->handle());
}

Expected<int64_t> CertificateCache::dataVersion() {
    return impl_->db->queryInt("PRAGMA data_version");
}

Expected<CacheStats> CertificateCache::stats() {
    auto& db = *impl_->db;
    CacheStats st;
    st.schemaVersion = kCacheSchemaVersion;
    struct Query {
        int64_t* out;
        const char* sql;
    } queries[] = {
        {&st.bodies, "SELECT count(*) FROM bodies"},
        {&st.keys, "SELECT count(*) FROM body_keys"},
        {&st.certificates, "SELECT count(*) FROM certificates"},
        {&st.itemCodes, "SELECT count(*) FROM item_codes"},
        {&st.flags, "SELECT count(*) FROM flagged_codes"},
        {&st.statusChanges, "SELECT count(*) FROM status_history"},
        {&st.certificatesWithItemList, "SELECT count(*) FROM certificates WHERE item_list=1"},
    };
    for (const auto& q : queries) {
        auto n = db.queryInt(q.sql);
        if (!n) return Unexpected(n.error());
        *q.out = *n;
    }
    auto stmt = db.prepare("SELECT status, count(*) FROM certificates GROUP BY status");
    if (!stmt) return Unexpected(stmt.error());
    while ((*stmt)->step() == SQLITE_ROW) {
        if (auto s = certificateStatusFromString((*stmt)->columnText(0))) {
            st.byStatus[static_cast<int>(*s)] = (*stmt)->columnInt(1);
        }
    }
    (*stmt)->reset();
    const std::pair<std::string*, const char*> metas[] = {{&st.cacheVersion, kMetaCacheVersion},
                                                          {&st.lastImport, kMetaLastImport},
                                                          {&st.lastSync, kMetaLastSync},
                                                          {&st.source, kMetaSource}};
    for (const auto& [out, key] : metas) {
        auto value = getMeta(key);
        if (!value) return Unexpected(value.error());
        *out = *value;
    }
    std::error_code ec;
    st.fileBytes = static_cast<int64_t>(std::filesystem::file_size(db.path(), ec));
    if (ec) st.fileBytes = 0;
    return st;
}

}  // namespace mengscan::sync
