// The registry: bodies, keys, certificates (with status history), issued item codes and
// flagged codes in one SQLite file, published as numbered, signed versions in exactly
// the cache import format (docs/cache-format.md, docs/protocol.md). Every change goes
// through change(): one transaction that edits the data, stamps each touched row with
// the new version and writes that version's snapshot, delta and signed manifest.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"
#include "mengscan/sync/client/crypto.hpp"
#include "sqlite_store.hpp"

namespace mengscan::registry {

struct StoredFile {
    std::string name, sha256, contentType;
    int64_t version = 0;
    std::string content;
};

struct PublishOptions {
    int keepDeltas = 50;    // deltas kept for clients this many versions behind
    int keepSnapshots = 2;  // older snapshots are dropped
    std::string source = "mengscan-registry";
};

struct ChangeSummary {
    int64_t version = 0;
    int64_t records = 0;   // records applied by the change
    std::string manifest;  // the canonical manifest text
};

// Read side (the server needs no signing key for these).
Expected<int64_t> currentVersion(Store& store);
// The signed manifest envelope of `version` (0 = current); "" when there is none.
Expected<std::string> manifestEnvelope(Store& store, int64_t version = 0);
Expected<std::optional<StoredFile>> readFile(Store& store, const std::string& name);

class Registry {
public:
    // Creates a new registry database and a new manifest signing key (0600 file).
    static Status init(const std::string& dbPath, const std::string& keyPath,
                       const std::string& trustAnchorPath);
    static Expected<std::unique_ptr<Registry>> open(const std::string& dbPath,
                                                    const std::string& keyPath);

    Store& store() { return *store_; }
    const sync::client::Ed25519Signer& signer() const { return signer_; }
    void setPublishOptions(PublishOptions options) { publish_ = std::move(options); }

    // Runs `edit(version)` and publishes `version` = current + 1, all in one transaction.
    using Edit = std::function<Expected<int64_t>(Store& store, int64_t version)>;  // -> records
    Expected<ChangeSummary> change(const Edit& edit);

    Expected<int64_t> currentVersion() { return registry::currentVersion(*store_); }

private:
    Registry(std::unique_ptr<Store> store, sync::client::Ed25519Signer signer)
        : store_(std::move(store)), signer_(std::move(signer)) {}
    std::unique_ptr<Store> store_;
    sync::client::Ed25519Signer signer_;
    PublishOptions publish_;
};

// Data edits, each run inside Registry::change (they stamp rows with `version`).
// Records of an import file (JSON Lines, docs/cache-format.md); header lines are ignored
// (the registry numbers its own versions).
Expected<int64_t> importJsonLines(Store& store, const std::string& path, int64_t version);
Expected<int64_t> setCertificateStatus(Store& store, const std::string& certNo,
                                       const std::string& status, const std::string& reason,
                                       int64_t version, int64_t nowUnix);
Expected<int64_t> flagCode(Store& store, const std::string& code, const std::string& reason,
                           int64_t version, int64_t nowUnix);
Expected<int64_t> unflagCode(Store& store, const std::string& code, int64_t version);

std::string isoTime(int64_t unixSeconds);  // "2026-03-01T12:00:00Z"

}  // namespace mengscan::registry
