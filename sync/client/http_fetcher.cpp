#include "mengscan/sync/client/http_fetcher.hpp"

#include "curl_session.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>

namespace mengscan::sync::client {
namespace {

struct MemorySink {
    std::string* body;
    uint64_t max;
    bool overflow = false;
};

size_t writeToMemory(char* data, size_t size, size_t count, void* user) {
    auto* sink = static_cast<MemorySink*>(user);
    const size_t n = size * count;
    if (sink->body->size() + n > sink->max) {
        sink->overflow = true;
        return 0;
    }
    sink->body->append(data, n);
    return n;
}

// Appends to an open file; decides on the first byte whether the server honoured Range.
struct FileSink {
    CURL* curl;
    int fd;
    uint64_t offset;    // bytes on disk before this attempt
    uint64_t expected;  // the size the manifest announced
    uint64_t written = 0;
    bool started = false;
    bool discard = false;  // error bodies are not file content
    int writeErrno = 0;
    bool overflow = false;
};

size_t writeToFile(char* data, size_t size, size_t count, void* user) {
    auto* sink = static_cast<FileSink*>(user);
    const size_t n = size * count;
    if (!sink->started) {
        sink->started = true;
        long status = 0;
        curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
        if (status == 200 && sink->offset > 0) {
            // Range ignored: the body starts at byte 0, so start the file over.
            if (ftruncate(sink->fd, 0) != 0 || lseek(sink->fd, 0, SEEK_SET) != 0) {
                sink->writeErrno = errno;
                return 0;
            }
            sink->offset = 0;
        } else if (status != 200 && status != 206) {
            sink->discard = true;
        }
    }
    if (sink->discard) return n;
    if (sink->offset + sink->written + n > sink->expected) {
        sink->overflow = true;
        return 0;
    }
    size_t done = 0;
    while (done < n) {
        const ssize_t w = ::write(sink->fd, data + done, n - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            sink->writeErrno = errno;
            return 0;
        }
        done += static_cast<size_t>(w);
    }
    sink->written += n;
    return n;
}

size_t captureHeader(char* data, size_t size, size_t count, void* user) {
    auto* etag = static_cast<std::string*>(user);
    const size_t n = size * count;
    std::string line(data, n);
    if (line.size() > 5 && strncasecmp(line.c_str(), "etag:", 5) == 0) {
        std::string value = line.substr(5);
        const auto first = value.find_first_not_of(" \t");
        const auto last = value.find_last_not_of(" \t\r\n");
        *etag = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    }
    return n;
}

uint64_t fileSizeOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return static_cast<uint64_t>(st.st_size);
}

}  // namespace

struct HttpFetcher::Impl {
    CURL* curl = nullptr;
    std::mt19937_64 rng{std::random_device{}()};
    char errorBuffer[CURL_ERROR_SIZE] = {};
    ~Impl() {
        if (curl) curl_easy_cleanup(curl);
    }

    void prepare(const TransferOptions& o, const std::string& url) {
        curl_session::prepare(curl, o, url, errorBuffer, "mengscan-sync/1");
    }
    Error transferError(CURLcode rc, const std::string& url) const {
        return curl_session::transferError(rc, url, errorBuffer);
    }
};

HttpFetcher::HttpFetcher(TransferOptions options)
    : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
    curl_session::globalInitOnce();
    impl_->curl = curl_easy_init();
    if (options_.maxAttempts < 1) options_.maxAttempts = 1;
}

HttpFetcher::~HttpFetcher() = default;


Expected<HttpResponse> HttpFetcher::get(const std::string& url, const std::string& ifNoneMatch) {
    if (auto ok = curl_session::checkScheme(url, options_); !ok) return Unexpected(ok.error());
    Error last;
    for (int attempt = 1; attempt <= options_.maxAttempts; ++attempt) {
        if (attempt > 1) {
            const long cap = std::min(options_.backoffCapMs,
                                      options_.backoffBaseMs << std::min(attempt - 2, 20));
            const long delay = std::uniform_int_distribution<long>(0, cap)(impl_->rng);
            if (observer_) observer_(attempt, delay, last);
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        }
        HttpResponse response;
        MemorySink sink{&response.body, options_.maxBodyBytes};
        impl_->prepare(options_, url);
        curl_easy_setopt(impl_->curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate welcome
        curl_easy_setopt(impl_->curl, CURLOPT_WRITEFUNCTION, writeToMemory);
        curl_easy_setopt(impl_->curl, CURLOPT_WRITEDATA, &sink);
        curl_easy_setopt(impl_->curl, CURLOPT_HEADERFUNCTION, captureHeader);
        curl_easy_setopt(impl_->curl, CURLOPT_HEADERDATA, &response.etag);
        struct curl_slist* headers = nullptr;
        if (!ifNoneMatch.empty()) {
            headers = curl_slist_append(headers, ("If-None-Match: " + ifNoneMatch).c_str());
            curl_easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, headers);
        }
        const CURLcode rc = curl_easy_perform(impl_->curl);
        curl_slist_free_all(headers);
        curl_easy_getinfo(impl_->curl, CURLINFO_RESPONSE_CODE, &response.status);
        if (sink.overflow) {
            return makeUnexpected(
                ErrorCategory::Network, "too_large",
                url + ": response larger than " + std::to_string(options_.maxBodyBytes) + " bytes");
        }
        if (rc != CURLE_OK) {
            last = impl_->transferError(rc, url);
            if (curl_session::retryable(rc)) continue;
            return Unexpected(last);
        }
        if (response.status == 200 || response.status == 304) return response;
        last = Error(ErrorCategory::Network, "http_" + std::to_string(response.status),
                     url + ": server answered HTTP " + std::to_string(response.status));
        if (!curl_session::retryableStatus(response.status)) return Unexpected(last);
    }
    last.message += " (gave up after " + std::to_string(options_.maxAttempts) + " attempts)";
    return Unexpected(last);
}

Status HttpFetcher::download(const std::string& url, const std::string& path,
                             uint64_t expectedSize) {
    if (auto ok = curl_session::checkScheme(url, options_); !ok) return ok;
    Error last;
    for (int attempt = 1; attempt <= options_.maxAttempts; ++attempt) {
        if (attempt > 1) {
            const long cap = std::min(options_.backoffCapMs,
                                      options_.backoffBaseMs << std::min(attempt - 2, 20));
            const long delay = std::uniform_int_distribution<long>(0, cap)(impl_->rng);
            if (observer_) observer_(attempt, delay, last);
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        }
        uint64_t have = fileSizeOf(path);
        if (have > expectedSize) {
            if (::truncate(path.c_str(), 0) != 0) {
                return makeUnexpected(ErrorCategory::Io, "write_failed",
                                      path + ": " + std::strerror(errno));
            }
            have = 0;
        }
        if (have == expectedSize) return {};
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) {
            return makeUnexpected(ErrorCategory::Io, errno == ENOSPC ? "disk_full" : "write_failed",
                                  path + ": " + std::strerror(errno));
        }
        FileSink sink{impl_->curl, fd, have, expectedSize};
        impl_->prepare(options_, url);
        curl_easy_setopt(impl_->curl, CURLOPT_WRITEFUNCTION, writeToFile);
        curl_easy_setopt(impl_->curl, CURLOPT_WRITEDATA, &sink);
        if (have > 0) {
            curl_easy_setopt(impl_->curl, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(have));
        }
        const CURLcode rc = curl_easy_perform(impl_->curl);
        const int syncRc = ::fsync(fd);
        const int syncErrno = errno;
        ::close(fd);
        long status = 0;
        curl_easy_getinfo(impl_->curl, CURLINFO_RESPONSE_CODE, &status);
        if (sink.writeErrno != 0 || (syncRc != 0 && syncErrno != EINVAL)) {
            const int e = sink.writeErrno ? sink.writeErrno : syncErrno;
            return makeUnexpected(
                ErrorCategory::Io,
                e == ENOSPC || e == EFBIG || e == EDQUOT ? "disk_full" : "write_failed",
                path + ": " + std::strerror(e));
        }
        if (sink.overflow) {
            ::truncate(path.c_str(), 0);
            return makeUnexpected(ErrorCategory::Network, "size_mismatch",
                                  url + ": server sent more than the " +
                                      std::to_string(expectedSize) + " bytes announced");
        }
        if (rc != CURLE_OK) {
            last = impl_->transferError(rc, url);
            if (curl_session::retryable(rc)) continue;  // the next attempt resumes with Range
            return Unexpected(last);
        }
        if (status == 416) {
            // Our partial file does not fit the server's file: start over.
            ::truncate(path.c_str(), 0);
            last = Error(ErrorCategory::Network, "http_416", url + ": range not satisfiable");
            continue;
        }
        if (status != 200 && status != 206) {
            last = Error(ErrorCategory::Network, "http_" + std::to_string(status),
                         url + ": server answered HTTP " + std::to_string(status));
            if (curl_session::retryableStatus(status)) continue;
            return Unexpected(last);
        }
        const uint64_t now = fileSizeOf(path);
        if (now == expectedSize) return {};
        return makeUnexpected(ErrorCategory::Network, "file_truncated",
                              url + ": got " + std::to_string(now) + " of " +
                                  std::to_string(expectedSize) + " bytes announced");
    }
    last.message += " (gave up after " + std::to_string(options_.maxAttempts) + " attempts)";
    return Unexpected(last);
}

}  // namespace mengscan::sync::client
