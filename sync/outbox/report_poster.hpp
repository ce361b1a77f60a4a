// One HTTPS POST of a JSON body with a bearer token (libcurl), with the same TLS rules as
// the sync client's HttpFetcher (client::TransferOptions): peer and host verification
// always on, optional CA file and public-key pin, plain http:// only when allowed. One
// attempt per call; the uploader decides about retries.
#pragma once

#include <memory>
#include <string>

#include "mengscan/expected.hpp"
#include "mengscan/sync/client/http_fetcher.hpp"

namespace mengscan::sync::report_poster {

struct PostResult {
    long status = 0;  // HTTP status; 0 when no answer arrived
    std::string body;
    bool retryable = false;  // a failure worth another attempt (transport, 5xx, 429, 408)
    Error error;             // set unless status is 2xx
};

class Poster {
public:
    explicit Poster(client::TransferOptions options);
    ~Poster();
    Poster(const Poster&) = delete;
    Poster& operator=(const Poster&) = delete;

    PostResult postJson(const std::string& url, const std::string& body,
                        const std::string& bearerToken);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    client::TransferOptions options_;
};

}  // namespace mengscan::sync::report_poster
