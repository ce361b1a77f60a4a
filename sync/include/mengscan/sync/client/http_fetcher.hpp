// HTTP(S) transfers for the sync client (libcurl). TLS peer and host verification are
// always on; an optional public-key pin narrows trust further. Transient failures
// (connection refused, timeouts, cut connections, 5xx, 429) are retried with exponential
// backoff and full jitter; downloads resume from what is already on disk with Range.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "mengscan/expected.hpp"

namespace mengscan::sync::client {

struct TransferOptions {
    long connectTimeoutMs = 5000;
    long requestTimeoutMs = 300000;  // one attempt, whole transfer
    long stallSeconds = 20;          // abort an attempt that moves < 1 byte/s this long
    int maxAttempts = 4;             // 1 = no retries
    long backoffBaseMs = 500;        // delay before retry n: random(0, min(cap, base*2^n))
    long backoffCapMs = 15000;
    std::string caFile;                // extra CA bundle, e.g. a private registry CA
    std::string pinnedPublicKey;       // CURLOPT_PINNEDPUBLICKEY: "sha256//<base64>;..." or a file
    bool allowPlainHttp = false;       // http:// only when asked for (data stays signed + hashed)
    uint64_t maxBodyBytes = 8u << 20;  // cap for in-memory responses (the manifest)
};

struct HttpResponse {
    long status = 0;
    std::string body;
    std::string etag;
};

// Called before each retry with the attempt number, the delay and the reason.
using RetryObserver = std::function<void(int attempt, long delayMs, const Error& why)>;

class HttpFetcher {
public:
    explicit HttpFetcher(TransferOptions options);
    ~HttpFetcher();
    HttpFetcher(const HttpFetcher&) = delete;
    HttpFetcher& operator=(const HttpFetcher&) = delete;

    void setRetryObserver(RetryObserver observer) { observer_ = std::move(observer); }

    // GET into memory. 200 and 304 (with If-None-Match) are results; anything else that
    // survives the retries is an Error (Network category).
    Expected<HttpResponse> get(const std::string& url, const std::string& ifNoneMatch = {});

    // GET into `path`, appending from its current size with a Range request, until it
    // holds `expectedSize` bytes. Write failures (disk full) are Io errors, not retried.
    Status download(const std::string& url, const std::string& path, uint64_t expectedSize);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    TransferOptions options_;
    RetryObserver observer_;
};

}  // namespace mengscan::sync::client
