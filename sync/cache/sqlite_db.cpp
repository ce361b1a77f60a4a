#include "sqlite_db.hpp"

namespace mengscan::sync::sqlite {

Expected<std::unique_ptr<Database>> Database::open(const std::string& path, int flags,
                                                   const std::string& vfs, int busyTimeoutMs) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX,
                                   vfs.empty() ? nullptr : vfs.c_str());
    if (rc != SQLITE_OK) {
        std::string message =
            "cannot open cache " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return makeUnexpected(ErrorCategory::Cache, "open_failed", message);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busyTimeoutMs);
    return std::unique_ptr<Database>(new Database(db, path));
}

Database::~Database() {
    statements_.clear();  // finalize before close
    sqlite3_close(db_);
}

Status Database::exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return Unexpected(Error(ErrorCategory::Cache,
                                isWriteFailure(rc) ? "write_failed" : "sqlite_error",
                                path_ + ": " + text));
    }
    return {};
}

Expected<Statement*> Database::prepare(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) {
        it->second->reset();
        return it->second.get();
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
        return Unexpected(lastError("prepare"));
    }
    auto owned = std::make_unique<Statement>(stmt);
    Statement* raw = owned.get();
    statements_.emplace(sql, std::move(owned));
    return raw;
}

Error Database::lastError(const std::string& what, const char* code) const {
    const int rc = sqlite3_extended_errcode(db_);
    return Error(ErrorCategory::Cache, isWriteFailure(rc) ? "write_failed" : code,
                 path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

Expected<int64_t> Database::queryInt(const std::string& sql) {
    auto stmt = prepare(sql);
    if (!stmt) return Unexpected(stmt.error());
    const int rc = (*stmt)->step();
    if (rc == SQLITE_ROW) {
        const int64_t value = (*stmt)->columnInt(0);
        (*stmt)->reset();
        return value;
    }
    if (rc == SQLITE_DONE) return int64_t{0};
    Error error = lastError("query");
    (*stmt)->reset();
    return Unexpected(error);
}

Transaction::~Transaction() {
    if (open_) {
        // Rollback cannot be reported from a destructor; SQLite also rolls back on close.
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

Status Transaction::begin() {
    auto status = db_.exec("BEGIN IMMEDIATE");
    if (status) open_ = true;
    return status;
}

Status Transaction::commit() {
    auto status = db_.exec("COMMIT");
    if (status) {
        open_ = false;
    } else if (sqlite3_get_autocommit(db_.handle())) {
        open_ = false;  // SQLite already rolled back
    }
    return status;
}

bool isWriteFailure(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN;
}

}  // namespace mengscan::sync::sqlite
