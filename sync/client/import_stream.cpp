#include "import_stream.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace mengscan::sync::client {
namespace {

constexpr unsigned kBlock = 1 << 16;

Unexpected badFile(const std::string& path, const std::string& why) {
    return makeUnexpected(ErrorCategory::Crypto, "file_header_mismatch", path + ": " + why);
}

// Reads the first line of a gzip file (the header); the file stays positioned after it.
Expected<std::string> firstLine(gzFile file, const std::string& path) {
    std::string line;
    char chunk[4096];
    while (gzgets(file, chunk, sizeof chunk)) {
        line += chunk;
        if (!line.empty() && line.back() == '\n') {
            line.pop_back();
            return line;
        }
        if (line.size() > 65536) break;
    }
    return badFile(path, "no header line");
}

}  // namespace

ImportStreambuf::~ImportStreambuf() {
    for (gzFile f : files_) gzclose(f);
}

Status ImportStreambuf::open(std::string header, const std::vector<ExpectedHeader>& files) {
    for (const auto& expected : files) {
        gzFile f = gzopen(expected.path.c_str(), "rb");
        if (!f) {
            return makeUnexpected(ErrorCategory::Io, "file_not_found",
                                  "cannot open " + expected.path);
        }
        gzbuffer(f, kBlock);
        files_.push_back(f);
        names_.push_back(expected.path);
        auto line = firstLine(f, expected.path);
        if (!line) return Unexpected(line.error());
        try {
            const auto h = nlohmann::json::parse(*line);
            if (h.at("type") != "header" || h.at("kind") != expected.kind ||
                h.at("version").get<int64_t>() != expected.version) {
                return badFile(expected.path, "header is not " + expected.kind + " version " +
                                                  std::to_string(expected.version));
            }
            if (expected.kind == "delta" &&
                h.at("base_version").get<int64_t>() != expected.baseVersion) {
                return badFile(expected.path, "delta does not start at version " +
                                                  std::to_string(expected.baseVersion));
            }
        } catch (const std::exception& e) {
            return badFile(expected.path, std::string("bad header: ") + e.what());
        }
    }
    buffer_ = std::move(header);
    if (buffer_.empty() || buffer_.back() != '\n') buffer_ += '\n';
    setg(buffer_.data(), buffer_.data(), buffer_.data() + buffer_.size());
    return {};
}

bool ImportStreambuf::refill() {
    while (current_ < files_.size()) {
        buffer_.resize(kBlock + 1);
        const int n = gzread(files_[current_], buffer_.data(), kBlock);
        int code = Z_OK;
        const char* message = gzerror(files_[current_], &code);
        if (n < 0 || (n == 0 && code != Z_OK)) {
            error_ = Error(ErrorCategory::Io, "gzip_corrupt",
                           names_[current_] + ": " + (message ? message : "gzip error"));
            // The istream turns this into badbit; the cache import then rolls back.
            throw std::runtime_error(error_.message);
        }
        if (n > 0) {
            buffer_.resize(static_cast<size_t>(n));
            endedWithNewline_ = buffer_.back() == '\n';
            setg(buffer_.data(), buffer_.data(), buffer_.data() + buffer_.size());
            return true;
        }
        // End of this file: keep records of the next file on their own line.
        ++current_;
        if (!endedWithNewline_) {
            endedWithNewline_ = true;
            buffer_ = "\n";
            setg(buffer_.data(), buffer_.data(), buffer_.data() + 1);
            return true;
        }
    }
    return false;
}

ImportStreambuf::int_type ImportStreambuf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (!refill()) return traits_type::eof();
    return traits_type::to_int_type(*gptr());
}

}  // namespace mengscan::sync::client
