#include "mengscan/sync/client/sync_client.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <istream>
#include <nlohmann/json.hpp>
#include <set>

#include "import_stream.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/client/crypto.hpp"
#include "mengscan/sync/client/manifest.hpp"

namespace mengscan::sync::client {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string isoNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

int64_t parseIso(const std::string& text) {
    std::tm tm{};
    if (!strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return -1;
    return static_cast<int64_t>(timegm(&tm));
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string trimSlash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

class SyncRun {
public:
    SyncRun(const SyncOptions& options, CertificateCache& cache)
        : o_(options),
          cache_(cache),
          fetcher_(options.transfer),
          base_(trimSlash(options.serverUrl)) {
        staging_ = o_.stagingDir.empty() ? o_.cachePath + ".sync" : o_.stagingDir;
        fetcher_.setRetryObserver([this](int attempt, long delayMs, const Error& why) {
            say("retry " + std::to_string(attempt) + " in " + std::to_string(delayMs) +
                " ms after " + why.code);
        });
    }

    Expected<SyncResult> run() {
        const auto started = Clock::now();
        auto anchor = loadPublicKeyPem(o_.trustAnchorPath);
        if (!anchor) return Unexpected(anchor.error());
        auto held = heldVersion();
        if (!held) return Unexpected(held.error());
        result_.fromVersion = result_.toVersion = *held;

        auto etag = cache_.getMeta(kMetaSyncManifestEtag);
        const std::string previousEtag = etag && *held > 0 ? *etag : "";
        auto response = fetcher_.get(base_ + "/v1/manifest", previousEtag);
        if (!response) return Unexpected(response.error());
        if (response->status == 304) {
            say("manifest not modified: version " + std::to_string(*held));
            result_.method = "up_to_date";
            result_.totalSeconds = secondsSince(started);
            return result_;
        }
        result_.manifestBytes = response->body.size();
        auto manifest = openManifestEnvelope(response->body, *anchor);
        if (!manifest) return Unexpected(manifest.error());
        say("manifest version " + std::to_string(manifest->version) + " (signature ok, key " +
            manifest->keyId + ")");
        if (manifest->version < *held) {
            return makeUnexpected(ErrorCategory::Crypto, "rollback_refused",
                                  "server offers version " + std::to_string(manifest->version) +
                                      ", older than the cache's version " + std::to_string(*held));
        }
        if (manifest->version == *held) {
            result_.method = "up_to_date";
        } else if (auto applied = update(*manifest, *held); !applied) {
            return Unexpected(applied.error());
        }
        (void)cache_.setMeta(kMetaSyncManifestEtag, response->etag);
        result_.totalSeconds = secondsSince(started);
        std::error_code ec;
        fs::remove_all(staging_, ec);  // nothing left to resume
        return result_;
    }

private:
    void say(const std::string& line) {
        if (o_.progress) o_.progress(line);
    }

    Expected<int64_t> heldVersion() {
        auto text = cache_.getMeta(kMetaCacheVersion);
        if (!text) return Unexpected(text.error());
        if (text->empty()) return int64_t{0};
        try {
            return static_cast<int64_t>(std::stoll(*text));
        } catch (const std::exception&) {
            return int64_t{0};  // a hand-imported cache without a version: re-base
        }
    }

    // Partial files of versions no longer offered would never be resumed: drop them.
    void pruneStaging(const Manifest& m) {
        std::set<std::string> wanted = {m.snapshot.sha256};
        for (const auto& d : m.deltas) wanted.insert(d.file.sha256);
        std::error_code ec;
        for (fs::directory_iterator it(staging_, ec), end; !ec && it != end; it.increment(ec)) {
            if (!wanted.count(it->path().stem().string())) fs::remove(it->path(), ec);
        }
    }

    Status update(const Manifest& m, int64_t held) {
        pruneStaging(m);
        std::optional<std::vector<DeltaEntry>> chain;
        if (held > 0) chain = m.chainFrom(held);
        uint64_t chainBytes = 0;
        if (chain) {
            for (const auto& d : *chain) chainBytes += d.file.size;
        }
        if (chain && chainBytes < m.snapshot.size) {
            auto applied = applyDeltas(m, held, *chain);
            if (applied) return applied;
            const auto& code = applied.error().code;
            if (code != "delta_base_mismatch" && code != "count_mismatch") return applied;
            result_.notes.push_back("delta chain rejected (" + applied.error().message +
                                    "): re-basing on the snapshot");
            say(result_.notes.back());
        } else if (held > 0) {
            result_.notes.push_back(chain ? "snapshot is smaller than the delta chain"
                                          : "no delta chain from version " + std::to_string(held) +
                                                ": snapshot");
            say(result_.notes.back());
        }
        return applySnapshot(m);
    }

    // Downloads one file into the staging folder (resuming a partial one) and checks its
    // size and SHA-256 before anything reads it.
    Expected<std::string> fetch(const FileEntry& file) {
        std::error_code ec;
        fs::create_directories(staging_, ec);
        if (ec) {
            return makeUnexpected(ErrorCategory::Io, "write_failed",
                                  "cannot create " + staging_ + ": " + ec.message());
        }
        const std::string done = staging_ + "/" + file.sha256 + ".gz";
        const std::string part = staging_ + "/" + file.sha256 + ".part";
        if (fs::exists(done, ec)) {
            auto hash = sha256FileHex(done);
            if (hash && *hash == file.sha256) return done;
            fs::remove(done, ec);
        }
        const uint64_t before = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
        const auto started = Clock::now();
        auto got = fetcher_.download(base_ + "/v1/files/" + file.name, part, file.size);
        result_.downloadSeconds += secondsSince(started);
        const uint64_t after = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
        if (after > before) result_.bytesDownloaded += after - before;
        if (!got) return Unexpected(got.error());
        auto hash = sha256FileHex(part);
        if (!hash) return Unexpected(hash.error());
        if (*hash != file.sha256) {
            fs::remove(part, ec);  // never resume from bytes that do not hash right
            return makeUnexpected(ErrorCategory::Crypto, "hash_mismatch",
                                  file.name + ": SHA-256 " + hash->substr(0, 16) +
                                      "... does not match the signed manifest");
        }
        fs::rename(part, done, ec);
        if (ec)
            return makeUnexpected(ErrorCategory::Io, "write_failed", done + ": " + ec.message());
        say("downloaded " + file.name + " (" + std::to_string(file.size) + " bytes, sha256 ok)");
        return done;
    }

    std::string header(const Manifest& m, const char* kind, int64_t base) const {
        nlohmann::json h{{"type", "header"},     {"format", "mengscan-cache"},
                         {"format_version", 1},  {"kind", kind},
                         {"version", m.version}, {"created", isoTimeOf(m.createdAt)},
                         {"source", base_},      {"counts", m.counts}};
        if (base >= 0) h["base_version"] = base;
        return h.dump();
    }

    static std::string isoTimeOf(int64_t unix) {
        const std::time_t t = static_cast<std::time_t>(unix);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char buffer[32];
        std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return buffer;
    }

    Status apply(const std::string& headerLine, const std::vector<ExpectedHeader>& files,
                 const char* method, int64_t version) {
        ImportStreambuf buffer;
        if (auto ok = buffer.open(headerLine, files); !ok) return ok;
        std::istream in(&buffer);
        const auto started = Clock::now();
        auto counts = cache_.importStream(in, std::string(method) + " " + std::to_string(version),
                                          ImportFormat::JsonLines);
        result_.applySeconds += secondsSince(started);
        if (buffer.error()) return Unexpected(buffer.error());
        if (!counts) return Unexpected(counts.error());
        result_.records = counts->lines;
        result_.method = method;
        result_.toVersion = version;
        say(std::string("applied ") + method + " to version " + std::to_string(version) + " (" +
            std::to_string(counts->lines) + " records, one transaction)");
        return {};
    }

    Status applyDeltas(const Manifest& m, int64_t held, const std::vector<DeltaEntry>& chain) {
        std::vector<ExpectedHeader> files;
        for (const auto& d : chain) {
            auto path = fetch(d.file);
            if (!path) return Unexpected(path.error());
            files.push_back({*path, "delta", d.toVersion, d.fromVersion});
        }
        return apply(header(m, "delta", held), files, "delta", m.version);
    }

    Status applySnapshot(const Manifest& m) {
        auto path = fetch(m.snapshot);
        if (!path) return Unexpected(path.error());
        return apply(header(m, "snapshot", -1), {{*path, "snapshot", m.version, -1}}, "snapshot",
                     m.version);
    }

    const SyncOptions& o_;
    CertificateCache& cache_;
    HttpFetcher fetcher_;
    std::string base_, staging_;
    SyncResult result_;
};

}  // namespace

Expected<SyncResult> runSync(const SyncOptions& options) {
    OpenOptions open;
    open.mode = OpenMode::ReadWrite;
    auto cache = CertificateCache::open(options.cachePath, open);
    if (!cache) return Unexpected(cache.error());
    SyncRun run(options, **cache);
    auto result = run.run();
    // Status for `mengscan sync --status`; best effort (the disk may be what failed).
    (void)(*cache)->setMeta(kMetaSyncLastAttempt, isoNow());
    (void)(*cache)->setMeta(kMetaSyncServer, trimSlash(options.serverUrl));
    if (result) {
        (void)(*cache)->setMeta(kMetaLastSync, isoNow());
        (void)(*cache)->setMeta(kMetaSyncLastError, "");
    } else {
        (void)(*cache)->setMeta(kMetaSyncLastError, result.error().describe());
    }
    return result;
}

Expected<SyncStatus> readSyncStatus(const std::string& cachePath, int64_t nowUnix) {
    OpenOptions open;
    open.mode = OpenMode::ReadOnly;
    open.createIfMissing = false;
    std::error_code ec;
    if (!fs::exists(cachePath, ec)) {
        return makeUnexpected(ErrorCategory::Cache, "cache_missing", cachePath + " does not exist");
    }
    auto cache = CertificateCache::open(cachePath, open);
    if (!cache) return Unexpected(cache.error());
    SyncStatus status;
    auto get = [&](const char* key) {
        auto value = (*cache)->getMeta(key);
        return value ? *value : std::string();
    };
    status.cacheVersion = get(kMetaCacheVersion);
    status.lastSync = get(kMetaLastSync);
    status.lastAttempt = get(kMetaSyncLastAttempt);
    status.lastError = get(kMetaSyncLastError);
    status.server = get(kMetaSyncServer);
    if (!status.lastSync.empty()) {
        const int64_t at = parseIso(status.lastSync);
        if (at >= 0) status.ageSeconds = nowUnix - at;
    }
    return status;
}

}  // namespace mengscan::sync::client
