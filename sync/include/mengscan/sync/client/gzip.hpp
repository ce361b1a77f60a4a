// gzip (RFC 1952) via zlib: the registry compresses snapshots and deltas with it, the
// sync client reads them back line by line without holding the whole file in memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mengscan/expected.hpp"

namespace mengscan::sync::client {

Expected<std::string> gzipCompress(std::string_view data, int level = 9);
// Whole-buffer decompression; refuses output larger than maxBytes (zip bombs).
Expected<std::string> gzipDecompress(std::string_view data, size_t maxBytes);

// Reads a .gz file one text line at a time.
class GzipLineReader {
public:
    static Expected<GzipLineReader> open(const std::string& path);
    GzipLineReader(GzipLineReader&&) noexcept;
    GzipLineReader& operator=(GzipLineReader&&) noexcept;
    ~GzipLineReader();

    // Next line without its '\n'. Returns false at the end; error() tells a clean end
    // from a corrupt or truncated stream.
    bool next(std::string& line);
    const Error& error() const { return error_; }

private:
    struct File;
    GzipLineReader(std::unique_ptr<File> file, std::string path);
    std::unique_ptr<File> file_;
    std::string path_;
    Error error_;
};

}  // namespace mengscan::sync::client
