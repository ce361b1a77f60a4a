#include "curl_session.hpp"

#include <mutex>

namespace mengscan::sync::client::curl_session {
namespace {

std::string errorCodeName(CURLcode rc) {
    switch (rc) {
        case CURLE_COULDNT_CONNECT: return "server_unreachable";
        case CURLE_OPERATION_TIMEDOUT: return "timeout";
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING: return "connection_cut";
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE: return "tls_verification_failed";
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return "tls_pin_mismatch";
        case CURLE_SSL_CONNECT_ERROR: return "tls_handshake_failed";
        case CURLE_UNSUPPORTED_PROTOCOL: return "protocol_refused";
        default: return "transfer_failed";
    }
}

}  // namespace

void globalInitOnce() {
    static std::once_flag flag;
    std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Status checkScheme(const std::string& url, const TransferOptions& options) {
    if (url.rfind("https://", 0) == 0) return {};
    if (url.rfind("http://", 0) == 0) {
        if (options.allowPlainHttp) return {};
        return makeUnexpected(
            ErrorCategory::Usage, "plain_http_refused",
            url + ": plain HTTP refused (use https, or allow plain HTTP explicitly)");
    }
    return makeUnexpected(ErrorCategory::Usage, "bad_url", url + ": not an http(s) URL");
}

void prepare(CURL* curl, const TransferOptions& o, const std::string& url, char* errorBuffer,
             const char* userAgent) {
    curl_easy_reset(curl);
    errorBuffer[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, o.allowPlainHttp ? "http,https" : "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    // TLS verification is never turned off.
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!o.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o.caFile.c_str());
    if (!o.pinnedPublicKey.empty()) {
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, o.pinnedPublicKey.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, o.connectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, o.requestTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, o.stallSeconds);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, userAgent);
}

bool retryable(CURLcode rc) {
    switch (rc) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_BAD_CONTENT_ENCODING:
            return true;
        default:
            return false;
    }
}

bool retryableStatus(long status) { return status >= 500 || status == 429 || status == 408; }

Error transferError(CURLcode rc, const std::string& url, const char* errorBuffer) {
    const std::string detail = errorBuffer[0] ? errorBuffer : curl_easy_strerror(rc);
    return Error(ErrorCategory::Network, errorCodeName(rc), url + ": " + detail);
}

}  // namespace mengscan::sync::client::curl_session
