#include "registry.hpp"

#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "publisher.hpp"

namespace mengscan::registry {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bodies(code TEXT PRIMARY KEY, name TEXT NOT NULL,
  version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS keys(key_id TEXT PRIMARY KEY, body TEXT NOT NULL,
  public_key TEXT NOT NULL, valid_from TEXT, valid_to TEXT,
  version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS certificates(cert_no TEXT PRIMARY KEY, body TEXT NOT NULL,
  holder TEXT NOT NULL, product TEXT NOT NULL, category TEXT, gtins TEXT NOT NULL DEFAULT '[]',
  issued TEXT NOT NULL, expires TEXT NOT NULL, status TEXT NOT NULL, status_at TEXT,
  status_reason TEXT, item_list INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS status_history(cert_no TEXT NOT NULL, at TEXT NOT NULL,
  status TEXT NOT NULL, reason TEXT, version INTEGER NOT NULL,
  PRIMARY KEY(cert_no, at)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS item_codes(code TEXT PRIMARY KEY, cert_no TEXT NOT NULL,
  version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS flags(code TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT,
  version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS bodies_version ON bodies(version);
CREATE INDEX IF NOT EXISTS keys_version ON keys(version);
CREATE INDEX IF NOT EXISTS certificates_version ON certificates(version);
CREATE INDEX IF NOT EXISTS status_history_version ON status_history(version);
CREATE INDEX IF NOT EXISTS item_codes_version ON item_codes(version);
CREATE INDEX IF NOT EXISTS item_codes_cert ON item_codes(cert_no, code);
CREATE INDEX IF NOT EXISTS flags_version ON flags(version);
CREATE TABLE IF NOT EXISTS versions(version INTEGER PRIMARY KEY, created_at INTEGER NOT NULL,
  manifest TEXT NOT NULL, envelope TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(name TEXT PRIMARY KEY, version INTEGER NOT NULL,
  kind TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, records INTEGER NOT NULL,
  content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS devices(device_id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reports(event_id TEXT PRIMARY KEY, device_id TEXT NOT NULL,
  received_at INTEGER NOT NULL, verdict TEXT, event TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reports_received ON reports(received_at);
)SQL";

constexpr const char* kRegistryFormat = "mengscan-registry/1";

Status writePrivateFile(const std::string& path, const std::string& content, mode_t mode) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        return makeUnexpected(ErrorCategory::Usage, "exists",
                              path + " already exists; refusing to overwrite a key");
    }
    {
        std::ofstream out(path, std::ios::binary);
        out << content;
        if (!out.flush()) {
            return makeUnexpected(ErrorCategory::Io, "write_failed", "cannot write " + path);
        }
    }
    ::chmod(path.c_str(), mode);
    return {};
}

}  // namespace

std::string isoTime(int64_t unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

Status Registry::init(const std::string& dbPath, const std::string& keyPath,
                      const std::string& trustAnchorPath) {
    std::error_code ec;
    if (std::filesystem::exists(dbPath, ec)) {
        return makeUnexpected(ErrorCategory::Usage, "exists", dbPath + " already exists");
    }
    auto signer = sync::client::Ed25519Signer::generate();
    if (!signer) return Unexpected(signer.error());
    if (auto ok = writePrivateFile(keyPath, signer->privateKeyPem(), 0600); !ok) return ok;
    if (auto ok = writePrivateFile(trustAnchorPath, sync::client::publicKeyPem(signer->publicKey()),
                                   0644);
        !ok) {
        return ok;
    }
    auto store = Store::open(dbPath, true);
    if (!store) return Unexpected(store.error());
    if (auto ok = (*store)->exec(kSchema); !ok) return ok;
    return (*store)->exec(std::string("INSERT OR REPLACE INTO meta VALUES('format','") +
                          kRegistryFormat + "')");
}

Expected<std::unique_ptr<Registry>> Registry::open(const std::string& dbPath,
                                                   const std::string& keyPath) {
    std::error_code ec;
    if (!std::filesystem::exists(dbPath, ec)) {
        return makeUnexpected(ErrorCategory::Usage, "registry_missing",
                              dbPath + " does not exist (run `mengscan-registry init` first)");
    }
    auto store = Store::open(dbPath, false);
    if (!store) return Unexpected(store.error());
    if (auto ok = (*store)->exec(kSchema); !ok) return Unexpected(ok.error());
    auto signer = sync::client::Ed25519Signer::loadPem(keyPath);
    if (!signer) return Unexpected(signer.error());
    return std::unique_ptr<Registry>(new Registry(std::move(*store), std::move(*signer)));
}

Expected<int64_t> currentVersion(Store& store) {
    return store.queryInt("SELECT COALESCE(MAX(version), 0) FROM versions");
}

Expected<ChangeSummary> Registry::change(const Edit& edit) {
    WriteTransaction tx(*store_);
    if (auto ok = tx.begin(); !ok) return Unexpected(ok.error());
    auto current = currentVersion();
    if (!current) return Unexpected(current.error());
    const int64_t version = *current + 1;
    auto records = edit(*store_, version);
    if (!records) return Unexpected(records.error());
    auto published = publishVersion(*store_, signer_, version, publish_);
    if (!published) return Unexpected(published.error());
    if (auto ok = tx.commit(); !ok) return Unexpected(ok.error());
    return ChangeSummary{version, *records, *published};
}

Expected<std::string> manifestEnvelope(Store& store, int64_t version) {
    auto stmt = version > 0
                    ? store.prepare("SELECT envelope FROM versions WHERE version = ?")
                    : store.prepare("SELECT envelope FROM versions ORDER BY version DESC LIMIT 1");
    if (!stmt) return Unexpected(stmt.error());
    if (version > 0) stmt->bind(1, version);
    std::string envelope = stmt->step() ? stmt->text(0) : std::string();
    if (!stmt->ok()) return Unexpected(store.error("read manifest"));
    return envelope;
}

Expected<std::optional<StoredFile>> readFile(Store& store, const std::string& name) {
    auto stmt =
        store.prepare("SELECT name, sha256, kind, version, content FROM files WHERE name = ?");
    if (!stmt) return Unexpected(stmt.error());
    stmt->bind(1, name);
    std::optional<StoredFile> result;
    if (stmt->step()) {
        StoredFile f;
        f.name = stmt->text(0);
        f.sha256 = stmt->text(1);
        f.contentType = "application/gzip";
        f.version = stmt->integer(3);
        f.content = stmt->text(4);
        result = std::move(f);
    }
    if (!stmt->ok()) return Unexpected(store.error("read file"));
    return result;
}

}  // namespace mengscan::registry
