// Sends the outbox's pending events upstream in batches (docs/reports.md, "Upload"):
// POST <server>/v1/reports with the device's bearer token. Delivery is at least once:
// events are removed from the outbox only after the server acknowledged them, and the
// server stores each event id once, so a batch re-sent after a crash or a lost answer
// is harmless. Transient failures (unreachable, timeouts, cut connections, 5xx, 429) are
// retried with exponential backoff and full jitter; TLS verification is always on.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "mengscan/expected.hpp"
#include "mengscan/sync/client/http_fetcher.hpp"
#include "mengscan/sync/outbox.hpp"

namespace mengscan::sync {

struct UploaderOptions {
    std::string serverUrl;  // "https://127.0.0.1:8443" (a path prefix is kept)
    std::string token;      // per-device bearer token; never logged
    // TLS (CA file, pin), timeouts, plain-HTTP permission, attempts and backoff.
    client::TransferOptions transfer;
    size_t batchEvents = 100;
    size_t batchBytes = 2u << 20;
    int64_t maxBatches = -1;  // stop after this many batches (-1: until the outbox is empty)
};

struct UploadSummary {
    int64_t batches = 0;
    int64_t stored = 0;      // new on the server
    int64_t duplicates = 0;  // the server had them already (an earlier, unacknowledged send)
    int64_t rejected = 0;    // refused as malformed; kept locally, not retried
    int64_t retries = 0;
};

// Called before each retry with the attempt number, the delay and the reason.
using UploadRetryObserver = std::function<void(int attempt, long delayMs, const Error& why)>;

class Uploader {
public:
    Uploader(Outbox& outbox, UploaderOptions options);
    void setRetryObserver(UploadRetryObserver observer) { observer_ = std::move(observer); }

    // Uploads until the outbox has no pending events (or maxBatches). On a failure that
    // outlived the retries, the error is also stored as the outbox's last error and the
    // events stay pending for the next run.
    Expected<UploadSummary> uploadAll();

private:
    Outbox& outbox_;
    UploaderOptions options_;
    UploadRetryObserver observer_;
};

}  // namespace mengscan::sync
