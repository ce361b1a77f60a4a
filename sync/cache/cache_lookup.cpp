// CertificateCache lookups: one cached prepared statement each, microseconds per call.
#include "cache_impl.hpp"
#include "cache_values.hpp"

namespace mengscan::sync {
namespace {

constexpr const char* kCertColumns =
    "c.id,c.cert_no,c.body_code,c.holder,c.product,coalesce(c.category,''),c.issued,c.expires,"
    "c.status,coalesce(c.status_at,''),coalesce(c.status_reason,''),c.item_list";

Certificate readCertificate(const sqlite::Statement& s) {
    Certificate c;
    c.certNo = s.columnText(1);
    c.bodyCode = s.columnText(2);
    c.holder = s.columnText(3);
    c.product = s.columnText(4);
    c.category = s.columnText(5);
    c.issued = s.columnText(6);
    c.expires = s.columnText(7);
    c.status = certificateStatusFromString(s.columnText(8)).value_or(CertificateStatus::Revoked);
    c.statusAt = s.columnText(9);
    c.statusReason = s.columnText(10);
    c.hasItemList = s.columnInt(11) != 0;
    return c;
}

// Steps a statement that returns at most one row; `read` turns the row into T.
template <class T, class Read>
Expected<std::optional<T>> queryOne(sqlite::Database& db, sqlite::Statement* s, Read read) {
    const int rc = s->step();
    if (rc == SQLITE_ROW) {
        T value = read(*s);
        s->reset();
        return std::optional<T>(std::move(value));
    }
    s->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("lookup"));
    return std::optional<T>();
}

Status fillGtins(sqlite::Database& db, int64_t certId, Certificate& c) {
    auto stmt = db.prepare("SELECT gtin FROM certificate_gtins WHERE cert_id=? ORDER BY gtin");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, certId);
    int rc;
    while ((rc = (*stmt)->step()) == SQLITE_ROW) c.gtins.push_back((*stmt)->columnText(0));
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("GTIN lookup"));
    return {};
}

}  // namespace

Expected<std::optional<Certificate>> CertificateCache::findCertificate(std::string_view certNo) {
    auto& db = *impl_->db;
    auto stmt = db.prepare(std::string("SELECT ") + kCertColumns +
                           " FROM certificates c WHERE c.cert_no=?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, certNo);
    int64_t id = 0;
    auto found = queryOne<Certificate>(db, *stmt, [&id](const sqlite::Statement& s) {
        id = s.columnInt(0);
        return readCertificate(s);
    });
    if (!found || !*found) return found;
    if (auto s = fillGtins(db, id, **found); !s) return Unexpected(s.error());
    return found;
}

Expected<std::vector<StatusChange>> CertificateCache::statusHistory(std::string_view certNo) {
    auto& db = *impl_->db;
    auto stmt = db.prepare(
        "SELECT h.at,h.status,coalesce(h.reason,'') FROM status_history h "
        "JOIN certificates c ON c.id=h.cert_id WHERE c.cert_no=? ORDER BY h.at");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, certNo);
    std::vector<StatusChange> history;
    int rc;
    while ((rc = (*stmt)->step()) == SQLITE_ROW) {
        StatusChange change;
        change.at = (*stmt)->columnText(0);
        change.status = certificateStatusFromString((*stmt)->columnText(1))
                            .value_or(CertificateStatus::Revoked);
        change.reason = (*stmt)->columnText(2);
        history.push_back(std::move(change));
    }
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("status history"));
    return history;
}

Expected<std::optional<ItemCodeRecord>> CertificateCache::findItemCode(std::string_view code) {
    const auto key = itemCodeKey(code);
    if (!key) return std::optional<ItemCodeRecord>();  // not a storable code: not issued
    auto& db = *impl_->db;
    auto stmt = db.prepare(
        "SELECT c.cert_no FROM item_codes i JOIN certificates c ON c.id=i.cert_id "
        "WHERE i.code=?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, *key);
    return queryOne<ItemCodeRecord>(db, *stmt, [code](const sqlite::Statement& s) {
        return ItemCodeRecord{std::string(code), s.columnText(0)};
    });
}

Expected<std::vector<Certificate>> CertificateCache::certificatesForGtin(std::string_view gtin) {
    std::vector<Certificate> result;
    const auto normal = cache_values::gtin14(gtin);
    if (!normal) return result;
    auto& db = *impl_->db;
    auto stmt = db.prepare(std::string("SELECT ") + kCertColumns +
                           " FROM certificate_gtins g JOIN certificates c ON c.id=g.cert_id "
                           "WHERE g.gtin=? ORDER BY c.cert_no");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, *normal);
    std::vector<int64_t> ids;
    int rc;
    while ((rc = (*stmt)->step()) == SQLITE_ROW) {
        ids.push_back((*stmt)->columnInt(0));
        result.push_back(readCertificate(**stmt));
    }
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("GTIN lookup"));
    for (size_t i = 0; i < result.size(); ++i) {
        if (auto s = fillGtins(db, ids[i], result[i]); !s) return Unexpected(s.error());
    }
    return result;
}

Expected<std::optional<FlaggedCode>> CertificateCache::findFlag(std::string_view code) {
    auto& db = *impl_->db;
    auto stmt =
        db.prepare("SELECT code,reason,coalesce(flagged_at,'') FROM flagged_codes WHERE code=?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, code);
    return queryOne<FlaggedCode>(db, *stmt, [](const sqlite::Statement& s) {
        return FlaggedCode{s.columnText(0), s.columnText(1), s.columnText(2)};
    });
}

Expected<std::optional<CertificationBody>> CertificateCache::findBody(std::string_view code) {
    auto& db = *impl_->db;
    auto stmt = db.prepare("SELECT code,name FROM bodies WHERE code=?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, code);
    return queryOne<CertificationBody>(db, *stmt, [](const sqlite::Statement& s) {
        return CertificationBody{s.columnText(0), s.columnText(1)};
    });
}

namespace {
constexpr const char* kKeyColumns =
    "key_id,body_code,public_key,coalesce(valid_from,''),coalesce(valid_to,'')";
BodyKey readKey(const sqlite::Statement& s) {
    return BodyKey{s.columnText(0), s.columnText(1), s.columnBlob(2), s.columnText(3),
                   s.columnText(4)};
}
}  // namespace

Expected<std::optional<BodyKey>> CertificateCache::findKey(std::string_view keyId) {
    auto& db = *impl_->db;
    auto stmt = db.prepare(std::string("SELECT ") + kKeyColumns + " FROM body_keys WHERE key_id=?");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, keyId);
    return queryOne<BodyKey>(db, *stmt, readKey);
}

Expected<std::vector<BodyKey>> CertificateCache::keysOfBody(std::string_view bodyCode) {
    auto& db = *impl_->db;
    auto stmt = db.prepare(std::string("SELECT ") + kKeyColumns +
                           " FROM body_keys WHERE body_code=? ORDER BY key_id");
    if (!stmt) return Unexpected(stmt.error());
    (*stmt)->bind(1, bodyCode);
    std::vector<BodyKey> keys;
    int rc;
    while ((rc = (*stmt)->step()) == SQLITE_ROW) keys.push_back(readKey(**stmt));
    (*stmt)->reset();
    if (rc != SQLITE_DONE) return Unexpected(db.lastError("key lookup"));
    return keys;
}

}  // namespace mengscan::sync
