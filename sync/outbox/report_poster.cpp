#include "report_poster.hpp"

#include "../client/curl_session.hpp"

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
    client::curl_session::globalInitOnce();
    impl_->curl = curl_easy_init();  // reused: keeps the TLS connection between batches
}

Poster::~Poster() = default;

PostResult Poster::postJson(const std::string& url, const std::string& body,
                            const std::string& bearerToken) {
    PostResult result;
    if (auto ok = client::curl_session::checkScheme(url, options_); !ok) {
        result.error = ok.error();
        return result;
    }
    CURL* curl = impl_->curl;
    if (!curl) {
        result.error = Error(ErrorCategory::Internal, "curl_init_failed", "curl_easy_init failed");
        return result;
    }
    client::curl_session::prepare(curl, options_, url, impl_->errorBuffer, "mengscan-reports/1");
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
        result.error = client::curl_session::transferError(rc, url, impl_->errorBuffer);
        result.retryable = client::curl_session::retryable(rc);
        result.status = 0;
        return result;
    }
    if (result.status < 200 || result.status > 299) {
        std::string detail = result.body.substr(0, 200);
        result.error = Error(ErrorCategory::Network, "http_" + std::to_string(result.status),
                             url + ": server answered HTTP " + std::to_string(result.status) +
                                 (detail.empty() ? "" : ": " + detail));
        result.retryable = client::curl_session::retryableStatus(result.status);
    }
    return result;
}

}  // namespace mengscan::sync::report_poster
