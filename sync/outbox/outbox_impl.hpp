// Outbox internals shared by its source files.
#pragma once

#include <functional>
#include <memory>

#include "mengscan/sync/outbox.hpp"
#include "sqlite_db.hpp"

namespace mengscan::sync {

class Outbox::Impl {
public:
    OutboxOptions options;
    std::unique_ptr<sqlite::Database> db;
    std::function<Status()> betweenInserts;

    // Inside an open transaction: the event row, then the bounds.
    Expected<std::string> insertEvent(const ReportEvent& event);
    Status insertScan(const ScanRecord& scan);
};

namespace outbox_bounds {
// Inside an open transaction: drops images (lowest priority, then oldest first) until
// the stored bytes are within maxBytes and at most maxEvents events keep an image.
// Returns how many images were dropped (also added to the dropped_images counter).
Expected<int64_t> enforce(sqlite::Database& db, const OutboxOptions& options);
}  // namespace outbox_bounds

}  // namespace mengscan::sync
