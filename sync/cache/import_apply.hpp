// Applies parsed import records to the cache inside the caller's transaction. Both file
// encodings (JSON Lines and CSV) feed this one applier, so validation is identical.
// Errors carry no file/line prefix; the reader adds it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mengscan/expected.hpp"
#include "mengscan/sync/cache.hpp"
#include "sqlite_db.hpp"

namespace mengscan::sync::cache_import {

struct Header {
    std::string kind;  // "snapshot" or "delta"
    std::optional<int64_t> version, baseVersion;
    std::string created, source;
    std::map<std::string, int64_t> counts;  // expected totals after applying
};

struct CertificateRecord {
    Certificate cert;    // gtins as given (normalised by the applier)
    std::string status;  // text, validated by the applier
    bool itemList = false;
};

class Applier {
public:
    Applier(sqlite::Database& db, ImportCounts& counts) : db_(db), counts_(counts) {}

    // Only as the first record.
    Status header(const Header& header);
    Status body(const CertificationBody& body);
    Status key(const std::string& keyId, const std::string& bodyCode, const std::string& publicKey,
               const std::string& validFrom, const std::string& validTo);
    Status certificate(const CertificateRecord& record);
    Status status(const std::string& certNo, const std::string& status, const std::string& at,
                  const std::string& reason);
    // Item codes of one certificate: resolve once, then add each code.
    Expected<int64_t> certificateId(std::string_view certNo);
    // Validated now, written in key order later (see flushItemCodes).
    Status itemCode(int64_t certId, std::string_view code);
    Status flag(const FlaggedCode& flag);

    Status deleteRecord(std::string_view type, std::string_view key);

    // After the last record: count check and metadata. Still inside the transaction.
    Status finish(const std::string& nowIso);

    bool sawRecord() const { return sawRecord_; }

private:
    Status stepDone(sqlite::Statement* stmt, const char* what);
    Status markItemList(int64_t certId);
    // Writes the buffered item codes sorted by key: B-tree inserts in key order are several
    // times faster than random ones and fill pages fully. Called before anything that could
    // observe item codes (deletes, the count check) and when the buffer is full.
    Status flushItemCodes();
    Expected<bool> findBody(std::string_view code);

    sqlite::Database& db_;
    ImportCounts& counts_;
    std::optional<Header> header_;
    bool sawRecord_ = false;
    int64_t lastListCert_ = -1;  // certificate last marked as having an item list
    std::vector<std::pair<int64_t, int64_t>> pendingCodes_;  // (code key, certificate id)
};

}  // namespace mengscan::sync::cache_import
