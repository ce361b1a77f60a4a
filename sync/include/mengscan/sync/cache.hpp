// The certificate cache: a SQLite file holding certification bodies and their Ed25519 keys,
// certificates with status history and GTIN scope, issued item codes and flagged codes.
// Verification opens it read-only (WAL lets it read while a sync writes); import and sync
// open it read-write and apply whole files in one transaction (docs/cache-format.md).
// Lookups use cached prepared statements and take microseconds. Not thread-safe: one
// CertificateCache per thread.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::sync {

inline constexpr int kCacheSchemaVersion = 1;

enum class CertificateStatus { Valid, Suspended, Revoked, Withdrawn, Expired };
const char* toString(CertificateStatus status);  // "valid", "suspended", ...
std::optional<CertificateStatus> certificateStatusFromString(std::string_view text);

struct CertificationBody {
    std::string code;  // "0021"
    std::string name;
};

struct BodyKey {
    std::string keyId;
    std::string bodyCode;
    std::vector<uint8_t> publicKey;  // Ed25519 raw, 32 bytes
    std::string validFrom, validTo;  // "YYYY-MM-DD" or empty (unbounded)
};

struct StatusChange {
    std::string at;  // ISO time
    CertificateStatus status = CertificateStatus::Valid;
    std::string reason;
};

struct Certificate {
    std::string certNo;
    std::string bodyCode;
    std::string holder, product, category;
    std::vector<std::string> gtins;                       // GTIN-14; empty = no scope recorded
    std::string issued, expires;                          // "YYYY-MM-DD", both inclusive
    CertificateStatus status = CertificateStatus::Valid;  // as stored (dates not applied)
    std::string statusAt, statusReason;
    bool hasItemList = false;  // issued item codes are listed: unknown codes are suspicious
};

struct ItemCodeRecord {
    std::string code;    // as text, leading zeros kept
    std::string certNo;  // the certificate it was issued under
};

struct FlaggedCode {
    std::string code;
    std::string reason;
    std::string flaggedAt;  // ISO time or empty
};

enum class OpenMode {
    ReadOnly,   // verification; never writes, works while a sync writes
    ReadWrite,  // import, sync; creates the file and migrates the schema when needed
};

struct OpenOptions {
    OpenMode mode = OpenMode::ReadOnly;
    // SQLite VFS name (empty = default). Tests register a fault-injecting VFS.
    std::string vfs;
    // ReadOnly: create an empty cache first when the file does not exist (the CLI does).
    bool createIfMissing = true;
    int busyTimeoutMs = 5000;
};

// What an import did. Counts are records applied (upserts and deletes separately).
struct ImportCounts {
    std::string kind;      // "snapshot", "delta" or "merge" (no header)
    int64_t version = -1;  // header version, -1 when none
    int64_t lines = 0;
    int64_t bodies = 0, keys = 0, certificates = 0, statusChanges = 0, itemCodes = 0, flags = 0;
    int64_t deletes = 0;
    double seconds = 0;
};

struct CacheStats {
    int schemaVersion = 0;
    int64_t bodies = 0, keys = 0, certificates = 0, itemCodes = 0, flags = 0, statusChanges = 0;
    int64_t certificatesWithItemList = 0;
    // certificates by stored status, indexed by CertificateStatus
    int64_t byStatus[5] = {0, 0, 0, 0, 0};
    std::string cacheVersion;  // meta "cache_version" ("" when never set)
    std::string lastImport, lastSync, source;
    int64_t fileBytes = 0;  // main database file (WAL excluded)
};

enum class ImportFormat { Auto, JsonLines, Csv };

// Metadata keys with a meaning (others are free).
inline constexpr const char* kMetaCacheVersion = "cache_version";
inline constexpr const char* kMetaLastImport = "last_import";
inline constexpr const char* kMetaLastSync = "last_sync";
inline constexpr const char* kMetaSource = "source";
inline constexpr const char* kMetaSourceCreated = "source_created";

class CertificateCache {
public:
    // Opens (and creates/migrates when ReadWrite or createIfMissing) the cache at `path`.
    static Expected<std::unique_ptr<CertificateCache>> open(const std::string& path,
                                                            const OpenOptions& options = {});
    ~CertificateCache();
    CertificateCache(const CertificateCache&) = delete;
    CertificateCache& operator=(const CertificateCache&) = delete;

    const std::string& path() const;
    bool readOnly() const;

    // Applies an import file (docs/cache-format.md) in one transaction. `name` is used in
    // error messages ("file:line: ..."). Needs ReadWrite.
    Expected<ImportCounts> importFile(const std::string& path,
                                      ImportFormat format = ImportFormat::Auto);
    Expected<ImportCounts> importStream(std::istream& in, const std::string& name,
                                        ImportFormat format = ImportFormat::Auto);

    Expected<CacheStats> stats();

    // Lookups: nullopt when absent; an Error only when SQLite fails.
    Expected<std::optional<Certificate>> findCertificate(std::string_view certNo);
    Expected<std::vector<StatusChange>> statusHistory(std::string_view certNo);
    Expected<std::optional<ItemCodeRecord>> findItemCode(std::string_view code);
    // Certificates whose GTIN scope contains `gtin` (GTIN-8/12/13/14, normalised here).
    Expected<std::vector<Certificate>> certificatesForGtin(std::string_view gtin);
    Expected<std::optional<FlaggedCode>> findFlag(std::string_view code);
    Expected<std::optional<CertificationBody>> findBody(std::string_view code);
    Expected<std::optional<BodyKey>> findKey(std::string_view keyId);
    Expected<std::vector<BodyKey>> keysOfBody(std::string_view bodyCode);

    // Metadata (cache_version, last_sync, source, ...). getMeta: "" when absent.
    Expected<std::string> getMeta(std::string_view key);
    Status setMeta(std::string_view key, std::string_view value);  // needs ReadWrite

    // Optional: run several lookups (one verification) on one consistent snapshot, even if a
    // sync commits meanwhile; also saves the per-lookup lock calls. Keep it short: an open
    // read transaction holds back WAL checkpoints. endRead() is harmless when none is open.
    Status beginRead();
    void endRead();
    // True while a read (or write) transaction is open on this connection.
    bool inRead() const;
    // SQLite's PRAGMA data_version: changes whenever another connection has committed (an
    // import or a sync) since this connection last read. Costs no file access inside a read
    // transaction, so a verifier can check it on every verification and drop what it
    // remembers only when the data really changed.
    Expected<int64_t> dataVersion();

    class Impl;

private:
    explicit CertificateCache(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Item code text <-> compact integer key ("1" + digits). nullopt when not 1-18 digits.
std::optional<int64_t> itemCodeKey(std::string_view code);
std::string itemCodeFromKey(int64_t key);

// The default cache path: platform::dataDirectory() + "/cache.sqlite".
std::string defaultCachePath();

}  // namespace mengscan::sync
