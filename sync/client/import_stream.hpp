// Feeds verified snapshot/delta files to the cache import as ONE stream: a header the sync
// client writes (version, base, counts from the signed manifest), then the records of each
// file with that file's own header checked and dropped. A chain of deltas thus lands in
// one SQLite transaction. Memory stays small: files are inflated block by block.
#pragma once

#include <zlib.h>

#include <streambuf>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::sync::client {

// What a file's own header must say for it to be used.
struct ExpectedHeader {
    std::string path;
    std::string kind;  // "snapshot" or "delta"
    int64_t version = 0;
    int64_t baseVersion = -1;  // deltas only
};

class ImportStreambuf : public std::streambuf {
public:
    ImportStreambuf() = default;
    ~ImportStreambuf() override;
    ImportStreambuf(const ImportStreambuf&) = delete;
    ImportStreambuf& operator=(const ImportStreambuf&) = delete;

    // Opens every file and checks its header; the stream then yields `header` + records.
    Status open(std::string header, const std::vector<ExpectedHeader>& files);
    // Set when a file turned out corrupt while streaming (the import then fails: the
    // istream goes bad, which the cache import checks before it commits).
    const Error& error() const { return error_; }

protected:
    int_type underflow() override;

private:
    bool refill();
    std::string buffer_;
    std::vector<gzFile> files_;
    std::vector<std::string> names_;
    size_t current_ = 0;
    bool endedWithNewline_ = true;
    Error error_;
};

}  // namespace mengscan::sync::client
