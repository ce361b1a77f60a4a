#include "mengscan/sync/client/gzip.hpp"

#include <zlib.h>

#include <cstring>

namespace mengscan::sync::client {
namespace {
constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header
constexpr size_t kChunk = 1 << 16;
}  // namespace

Expected<std::string> gzipCompress(std::string_view data, int level) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, kGzipWindowBits, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        return makeUnexpected(ErrorCategory::Internal, "zlib_failed", "deflateInit2 failed");
    }
    std::string out;
    out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        return makeUnexpected(ErrorCategory::Internal, "zlib_failed", "deflate did not finish");
    }
    return out;
}

Expected<std::string> gzipDecompress(std::string_view data, size_t maxBytes) {
    z_stream zs{};
    if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) {
        return makeUnexpected(ErrorCategory::Internal, "zlib_failed", "inflateInit2 failed");
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[kChunk];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(buffer);
        zs.avail_out = sizeof buffer;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        out.append(buffer, sizeof buffer - zs.avail_out);
        if (out.size() > maxBytes) {
            inflateEnd(&zs);
            return makeUnexpected(
                ErrorCategory::Io, "too_large",
                "gzip data expands beyond " + std::to_string(maxBytes) + " bytes");
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) break;  // input ran out
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        return makeUnexpected(ErrorCategory::Io, "gzip_corrupt",
                              "gzip data is corrupt or truncated");
    }
    return out;
}

struct GzipLineReader::File {
    gzFile handle = nullptr;
    ~File() {
        if (handle) gzclose(handle);
    }
};

GzipLineReader::GzipLineReader(std::unique_ptr<File> file, std::string path)
    : file_(std::move(file)), path_(std::move(path)) {}
GzipLineReader::GzipLineReader(GzipLineReader&&) noexcept = default;
GzipLineReader& GzipLineReader::operator=(GzipLineReader&&) noexcept = default;
GzipLineReader::~GzipLineReader() = default;

Expected<GzipLineReader> GzipLineReader::open(const std::string& path) {
    auto file = std::make_unique<File>();
    file->handle = gzopen(path.c_str(), "rb");
    if (!file->handle) {
        return makeUnexpected(ErrorCategory::Io, "file_not_found", "cannot open " + path);
    }
    gzbuffer(file->handle, 1 << 17);
    return GzipLineReader(std::move(file), path);
}

bool GzipLineReader::next(std::string& line) {
    line.clear();
    if (!file_ || error_) return false;
    char buffer[8192];
    while (true) {
        char* got = gzgets(file_->handle, buffer, sizeof buffer);
        if (!got) {
            int errnum = Z_OK;
            const char* message = gzerror(file_->handle, &errnum);
            if (errnum != Z_OK) {
                error_ = Error(ErrorCategory::Io, "gzip_corrupt",
                               path_ + ": " + (message ? message : "gzip read error"));
                return false;
            }
            return !line.empty();  // last line without a trailing newline
        }
        const size_t n = std::strlen(got);
        if (n > 0 && got[n - 1] == '\n') {
            line.append(got, n - 1);
            return true;
        }
        line.append(got, n);
    }
}

}  // namespace mengscan::sync::client
