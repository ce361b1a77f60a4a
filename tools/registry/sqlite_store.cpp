#include "sqlite_store.hpp"

namespace mengscan::registry {

Stmt& Stmt::operator=(Stmt&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = other.stmt_;
        other.stmt_ = nullptr;
    }
    return *this;
}

Stmt& Stmt::bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Stmt& Stmt::bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Stmt& Stmt::bindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
}

Stmt& Stmt::bindOptional(int index, std::string_view text) {
    if (text.empty()) {
        sqlite3_bind_null(stmt_, index);
        return *this;
    }
    return bind(index, text);
}

bool Stmt::step() {
    rc_ = sqlite3_step(stmt_);
    return rc_ == SQLITE_ROW;
}

void Stmt::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    rc_ = SQLITE_OK;
}

std::string Stmt::text(int col) const {
    const auto* p = sqlite3_column_blob(stmt_, col);
    if (!p) return {};
    return std::string(static_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

Expected<std::unique_ptr<Store>> Store::open(const std::string& path, bool create) {
    sqlite3* db = nullptr;
    const int flags =
        SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return makeUnexpected(ErrorCategory::Io, "registry_open_failed",
                              "cannot open registry " + path + ": " + message);
    }
    sqlite3_busy_timeout(db, 10000);
    std::unique_ptr<Store> store(new Store(db, path));
    if (auto ok = store->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                              "PRAGMA foreign_keys=ON;");
        !ok) {
        return Unexpected(ok.error());
    }
    return store;
}

Store::~Store() {
    sqlite3_close_v2(db_);
}

Status Store::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        Error e(ErrorCategory::Io, "registry_sql_failed",
                path_ + ": " + (message ? message : "SQLite error"));
        sqlite3_free(message);
        return Unexpected(e);
    }
    return {};
}

Expected<Stmt> Store::prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
        return Unexpected(error("prepare"));
    }
    return Stmt(stmt);
}

Expected<int64_t> Store::queryInt(const std::string& sql) {
    auto stmt = prepare(sql);
    if (!stmt) return Unexpected(stmt.error());
    const int64_t value = stmt->step() ? stmt->integer(0) : 0;
    if (!stmt->ok()) return Unexpected(error("query"));
    return value;
}

Error Store::error(const std::string& what) const {
    return Error(ErrorCategory::Io, "registry_sql_failed",
                 path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

WriteTransaction::~WriteTransaction() {
    if (open_) store_.exec("ROLLBACK");
}

Status WriteTransaction::begin() {
    auto ok = store_.exec("BEGIN IMMEDIATE");
    open_ = ok.hasValue();
    return ok;
}

Status WriteTransaction::commit() {
    auto ok = store_.exec("COMMIT");
    if (ok) open_ = false;
    return ok;
}

}  // namespace mengscan::registry
