// A small RAII layer over SQLite for the registry: one connection, prepared statements,
// failures as mengscan Errors. (The device cache has its own, internal to sync/cache.)
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mengscan/expected.hpp"

namespace mengscan::registry {

class Stmt {
public:
    Stmt() = default;
    explicit Stmt(sqlite3_stmt* stmt) : stmt_(stmt) {}
    Stmt(Stmt&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
    Stmt& operator=(Stmt&& other) noexcept;
    ~Stmt() { sqlite3_finalize(stmt_); }

    Stmt& bind(int index, int64_t value);
    Stmt& bind(int index, std::string_view text);
    Stmt& bindBlob(int index, std::string_view bytes);
    Stmt& bindOptional(int index, std::string_view text);  // NULL when empty
    bool step();  // true while rows come; check ok() after the last false
    bool ok() const { return rc_ == SQLITE_ROW || rc_ == SQLITE_DONE || rc_ == SQLITE_OK; }
    int rc() const { return rc_; }
    void reset();

    int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
    std::string text(int col) const;
    bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

class Store {
public:
    static Expected<std::unique_ptr<Store>> open(const std::string& path, bool create);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    Status exec(const std::string& sql);
    Expected<Stmt> prepare(const std::string& sql);
    Expected<int64_t> queryInt(const std::string& sql);
    Error error(const std::string& what) const;  // "<what>: <sqlite message>"
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

private:
    Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    sqlite3* db_;
    std::string path_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when destroyed before commit().
class WriteTransaction {
public:
    explicit WriteTransaction(Store& store) : store_(store) {}
    ~WriteTransaction();
    Status begin();
    Status commit();

private:
    Store& store_;
    bool open_ = false;
};

}  // namespace mengscan::registry
