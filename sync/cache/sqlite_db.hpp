// Thin RAII layer over the SQLite C API for the cache: a connection, prepared statements
// that are cached per SQL text, and SQLite failures turned into mengscan Errors.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::sync::sqlite {

// A prepared statement, reset (and its bindings cleared) each time it is handed out.
class Statement {
public:
    explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    void bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
    void bind(int index, std::string_view text) {
        // A null data pointer would bind NULL; an empty view is the empty string.
        sqlite3_bind_text(stmt_, index, text.data() ? text.data() : "",
                          static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
    void bindBlob(int index, const std::vector<uint8_t>& blob) {
        sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()),
                          SQLITE_TRANSIENT);
    }
    void bindNull(int index) { sqlite3_bind_null(stmt_, index); }
    // Binds NULL for an empty string (optional fields).
    void bindOptional(int index, std::string_view text) {
        if (text.empty()) {
            bindNull(index);
        } else {
            bind(index, text);
        }
    }

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(stmt_); }

    int64_t columnInt(int col) const { return sqlite3_column_int64(stmt_, col); }
    std::string columnText(int col) const {
        const auto* p = sqlite3_column_text(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }
    std::vector<uint8_t> columnBlob(int col) const {
        const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
        return p ? std::vector<uint8_t>(p, p + sqlite3_column_bytes(stmt_, col))
                 : std::vector<uint8_t>();
    }

private:
    sqlite3_stmt* stmt_;
};

class Database {
public:
    // flags: SQLITE_OPEN_READONLY or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE.
    static Expected<std::unique_ptr<Database>> open(const std::string& path, int flags,
                                                    const std::string& vfs, int busyTimeoutMs);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

    // Runs one or more statements without results.
    Status exec(const std::string& sql);
    // A cached prepared statement for `sql`, already reset; nullptr with *error on failure.
    Expected<Statement*> prepare(const std::string& sql);
    // Error for the last failure of this connection: "<what>: <sqlite message>".
    Error lastError(const std::string& what, const char* code = "sqlite_error") const;
    // Single integer result of a query (0 when no row).
    Expected<int64_t> queryInt(const std::string& sql);
    // Drops all cached statements (before schema changes or closing).
    void clearStatements() { statements_.clear(); }

private:
    Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    sqlite3* db_;
    std::string path_;
    std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// Rolls back an open transaction unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db) : db_(db) {}
    ~Transaction();
    Status begin();  // BEGIN IMMEDIATE: take the write lock now, fail early when busy
    Status commit();

private:
    Database& db_;
    bool open_ = false;
};

// True when `rc` means the disk (or the database size limit) is full or a write failed.
bool isWriteFailure(int rc);

}  // namespace mengscan::sync::sqlite
