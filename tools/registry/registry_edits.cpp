// Data edits of the registry: import of JSON Lines records, status changes, flags. Each
// touched row is stamped with the version being built so the publisher can cut a delta.
#include <fstream>
#include <nlohmann/json.hpp>

#include "record_checks.hpp"
#include "registry.hpp"

namespace mengscan::registry {
namespace {

using json = nlohmann::json;

struct BadRecord : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads a string field; codes given as numbers are errors, never converted.
std::string field(const json& j, const char* key, bool required = true) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) throw BadRecord(std::string("missing \"") + key + "\"");
        return {};
    }
    if (!it->is_string()) throw BadRecord(std::string("\"") + key + "\" must be a string");
    return it->get<std::string>();
}

void expect(bool ok, const std::string& message) {
    if (!ok) throw BadRecord(message);
}

class Importer {
public:
    Importer(Store& store, int64_t version) : store_(store), version_(version) {}

    void apply(const json& j) {
        expect(j.is_object(), "not a JSON object");
        const std::string type = field(j, "type");
        const std::string op = j.contains("op") ? field(j, "op") : "upsert";
        expect(op == "upsert" || op == "delete", "op must be upsert or delete");
        if (type == "header") return;
        if (op == "delete") return remove(type, j);
        if (type == "body") return body(j);
        if (type == "key") return key(j);
        if (type == "certificate") return certificate(j);
        if (type == "status")
            return addStatus(store_, field(j, "cert_no"), field(j, "status"), field(j, "at"),
                             field(j, "reason", false), version_);
        if (type == "item_codes") {
            const std::string cert = field(j, "cert_no");
            expect(j.contains("codes") && j["codes"].is_array(), "\"codes\" must be an array");
            for (const auto& c : j["codes"]) {
                expect(c.is_string(), "item codes must be strings");
                itemCode(cert, c.get<std::string>());
            }
            return;
        }
        if (type == "item_code") return itemCode(field(j, "cert_no"), field(j, "code"));
        if (type == "flag") {
            return upsertFlag(store_, field(j, "code"), field(j, "reason"), field(j, "at", false),
                              version_);
        }
        throw BadRecord("unknown record type \"" + type + "\"");
    }

    static void addStatus(Store& store, const std::string& cert, const std::string& status,
                          const std::string& at, const std::string& reason, int64_t version) {
        expect(isStatus(status), "status \"" + status + "\" is not a certificate status");
        expect(isIsoTime(at), "at \"" + at + "\" is not an ISO UTC time");
        run(store,
            "INSERT INTO status_history(cert_no, at, status, reason, version) "
            "VALUES(?1,?2,?3,?4,?5) "
            "ON CONFLICT(cert_no, at) DO UPDATE SET status=?3, reason=?4, version=?5",
            {cert, at, status, reason}, version, "certificate " + cert + " is unknown",
            liveCertificate(store, cert));
        // The device does the same: a history entry not older than the current one wins.
        run(store,
            "UPDATE certificates SET status=?3, status_at=?2, status_reason=?4 "
            "WHERE cert_no=?1 AND (status_at IS NULL OR status_at <= ?2)",
            {cert, at, status, reason}, 0, "", true);
    }

    static void upsertFlag(Store& store, const std::string& code, const std::string& reason,
                           const std::string& at, int64_t version) {
        expect(!code.empty() && code.size() <= 128, "flag code must be 1-128 characters");
        expect(at.empty() || isIsoTime(at), "at \"" + at + "\" is not an ISO UTC time");
        run(store,
            "INSERT INTO flags(code, reason, at, version, deleted) VALUES(?1,?2,?3,?5,0) "
            "ON CONFLICT(code) DO UPDATE SET reason=?2, at=?3, version=?5, deleted=0",
            {code, reason, at, ""}, version, "", true);
    }

    static bool liveCertificate(Store& store, const std::string& cert) {
        return exists(store, "SELECT 1 FROM certificates WHERE cert_no=? AND deleted=0", cert);
    }

private:
    static bool exists(Store& store, const std::string& sql, const std::string& key) {
        auto stmt = store.prepare(sql);
        if (!stmt) throw std::runtime_error(stmt.error().message);
        stmt->bind(1, key);
        const bool found = stmt->step();
        if (!stmt->ok()) throw std::runtime_error(store.error("lookup").message);
        return found;
    }

    // Binds up to four texts (?1..?4, empty = NULL) and the version (?5), runs the
    // statement; `precondition` false throws `failure`.
    static void run(Store& store, const std::string& sql, std::initializer_list<std::string> texts,
                    int64_t version, const std::string& failure, bool precondition) {
        expect(precondition, failure);
        auto stmt = store.prepare(sql);
        if (!stmt) throw std::runtime_error(stmt.error().message);
        int i = 1;
        for (const auto& t : texts) stmt->bindOptional(i++, t);
        stmt->bind(5, version);
        stmt->step();
        if (!stmt->ok()) throw std::runtime_error(store.error("write").message);
    }

    void body(const json& j) {
        const std::string code = field(j, "code"), name = field(j, "name");
        expect(isDigits(code, 3, 4), "body code \"" + code + "\" must be 3-4 digits");
        run(store_,
            "INSERT INTO bodies(code, name, version, deleted) VALUES(?1,?2,?5,0) "
            "ON CONFLICT(code) DO UPDATE SET name=?2, version=?5, deleted=0",
            {code, name}, version_, "", true);
    }

    void key(const json& j) {
        const std::string id = field(j, "key_id"), body = field(j, "body");
        const std::string from = field(j, "valid_from", false), to = field(j, "valid_to", false);
        auto pub = normalisePublicKey(field(j, "public_key"));
        expect(!id.empty() && id.size() <= 64, "key_id must be 1-64 characters");
        expect(pub.has_value(), "key " + id + ": public_key is not a 32-byte Ed25519 key");
        expect(from.empty() || isDate(from), "key " + id + ": valid_from is not a date");
        expect(to.empty() || isDate(to), "key " + id + ": valid_to is not a date");
        expect(exists(store_, "SELECT 1 FROM bodies WHERE code=? AND deleted=0", body),
               "key " + id + ": body " + body + " is unknown");
        auto stmt = store_.prepare(
            "INSERT INTO keys(key_id, body, public_key, valid_from, valid_to, version, deleted) "
            "VALUES(?1,?2,?3,?4,?5,?6,0) ON CONFLICT(key_id) DO UPDATE SET body=?2, "
            "public_key=?3, valid_from=?4, valid_to=?5, version=?6, deleted=0");
        if (!stmt) throw std::runtime_error(stmt.error().message);
        stmt->bind(1, id).bind(2, body).bind(3, *pub).bindOptional(4, from).bindOptional(5, to);
        stmt->bind(6, version_).step();
        if (!stmt->ok()) throw std::runtime_error(store_.error("write key").message);
    }

    void certificate(const json& j) {
        const std::string cert = field(j, "cert_no"), body = field(j, "body");
        const std::string issued = field(j, "issued"), expires = field(j, "expires");
        const std::string status = field(j, "status"), statusAt = field(j, "status_at", false);
        expect(!cert.empty() && cert.size() <= 64, "cert_no must be 1-64 characters");
        const std::string where = "certificate " + cert + ": ";
        expect(isDate(issued), where + "issued \"" + issued + "\" is not a date");
        expect(isDate(expires), where + "expires \"" + expires + "\" is not a date");
        expect(isStatus(status), where + "status \"" + status + "\" is unknown");
        expect(statusAt.empty() || isIsoTime(statusAt), where + "status_at is not an ISO time");
        expect(exists(store_, "SELECT 1 FROM bodies WHERE code=? AND deleted=0", body),
               where + "body " + body + " is unknown");
        json gtins = json::array();
        if (j.contains("gtins") && !j["gtins"].is_null()) {
            expect(j["gtins"].is_array(), where + "gtins must be an array");
            for (const auto& g : j["gtins"]) {
                expect(g.is_string(), where + "GTINs must be strings");
                auto norm = gtin14(g.get<std::string>());
                expect(norm.has_value(), where + "GTIN " + g.get<std::string>() + " is invalid");
                gtins.push_back(*norm);
            }
        }
        const bool itemList = j.value("item_list", false);
        auto stmt = store_.prepare(
            "INSERT INTO certificates(cert_no, body, holder, product, category, gtins, issued, "
            "expires, status, status_at, status_reason, item_list, version, deleted) "
            "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,0) ON CONFLICT(cert_no) DO UPDATE "
            "SET body=?2, holder=?3, product=?4, category=?5, gtins=?6, issued=?7, expires=?8, "
            "status=?9, status_at=?10, status_reason=?11, item_list=MAX(item_list, ?12), "
            "version=?13, deleted=0");
        if (!stmt) throw std::runtime_error(stmt.error().message);
        stmt->bind(1, cert).bind(2, body).bind(3, field(j, "holder")).bind(4, field(j, "product"));
        stmt->bindOptional(5, field(j, "category", false)).bind(6, gtins.dump());
        stmt->bind(7, issued).bind(8, expires).bind(9, status).bindOptional(10, statusAt);
        stmt->bindOptional(11, field(j, "status_reason", false));
        stmt->bind(12, int64_t{itemList ? 1 : 0}).bind(13, version_).step();
        if (!stmt->ok()) throw std::runtime_error(store_.error("write certificate").message);
        // A device that applies the snapshot (certificate, then its history) makes the newest
        // history entry not older than status_at current; publish the same state in deltas.
        run(store_,
            "UPDATE certificates SET (status, status_at, status_reason) = (SELECT h.status, h.at, "
            "h.reason FROM status_history h WHERE h.cert_no=?1 ORDER BY h.at DESC LIMIT 1) "
            "WHERE cert_no=?1 AND EXISTS(SELECT 1 FROM status_history h WHERE h.cert_no=?1 AND "
            "(certificates.status_at IS NULL OR h.at >= certificates.status_at))",
            {cert}, 0, "", true);
    }

    void itemCode(const std::string& cert, const std::string& code) {
        expect(isDigits(code, 1, 18), "item code \"" + code + "\" must be 1-18 digits");
        if (cert != lastCert_) {
            expect(liveCertificate(store_, cert), "certificate " + cert + " is unknown");
            run(store_, "UPDATE certificates SET item_list=1 WHERE cert_no=?1", {cert}, 0, "",
                true);
            lastCert_ = cert;
        }
        if (!itemStmt_) {
            auto stmt = store_.prepare(
                "INSERT INTO item_codes(code, cert_no, version, deleted) VALUES(?1,?2,?3,0) "
                "ON CONFLICT(code) DO UPDATE SET cert_no=?2, version=?3, deleted=0");
            if (!stmt) throw std::runtime_error(stmt.error().message);
            itemStmt_ = std::make_unique<Stmt>(std::move(*stmt));
        }
        itemStmt_->reset();
        itemStmt_->bind(1, code).bind(2, cert).bind(3, version_).step();
        if (!itemStmt_->ok()) throw std::runtime_error(store_.error("write item code").message);
    }

    void remove(const std::string& type, const json& j) {
        const std::string tomb = ", version=?5, deleted=1 WHERE deleted=0 AND ";
        if (type == "flag") {
            run(store_, "UPDATE flags SET reason=reason" + tomb + "code=?1", {field(j, "code")},
                version_, "", true);
        } else if (type == "item_code") {
            run(store_, "UPDATE item_codes SET cert_no=cert_no" + tomb + "code=?1",
                {field(j, "code")}, version_, "", true);
        } else if (type == "item_codes") {
            expect(j.contains("codes") && j["codes"].is_array(), "\"codes\" must be an array");
            for (const auto& c : j["codes"]) {
                expect(c.is_string(), "item codes must be strings");
                run(store_, "UPDATE item_codes SET cert_no=cert_no" + tomb + "code=?1",
                    {c.get<std::string>()}, version_, "", true);
            }
        } else if (type == "certificate") {
            const std::string cert = field(j, "cert_no");
            // The device drops history and item codes with the certificate; so do we.
            run(store_, "DELETE FROM status_history WHERE cert_no=?1", {cert}, 0, "", true);
            run(store_, "DELETE FROM item_codes WHERE cert_no=?1", {cert}, 0, "", true);
            run(store_, "UPDATE certificates SET item_list=0" + tomb + "cert_no=?1", {cert},
                version_, "", true);
        } else if (type == "key") {
            run(store_, "UPDATE keys SET body=body" + tomb + "key_id=?1", {field(j, "key_id")},
                version_, "", true);
        } else if (type == "body") {
            const std::string code = field(j, "code");
            expect(!exists(store_, "SELECT 1 FROM certificates WHERE body=? AND deleted=0", code) &&
                       !exists(store_, "SELECT 1 FROM keys WHERE body=? AND deleted=0", code),
                   "body " + code + " still has certificates or keys");
            run(store_, "UPDATE bodies SET name=name" + tomb + "code=?1", {code}, version_, "",
                true);
        } else {
            throw BadRecord("cannot delete records of type \"" + type + "\"");
        }
    }

    Store& store_;
    int64_t version_;
    std::string lastCert_;
    std::unique_ptr<Stmt> itemStmt_;
};

Unexpected badRecord(const std::string& where, const std::string& message) {
    return makeUnexpected(ErrorCategory::Usage, "import_bad_record", where + ": " + message);
}

}  // namespace

Expected<int64_t> importJsonLines(Store& store, const std::string& path, int64_t version) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeUnexpected(ErrorCategory::Io, "file_not_found", "cannot open " + path);
    Importer importer(store, version);
    std::string line;
    int64_t lineNo = 0, records = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::string where = path + ":" + std::to_string(lineNo);
        try {
            importer.apply(json::parse(line));
            ++records;
        } catch (const BadRecord& e) {
            return badRecord(where, e.what());
        } catch (const json::exception& e) {
            return badRecord(where, std::string("not JSON: ") + e.what());
        } catch (const std::exception& e) {
            return makeUnexpected(ErrorCategory::Io, "registry_sql_failed",
                                  where + ": " + e.what());
        }
    }
    return records;
}

Expected<int64_t> setCertificateStatus(Store& store, const std::string& certNo,
                                       const std::string& status, const std::string& reason,
                                       int64_t version, int64_t nowUnix) {
    try {
        Importer::addStatus(store, certNo, status, isoTime(nowUnix), reason, version);
        return 1;
    } catch (const std::exception& e) {
        return makeUnexpected(ErrorCategory::Usage, "bad_status_change", e.what());
    }
}

Expected<int64_t> flagCode(Store& store, const std::string& code, const std::string& reason,
                           int64_t version, int64_t nowUnix) {
    try {
        Importer::upsertFlag(store, code, reason, isoTime(nowUnix), version);
        return 1;
    } catch (const std::exception& e) {
        return makeUnexpected(ErrorCategory::Usage, "bad_flag", e.what());
    }
}

Expected<int64_t> unflagCode(Store& store, const std::string& code, int64_t version) {
    try {
        Importer importer(store, version);
        importer.apply(json{{"op", "delete"}, {"type", "flag"}, {"code", code}});
        return 1;
    } catch (const std::exception& e) {
        return makeUnexpected(ErrorCategory::Usage, "bad_flag", e.what());
    }
}

}  // namespace mengscan::registry
