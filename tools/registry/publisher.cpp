#include "publisher.hpp"

#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "mengscan/sync/client/gzip.hpp"
#include "mengscan/sync/client/manifest.hpp"

namespace mengscan::registry {
namespace {

using ojson = nlohmann::ordered_json;
namespace client = sync::client;

constexpr size_t kCodesPerLine = 5000;  // item codes grouped per certificate per line

// Collects JSON lines and counts them.
struct LineWriter {
    std::string text;
    int64_t records = 0;
    void add(const ojson& j) {
        text += j.dump(-1, ' ', false, ojson::error_handler_t::replace);
        text += '\n';
        ++records;
    }
};

// Which rows a file takes from a table: all live rows (snapshot) or the rows stamped
// with one version (delta), live or deleted.
struct Selection {
    bool snapshot = true;
    int64_t version = 0;
    std::string where(bool deleted) const {
        if (snapshot) return " WHERE deleted = 0";
        return " WHERE version = ?1 AND deleted = " + std::string(deleted ? "1" : "0");
    }
};

Status forEachRow(Store& store, const std::string& sql, const Selection& sel,
                  const std::function<void(Stmt&)>& fn) {
    auto stmt = store.prepare(sql);
    if (!stmt) return Unexpected(stmt.error());
    if (!sel.snapshot) stmt->bind(1, sel.version);
    while (stmt->step()) fn(*stmt);
    if (!stmt->ok()) return Unexpected(store.error("publish"));
    return {};
}

void putOptional(ojson& j, const char* key, Stmt& row, int col) {
    if (!row.isNull(col)) j[key] = row.text(col);
}

Status writeUpserts(Store& store, const Selection& sel, LineWriter& out) {
    auto ok =
        forEachRow(store, "SELECT code, name FROM bodies" + sel.where(false) + " ORDER BY code",
                   sel, [&](Stmt& r) {
                       out.add(ojson{{"type", "body"}, {"code", r.text(0)}, {"name", r.text(1)}});
                   });
    if (!ok) return ok;
    ok = forEachRow(store,
                    "SELECT key_id, body, public_key, valid_from, valid_to FROM keys" +
                        sel.where(false) + " ORDER BY key_id",
                    sel, [&](Stmt& r) {
                        ojson j{{"type", "key"},
                                {"key_id", r.text(0)},
                                {"body", r.text(1)},
                                {"public_key", r.text(2)}};
                        putOptional(j, "valid_from", r, 3);
                        putOptional(j, "valid_to", r, 4);
                        out.add(j);
                    });
    if (!ok) return ok;
    ok = forEachRow(
        store,
        "SELECT cert_no, body, holder, product, category, gtins, issued, expires, status, "
        "status_at, status_reason, item_list FROM certificates" +
            sel.where(false) + " ORDER BY cert_no",
        sel, [&](Stmt& r) {
            ojson j{{"type", "certificate"},
                    {"cert_no", r.text(0)},
                    {"body", r.text(1)},
                    {"holder", r.text(2)},
                    {"product", r.text(3)}};
            putOptional(j, "category", r, 4);
            j["gtins"] = ojson::parse(r.text(5), nullptr, false);
            if (j["gtins"].is_discarded()) j["gtins"] = ojson::array();
            j["issued"] = r.text(6);
            j["expires"] = r.text(7);
            j["status"] = r.text(8);
            putOptional(j, "status_at", r, 9);
            putOptional(j, "status_reason", r, 10);
            if (r.integer(11) != 0) j["item_list"] = true;
            out.add(j);
        });
    if (!ok) return ok;
    // Status history: all of it in a snapshot, the new entries in a delta.
    const std::string historyWhere =
        sel.snapshot ? " WHERE h.cert_no IN (SELECT cert_no FROM certificates WHERE deleted = 0)"
                     : " WHERE h.version = ?1";
    ok = forEachRow(store,
                    "SELECT h.cert_no, h.status, h.at, h.reason FROM status_history h" +
                        historyWhere + " ORDER BY h.cert_no, h.at",
                    sel, [&](Stmt& r) {
                        ojson j{{"type", "status"},
                                {"cert_no", r.text(0)},
                                {"status", r.text(1)},
                                {"at", r.text(2)}};
                        putOptional(j, "reason", r, 3);
                        out.add(j);
                    });
    if (!ok) return ok;
    // Item codes grouped per certificate: ~20 bytes per code before compression.
    std::string groupCert;
    ojson codes = ojson::array();
    auto flush = [&] {
        if (!codes.empty()) {
            out.add(ojson{{"type", "item_codes"}, {"cert_no", groupCert}, {"codes", codes}});
        }
        codes = ojson::array();
    };
    ok = forEachRow(
        store,
        "SELECT cert_no, code FROM item_codes" + sel.where(false) + " ORDER BY cert_no, code", sel,
        [&](Stmt& r) {
            std::string cert = r.text(0);
            if (cert != groupCert || codes.size() >= kCodesPerLine) {
                flush();
                groupCert = std::move(cert);
            }
            codes.push_back(r.text(1));
        });
    if (!ok) return ok;
    flush();
    return forEachRow(store,
                      "SELECT code, reason, at FROM flags" + sel.where(false) + " ORDER BY code",
                      sel, [&](Stmt& r) {
                          ojson j{{"type", "flag"}, {"code", r.text(0)}, {"reason", r.text(1)}};
                          putOptional(j, "at", r, 2);
                          out.add(j);
                      });
}

// Deletes in a delta, dependants first (docs/cache-format.md).
Status writeDeletes(Store& store, const Selection& sel, LineWriter& out) {
    struct Kind {
        const char* table;
        const char* type;
        const char* keyColumn;
        const char* keyField;
    };
    const Kind kinds[] = {{"flags", "flag", "code", "code"},
                          {"item_codes", "item_code", "code", "code"},
                          {"certificates", "certificate", "cert_no", "cert_no"},
                          {"keys", "key", "key_id", "key_id"},
                          {"bodies", "body", "code", "code"}};
    for (const auto& k : kinds) {
        auto ok = forEachRow(
            store,
            std::string("SELECT ") + k.keyColumn + " FROM " + k.table + sel.where(true) +
                " ORDER BY " + k.keyColumn,
            sel, [&](Stmt& r) {
                out.add(ojson{{"op", "delete"}, {"type", k.type}, {k.keyField, r.text(0)}});
            });
        if (!ok) return ok;
    }
    return {};
}

Expected<std::map<std::string, int64_t>> liveCounts(Store& store) {
    std::map<std::string, int64_t> counts;
    const std::pair<const char*, const char*> tables[] = {{"bodies", "bodies"},
                                                          {"keys", "keys"},
                                                          {"certificates", "certificates"},
                                                          {"item_codes", "item_codes"},
                                                          {"flags", "flags"}};
    for (const auto& [name, table] : tables) {
        auto n =
            store.queryInt(std::string("SELECT COUNT(*) FROM ") + table + " WHERE deleted = 0");
        if (!n) return Unexpected(n.error());
        counts[name] = *n;
    }
    return counts;
}

ojson header(const char* kind, int64_t version, int64_t createdAt,
             const std::map<std::string, int64_t>& counts, const PublishOptions& options) {
    ojson h{{"type", "header"},
            {"format", "mengscan-cache"},
            {"format_version", 1},
            {"kind", kind},
            {"version", version}};
    if (std::string(kind) == "delta") h["base_version"] = version - 1;
    h["created"] = isoTime(createdAt);
    h["source"] = options.source;
    h["counts"] = counts;
    return h;
}

Expected<client::FileEntry> storeFile(Store& store, const std::string& name, const char* kind,
                                      int64_t version, const LineWriter& lines) {
    auto gz = client::gzipCompress(lines.text, 9);
    if (!gz) return Unexpected(gz.error());
    client::FileEntry entry{name, client::sha256Hex(*gz), gz->size(),
                            static_cast<uint64_t>(lines.records)};
    auto stmt = store.prepare(
        "INSERT OR REPLACE INTO files(name, version, kind, sha256, size, records, content) "
        "VALUES(?,?,?,?,?,?,?)");
    if (!stmt) return Unexpected(stmt.error());
    stmt->bind(1, name).bind(2, version).bind(3, std::string_view(kind)).bind(4, entry.sha256);
    stmt->bind(5, static_cast<int64_t>(entry.size)).bind(6, lines.records).bindBlob(7, *gz);
    stmt->step();
    if (!stmt->ok()) return Unexpected(store.error("store " + name));
    return entry;
}

}  // namespace

std::string snapshotFileName(int64_t version) {
    char name[64];
    std::snprintf(name, sizeof name, "snapshot-%08lld.jsonl.gz", static_cast<long long>(version));
    return name;
}

std::string deltaFileName(int64_t fromVersion, int64_t toVersion) {
    char name[64];
    std::snprintf(name, sizeof name, "delta-%08lld-%08lld.jsonl.gz",
                  static_cast<long long>(fromVersion), static_cast<long long>(toVersion));
    return name;
}

Expected<std::string> publishVersion(Store& store, const client::Ed25519Signer& signer,
                                     int64_t version, const PublishOptions& options) {
    const int64_t createdAt = static_cast<int64_t>(std::time(nullptr));
    auto counts = liveCounts(store);
    if (!counts) return Unexpected(counts.error());

    LineWriter snapshot;
    snapshot.add(header("snapshot", version, createdAt, *counts, options));
    if (auto ok = writeUpserts(store, Selection{true, version}, snapshot); !ok) {
        return Unexpected(ok.error());
    }
    client::Manifest manifest;
    manifest.version = version;
    manifest.createdAt = createdAt;
    manifest.keyId = signer.publicKey().keyId();
    manifest.counts = *counts;
    auto snapshotEntry = storeFile(store, snapshotFileName(version), "snapshot", version, snapshot);
    if (!snapshotEntry) return Unexpected(snapshotEntry.error());
    manifest.snapshot = *snapshotEntry;

    if (version > 1) {
        LineWriter delta;
        delta.add(header("delta", version, createdAt, *counts, options));
        const Selection sel{false, version};
        if (auto ok = writeUpserts(store, sel, delta); !ok) return Unexpected(ok.error());
        if (auto ok = writeDeletes(store, sel, delta); !ok) return Unexpected(ok.error());
        auto entry = storeFile(store, deltaFileName(version - 1, version), "delta", version, delta);
        if (!entry) return Unexpected(entry.error());
    }

    // Retention: deltas for clients up to keepDeltas versions behind, the newest snapshots.
    auto prune = store.prepare(
        "DELETE FROM files WHERE (kind = 'delta' AND version <= ?1) OR "
        "(kind = 'snapshot' AND version <= ?2)");
    if (!prune) return Unexpected(prune.error());
    prune->bind(1, version - options.keepDeltas).bind(2, version - options.keepSnapshots);
    prune->step();
    if (!prune->ok()) return Unexpected(store.error("prune files"));

    auto deltas = store.prepare(
        "SELECT name, sha256, size, records, version FROM files WHERE kind = 'delta' "
        "ORDER BY version");
    if (!deltas) return Unexpected(deltas.error());
    while (deltas->step()) {
        client::DeltaEntry d;
        d.file = client::FileEntry{deltas->text(0), deltas->text(1),
                                   static_cast<uint64_t>(deltas->integer(2)),
                                   static_cast<uint64_t>(deltas->integer(3))};
        d.toVersion = deltas->integer(4);
        d.fromVersion = d.toVersion - 1;
        manifest.deltas.push_back(std::move(d));
    }
    if (!deltas->ok()) return Unexpected(store.error("list deltas"));

    auto envelope = client::signManifestEnvelope(manifest, signer);
    if (!envelope) return Unexpected(envelope.error());
    const std::string text = client::serializeManifest(manifest);
    auto insert = store.prepare(
        "INSERT INTO versions(version, created_at, manifest, envelope) "
        "VALUES(?,?,?,?)");
    if (!insert) return Unexpected(insert.error());
    insert->bind(1, version).bind(2, createdAt).bind(3, text).bind(4, *envelope);
    insert->step();
    if (!insert->ok()) return Unexpected(store.error("store manifest"));
    return text;
}

}  // namespace mengscan::registry
