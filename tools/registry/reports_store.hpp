// Devices (per-device bearer tokens, stored only as SHA-256) and the anomaly reports they
// upload. Storing a batch is idempotent by event id: a re-sent event is a duplicate, not
// a second row, so devices can deliver at least once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"
#include "sqlite_store.hpp"

namespace mengscan::registry {

// Adds (or re-keys) a device; returns the new token, shown once.
Expected<std::string> addDevice(Store& store, const std::string& deviceId, int64_t nowUnix);
// The device id owning this bearer token, or "" when none does.
Expected<std::string> deviceForToken(Store& store, const std::string& token);

struct EventResult {
    std::string eventId;
    std::string status;  // "stored", "duplicate", "rejected"
    std::string error;
};

// Stores a batch body {"events":[{...,"event_id":...}]} for `deviceId` in one transaction.
Expected<std::vector<EventResult>> storeReportBatch(Store& store, const std::string& deviceId,
                                                    const std::string& body, int64_t nowUnix);

struct StoredReport {
    std::string eventId, deviceId, verdict, event;
    int64_t receivedAt = 0;
};
Expected<std::vector<StoredReport>> listReports(Store& store, int64_t limit);

}  // namespace mengscan::registry
