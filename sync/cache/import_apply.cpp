#include "import_apply.hpp"

#include <algorithm>

#include "cache_values.hpp"
#include "schema.hpp"

namespace mengscan::sync::cache_import {
namespace {

using namespace cache_values;

// Item codes buffered before a sorted write: 2 M codes = 32 MB.
constexpr size_t kMaxPendingCodes = 2000000;

Unexpected bad(const std::string& message, const char* code = "import_bad_record") {
    return Unexpected(Error(ErrorCategory::Cache, code, message));
}

std::string quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

Status checkOptionalDate(const std::string& what, const std::string& value) {
    if (!value.empty() && !isDate(value)) return bad(what + " " + quoted(value) + " is not a date");
    return {};
}

}  // namespace

Status Applier::stepDone(sqlite::Statement* stmt, const char* what) {
    const int rc = stmt->step();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        Error error = db_.lastError(what, "write_failed");
        stmt->reset();
        return Unexpected(error);
    }
    stmt->reset();
    return {};
}

Status Applier::header(const Header& header) {
    if (sawRecord_ || header_) return bad("the header must be the first record");
    if (header.kind != "snapshot" && header.kind != "delta") {
        return bad("header kind " + quoted(header.kind) + " must be snapshot or delta");
    }
    if (!header.version) return bad("header has no version");
    if (!header.created.empty() && !isTime(header.created)) {
        return bad("header created " + quoted(header.created) + " is not a time");
    }
    header_ = header;
    counts_.kind = header.kind;
    counts_.version = *header.version;
    if (header.kind == "snapshot") return cache_schema::clearRegistryData(db_);
    if (!header.baseVersion) return bad("delta header has no base_version");
    auto stmt = db_.prepare("SELECT value FROM meta WHERE key='cache_version'");
    if (!stmt) return Unexpected(stmt.error());
    const std::string current = (*stmt)->step() == SQLITE_ROW ? (*stmt)->columnText(0) : "";
    (*stmt)->reset();
    if (current != std::to_string(*header.baseVersion)) {
        return bad("delta applies to version " + std::to_string(*header.baseVersion) +
                       " but the cache holds " + (current.empty() ? "no version" : current),
                   "delta_base_mismatch");
    }
    return {};
}

Status Applier::body(const CertificationBody& body) {
    sawRecord_ = true;
    if (!isDigits(body.code, 3, 4))
        return bad("body code " + quoted(body.code) + " is not 3-4 digits");
    if (body.name.empty()) return bad("body " + body.code + " has no name");
    auto stmt = db_.prepare(
        "INSERT INTO bodies(code,name) VALUES(?,?) ON CONFLICT(code) DO UPDATE SET "
        "name=excluded.name");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, body.code);
    (*stmt)->bind(2, body.name);
    ++counts_.bodies;
    return stepDone(*stmt, "body");
}

Status Applier::key(const std::string& keyId, const std::string& bodyCode,
                    const std::string& publicKey, const std::string& validFrom,
                    const std::string& validTo) {
    sawRecord_ = true;
    if (!isIdentifier(keyId)) return bad("key_id " + quoted(keyId) + " is empty or invalid");
    auto raw = decodeBase64(publicKey);
    if (!raw || raw->size() != 32) {
        return bad("key " + keyId + ": public_key is not a base64 Ed25519 key of 32 bytes");
    }
    if (auto s = checkOptionalDate("key " + keyId + ": valid_from", validFrom); !s) return s;
    if (auto s = checkOptionalDate("key " + keyId + ": valid_to", validTo); !s) return s;
    if (!validFrom.empty() && !validTo.empty() && validTo < validFrom) {
        return bad("key " + keyId + ": valid_to is before valid_from");
    }
    auto found = findBody(bodyCode);
    if (!found) return Unexpected(found.error());
    if (!*found) return bad("key " + keyId + ": unknown body " + quoted(bodyCode));
    auto stmt = db_.prepare(
        "INSERT INTO body_keys(key_id,body_code,public_key,valid_from,valid_to) "
        "VALUES(?,?,?,?,?) ON CONFLICT(key_id) DO UPDATE SET body_code=excluded.body_code,"
        "public_key=excluded.public_key,valid_from=excluded.valid_from,"
        "valid_to=excluded.valid_to");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, keyId);
    (*stmt)->bind(2, bodyCode);
    (*stmt)->bindBlob(3, *raw);
    (*stmt)->bindOptional(4, validFrom);
    (*stmt)->bindOptional(5, validTo);
    ++counts_.keys;
    return stepDone(*stmt, "key");
}

Expected<bool> Applier::findBody(std::string_view code) {
    auto stmt = db_.prepare("SELECT 1 FROM bodies WHERE code=?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, code);
    const int rc = (*stmt)->step();
    (*stmt)->reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Unexpected(db_.lastError("body lookup"));
    return rc == SQLITE_ROW;
}

Status Applier::certificate(const CertificateRecord& record) {
    sawRecord_ = true;
    const Certificate& c = record.cert;
    const std::string who = "certificate " + quoted(c.certNo);
    if (!isIdentifier(c.certNo)) return bad("cert_no " + quoted(c.certNo) + " is empty or invalid");
    if (c.holder.empty()) return bad(who + " has no holder");
    if (c.product.empty()) return bad(who + " has no product");
    if (!isDate(c.issued)) return bad(who + ": issued " + quoted(c.issued) + " is not a date");
    if (!isDate(c.expires)) return bad(who + ": expires " + quoted(c.expires) + " is not a date");
    if (c.expires < c.issued) return bad(who + ": expires before it was issued");
    if (!certificateStatusFromString(record.status)) {
        return bad(who + ": status " + quoted(record.status) +
                   " is not valid/suspended/revoked/withdrawn/expired");
    }
    if (!c.statusAt.empty() && !isTime(c.statusAt)) {
        return bad(who + ": status_at " + quoted(c.statusAt) + " is not a time");
    }
    std::vector<std::string> gtins;
    for (const auto& g : c.gtins) {
        auto normal = gtin14(g);
        if (!normal) return bad(who + ": GTIN " + quoted(g) + " has a wrong length or check digit");
        gtins.push_back(*normal);
    }
    auto found = findBody(c.bodyCode);
    if (!found) return Unexpected(found.error());
    if (!*found) return bad(who + ": unknown body " + quoted(c.bodyCode));

    auto stmt = db_.prepare(
        "INSERT INTO certificates(cert_no,body_code,holder,product,category,issued,expires,"
        "status,status_at,status_reason,item_list) VALUES(?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(cert_no) DO UPDATE SET body_code=excluded.body_code,"
        "holder=excluded.holder,product=excluded.product,category=excluded.category,"
        "issued=excluded.issued,expires=excluded.expires,status=excluded.status,"
        "status_at=excluded.status_at,status_reason=excluded.status_reason,"
        "item_list=max(item_list,excluded.item_list) RETURNING id");
    if (!stmt) return Unexpected(stmt.error());
    auto* s = *stmt;
    s->bind(1, c.certNo);
    s->bind(2, c.bodyCode);
    s->bind(3, c.holder);
    s->bind(4, c.product);
    s->bindOptional(5, c.category);
    s->bind(6, c.issued);
    s->bind(7, c.expires);
    s->bind(8, record.status);
    s->bindOptional(9, c.statusAt);
    s->bindOptional(10, c.statusReason);
    s->bind(11, int64_t{record.itemList ? 1 : 0});
    if (s->step() != SQLITE_ROW) {
        Error error = db_.lastError("certificate", "write_failed");
        s->reset();
        return Unexpected(error);
    }
    const int64_t id = s->columnInt(0);
    if (auto st = stepDone(s, "certificate"); !st) return st;
    ++counts_.certificates;

    auto del = db_.prepare("DELETE FROM certificate_gtins WHERE cert_id=?");
    if (!del) return Unexpected(del.error());
    (*del)->bind(1, id);
    if (auto st = stepDone(*del, "certificate GTINs"); !st) return st;
    for (const auto& g : gtins) {
        auto ins = db_.prepare("INSERT OR IGNORE INTO certificate_gtins(gtin,cert_id) VALUES(?,?)");
        if (!ins) return Unexpected(ins.error());
        (*ins)->bind(1, g);
        (*ins)->bind(2, id);
        if (auto st = stepDone(*ins, "certificate GTIN"); !st) return st;
    }
    if (!c.statusAt.empty()) {
        auto hist = db_.prepare(
            "INSERT INTO status_history(cert_id,at,status,reason) VALUES(?,?,?,?) "
            "ON CONFLICT(cert_id,at) DO UPDATE SET status=excluded.status,"
            "reason=excluded.reason");
        if (!hist) return Unexpected(hist.error());
        (*hist)->bind(1, id);
        (*hist)->bind(2, c.statusAt);
        (*hist)->bind(3, record.status);
        (*hist)->bindOptional(4, c.statusReason);
        if (auto st = stepDone(*hist, "status history"); !st) return st;
    }
    return {};
}

Status Applier::status(const std::string& certNo, const std::string& status, const std::string& at,
                       const std::string& reason) {
    sawRecord_ = true;
    const std::string who = "status of " + quoted(certNo);
    if (!certificateStatusFromString(status)) {
        return bad(who + ": " + quoted(status) +
                   " is not valid/suspended/revoked/withdrawn/expired");
    }
    if (!isTime(at)) return bad(who + ": at " + quoted(at) + " is not a time");
    auto id = certificateId(certNo);
    if (!id) return Unexpected(id.error());
    auto hist = db_.prepare(
        "INSERT INTO status_history(cert_id,at,status,reason) VALUES(?,?,?,?) "
        "ON CONFLICT(cert_id,at) DO UPDATE SET status=excluded.status,reason=excluded.reason");
    if (!hist) return Unexpected(hist.error());
    (*hist)->bind(1, *id);
    (*hist)->bind(2, at);
    (*hist)->bind(3, status);
    (*hist)->bindOptional(4, reason);
    if (auto st = stepDone(*hist, "status history"); !st) return st;
    // The newest history entry is the current status.
    auto cur = db_.prepare(
        "UPDATE certificates SET status=?2,status_at=?3,status_reason=?4 "
        "WHERE id=?1 AND (status_at IS NULL OR status_at<=?3)");
    if (!cur) return Unexpected(cur.error());
    (*cur)->bind(1, *id);
    (*cur)->bind(2, status);
    (*cur)->bind(3, at);
    (*cur)->bindOptional(4, reason);
    ++counts_.statusChanges;
    return stepDone(*cur, "certificate status");
}

Expected<int64_t> Applier::certificateId(std::string_view certNo) {
    auto stmt = db_.prepare("SELECT id FROM certificates WHERE cert_no=?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, certNo);
    const int rc = (*stmt)->step();
    if (rc == SQLITE_ROW) {
        const int64_t id = (*stmt)->columnInt(0);
        (*stmt)->reset();
        return id;
    }
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db_.lastError("certificate lookup"));
    return bad("unknown certificate " + quoted(certNo) + " (define it before its item codes)");
}

Status Applier::markItemList(int64_t certId) {
    if (certId == lastListCert_) return {};
    auto stmt = db_.prepare("UPDATE certificates SET item_list=1 WHERE id=? AND item_list=0");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, certId);
    lastListCert_ = certId;
    return stepDone(*stmt, "certificate item list");
}

Status Applier::itemCode(int64_t certId, std::string_view code) {
    sawRecord_ = true;
    const auto key = itemCodeKey(code);
    if (!key) return bad("item code " + quoted(code) + " is not 1-18 digits");
    if (auto st = markItemList(certId); !st) return st;
    pendingCodes_.emplace_back(*key, certId);
    ++counts_.itemCodes;
    if (pendingCodes_.size() >= kMaxPendingCodes) return flushItemCodes();
    return {};
}

Status Applier::flushItemCodes() {
    if (pendingCodes_.empty()) return {};
    // Stable: when one file lists a code twice, the later certificate wins, as in file order.
    std::stable_sort(pendingCodes_.begin(), pendingCodes_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    auto stmt = db_.prepare(
        "INSERT INTO item_codes(code,cert_id) VALUES(?,?) ON CONFLICT(code) DO UPDATE SET "
        "cert_id=excluded.cert_id");
    if (!stmt) return Unexpected(stmt.error());
    for (const auto& [key, certId] : pendingCodes_) {
        (*stmt)->bind(1, key);
        (*stmt)->bind(2, certId);
        if (auto st = stepDone(*stmt, "item code"); !st) return st;
    }
    pendingCodes_.clear();
    return {};
}

Status Applier::flag(const FlaggedCode& flag) {
    sawRecord_ = true;
    if (!isIdentifier(flag.code))
        return bad("flag code " + quoted(flag.code) + " is empty or invalid");
    if (flag.reason.empty()) return bad("flag " + quoted(flag.code) + " has no reason");
    if (!flag.flaggedAt.empty() && !isTime(flag.flaggedAt)) {
        return bad("flag " + quoted(flag.code) + ": at " + quoted(flag.flaggedAt) +
                   " is not a time");
    }
    auto stmt = db_.prepare(
        "INSERT INTO flagged_codes(code,reason,flagged_at) VALUES(?,?,?) ON CONFLICT(code) "
        "DO UPDATE SET reason=excluded.reason,flagged_at=excluded.flagged_at");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, flag.code);
    (*stmt)->bind(2, flag.reason);
    (*stmt)->bindOptional(3, flag.flaggedAt);
    ++counts_.flags;
    return stepDone(*stmt, "flag");
}

Status Applier::deleteRecord(std::string_view type, std::string_view key) {
    sawRecord_ = true;
    if (auto st = flushItemCodes(); !st) return st;
    lastListCert_ = -1;  // a deleted certificate's id may be reused
    const std::string t(type);
    std::vector<std::string> sql;
    if (t == "body") {
        auto users = db_.prepare(
            "SELECT (SELECT count(*) FROM certificates WHERE body_code=?1) + "
            "(SELECT count(*) FROM body_keys WHERE body_code=?1)");
        if (!users) return Unexpected(users.error());
        (*users)->bind(1, key);
        const int64_t n = (*users)->step() == SQLITE_ROW ? (*users)->columnInt(0) : 0;
        (*users)->reset();
        if (n > 0)
            return bad("cannot delete body " + quoted(key) + ": certificates or keys use it");
        sql = {"DELETE FROM bodies WHERE code=?1"};
    } else if (t == "key") {
        sql = {"DELETE FROM body_keys WHERE key_id=?1"};
    } else if (t == "certificate") {
        // Dependants first; item codes have no index by certificate (kept compact), so this
        // scans them once. Certificates normally change status instead of disappearing.
        sql = {
            "DELETE FROM item_codes WHERE cert_id=(SELECT id FROM certificates WHERE cert_no=?1)",
            "DELETE FROM certificate_gtins WHERE cert_id=(SELECT id FROM certificates "
            "WHERE cert_no=?1)",
            "DELETE FROM status_history WHERE cert_id=(SELECT id FROM certificates "
            "WHERE cert_no=?1)",
            "DELETE FROM certificates WHERE cert_no=?1"};
    } else if (t == "item_code") {
        const auto code = itemCodeKey(key);
        if (!code) return bad("item code " + quoted(key) + " is not 1-18 digits");
        auto stmt = db_.prepare("DELETE FROM item_codes WHERE code=?");
        if (!stmt) return Unexpected(stmt.error());
        (*stmt)->bind(1, *code);
        ++counts_.deletes;
        return stepDone(*stmt, "delete item code");
    } else if (t == "flag") {
        sql = {"DELETE FROM flagged_codes WHERE code=?1"};
    } else {
        return bad("cannot delete records of type " + quoted(type));
    }
    for (const auto& text : sql) {
        auto stmt = db_.prepare(text);
        if (!stmt) return Unexpected(stmt.error());
        (*stmt)->bind(1, key);
        if (auto st = stepDone(*stmt, "delete"); !st) return st;
    }
    ++counts_.deletes;
    return {};
}

Status Applier::finish(const std::string& nowIso) {
    if (auto st = flushItemCodes(); !st) return st;
    auto setMeta = [this](const char* key, const std::string& value) -> Status {
        auto stmt = db_.prepare(
            "INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET "
            "value=excluded.value");
        if (!stmt) return Unexpected(stmt.error());
        (*stmt)->bind(1, std::string_view(key));
        (*stmt)->bind(2, value);
        return stepDone(*stmt, "metadata");
    };
    if (header_) {
        static const std::map<std::string, std::string> kTables = {{"bodies", "bodies"},
                                                                   {"keys", "body_keys"},
                                                                   {"certificates", "certificates"},
                                                                   {"item_codes", "item_codes"},
                                                                   {"flags", "flagged_codes"}};
        for (const auto& [name, expected] : header_->counts) {
            auto table = kTables.find(name);
            if (table == kTables.end()) return bad("header counts: unknown table " + quoted(name));
            auto actual = db_.queryInt("SELECT count(*) FROM " + table->second);
            if (!actual) return Unexpected(actual.error());
            if (*actual != expected) {
                return bad("count check failed: " + name + " is " + std::to_string(*actual) +
                               " after applying, the header expects " + std::to_string(expected),
                           "count_mismatch");
            }
        }
        if (auto s = setMeta(kMetaCacheVersion, std::to_string(*header_->version)); !s) return s;
        if (!header_->source.empty()) {
            if (auto s = setMeta(kMetaSource, header_->source); !s) return s;
        }
        if (!header_->created.empty()) {
            if (auto s = setMeta(kMetaSourceCreated, header_->created); !s) return s;
        }
    }
    return setMeta(kMetaLastImport, nowIso);
}

}  // namespace mengscan::sync::cache_import
