// libcurl setup shared by the sync client's downloads and the report uploader's POSTs:
// one place decides TLS (always verified), timeouts, schemes, retry policy and error names.
// Internal to sync/ (mengscan_syncclient and mengscan_outbox).
#pragma once

#include <curl/curl.h>

#include <string>

#include "mengscan/expected.hpp"
#include "mengscan/sync/client/http_fetcher.hpp"

namespace mengscan::sync::client::curl_session {

void globalInitOnce();

// https always; http only when the options allow it explicitly.
Status checkScheme(const std::string& url, const TransferOptions& options);

// Resets the handle and sets URL, error buffer (CURL_ERROR_SIZE), protocols, TLS
// verification, CA file, pin, timeouts, stall detection and user agent.
void prepare(CURL* curl, const TransferOptions& options, const std::string& url,
             char* errorBuffer, const char* userAgent);

bool retryable(CURLcode rc);
bool retryableStatus(long status);
Error transferError(CURLcode rc, const std::string& url, const char* errorBuffer);

}  // namespace mengscan::sync::client::curl_session
