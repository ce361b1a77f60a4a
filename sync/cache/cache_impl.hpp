// Private state of CertificateCache (shared by cache.cpp and cache_lookup.cpp).
#pragma once

#include <memory>

#include "mengscan/sync/cache.hpp"
#include "sqlite_db.hpp"

namespace mengscan::sync {

class CertificateCache::Impl {
public:
    std::unique_ptr<sqlite::Database> db;
    bool readOnly = true;
};

}  // namespace mengscan::sync
