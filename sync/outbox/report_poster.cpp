#include "report_poster.hpp"

#include <curl/curl.h>

#include <mutex>

namespace mengscan::sync::report_poster {
namespace {

constexpr size_t kMaxAnswerBytes = 4u << 20;

size_t collect(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    const size_t n = size * count;
    if (body->size() + n > kMaxAnswerBytes) return 0;
    body->append(data, n);
    return n;
}

bool retryableCurl(CURLcode rc) {
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
            return true;
        default:
            return false;
    }
}

std::string curlCodeName(CURLcode rc) {
    switch (rc) {
        case CURLE_COULDNT_CONNECT:
            return "server_unreachable";
        case CURLE_OPERATION_TIMEDOUT:
            return "timeout";
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
            return "connection_cut";
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
            return "tls_verification_failed";
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return "tls_pin_mismatch";
        case CURLE_SSL_CONNECT_ERROR:
            return "tls_handshake_failed";
        case CURLE_UNSUPPORTED_PROTOCOL:
            return "protocol_refused";
        default:
            return "transfer_failed";
    }
}

}  // namespace

struct Poster::Impl {
    CURL* curl = nullptr;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    ~Impl() {
        if (curl) curl_easy_cleanup(curl);
    }
};

Poster::Poster(client::TransferOptions options)
    : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    impl_->curl = curl_easy_init();  // reused: keeps the TLS connection between batches
}

Poster::~Poster() = default;

PostResult Poster::postJson(const std::string& url, const std::string& body,
                            const std::string& bearerToken) {
    PostResult result;
    const bool https = url.rfind("https://", 0) == 0;
    const bool http = url.rfind("http://", 0) == 0;
    if (!https && !(http && options_.allowPlainHttp)) {
        result.error = Error(ErrorCategory::Usage, http ? "plain_http_refused" : "bad_url",
                             url + (http ? ": plain HTTP refused (use https, or allow plain "
                                           "HTTP explicitly)"
                                         : ": not an http(s) URL"));
        return result;
    }
    CURL* curl = impl_->curl;
    if (!curl) {
        result.error = Error(ErrorCategory::Internal, "curl_init_failed", "curl_easy_init failed");
        return result;
    }
    curl_easy_reset(curl);
    impl_->errorBuffer[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, impl_->errorBuffer);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, options_.allowPlainHttp ? "http,https" : "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    // TLS verification is never turned off.
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.caFile.c_str());
    if (!options_.pinnedPublicKey.empty()) {
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, options_.pinnedPublicKey.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options_.connectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options_.requestTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options_.stallSeconds);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "mengscan-reports/1");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
    struct curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    const std::string auth = "Authorization: Bearer " + bearerToken;
    if (!bearerToken.empty()) headers = curl_slist_append(headers, auth.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
    if (rc != CURLE_OK) {
        const std::string detail =
            impl_->errorBuffer[0] ? impl_->errorBuffer : curl_easy_strerror(rc);
        result.error = Error(ErrorCategory::Network, curlCodeName(rc), url + ": " + detail);
        result.retryable = retryableCurl(rc);
        result.status = 0;
        return result;
    }
    if (result.status < 200 || result.status > 299) {
        std::string detail = result.body.substr(0, 200);
        result.error = Error(ErrorCategory::Network, "http_" + std::to_string(result.status),
                             url + ": server answered HTTP " + std::to_string(result.status) +
                                 (detail.empty() ? "" : ": " + detail));
        result.retryable = result.status >= 500 || result.status == 429 || result.status == 408;
    }
    return result;
}

}  // namespace mengscan::sync::report_poster
