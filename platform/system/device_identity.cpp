#include "mengscan/platform/device_identity.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "mengscan/platform/paths.hpp"

namespace mengscan::platform {
namespace {

Error ioError(const std::string& code, const std::string& message) {
    return Error(ErrorCategory::Io, code, message);
}

Expected<std::string> randomId() {
    unsigned char bytes[16];
    size_t have = 0;
    while (have < sizeof bytes) {
        const ssize_t n = getrandom(bytes + have, sizeof bytes - have, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Unexpected(
                ioError("random_failed", std::string("getrandom: ") + std::strerror(errno)));
        }
        have += static_cast<size_t>(n);
    }
    static const char* hex = "0123456789abcdef";
    std::string id = "msd-";
    for (unsigned char b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

// Reads the id file; nullopt-like empty string when it does not exist.
Expected<std::string> readIdFile(const std::string& path, bool* exists) {
    std::ifstream in(path);
    *exists = static_cast<bool>(in);
    if (!in) return std::string();
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!isValidDeviceId(line)) {
        return Unexpected(
            ioError("device_id_malformed", path + ": not a device id (8-64 of A-Z a-z 0-9 . _ -); "
                                                  "fix or remove the file"));
    }
    return line;
}

// Writes `id` to a temporary file and links it to `path` (fails if `path` appeared).
Status createIdFile(const std::string& path, const std::string& id) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return Unexpected(ioError("device_id_write_failed",
                                  "cannot create " + tmp + ": " + std::strerror(errno)));
    }
    const std::string line = id + "\n";
    const bool written =
        ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
        ::fsync(fd) == 0;
    const int writeErrno = errno;
    ::close(fd);
    if (!written) {
        ::unlink(tmp.c_str());
        return Unexpected(ioError("device_id_write_failed",
                                  "cannot write " + tmp + ": " + std::strerror(writeErrno)));
    }
    // link() refuses to replace an existing file: whoever links first wins.
    const int rc = ::link(tmp.c_str(), path.c_str());
    const int linkErrno = errno;
    ::unlink(tmp.c_str());
    if (rc != 0 && linkErrno != EEXIST) {
        return Unexpected(ioError("device_id_write_failed",
                                  "cannot create " + path + ": " + std::strerror(linkErrno)));
    }
    return {};
}

}  // namespace

bool isValidDeviceId(const std::string& id) {
    if (id.size() < 8 || id.size() > 64) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

Expected<std::string> deviceIdentity(const std::string& dataDir) {
    const std::string path = dataDir + "/" + kDeviceIdFileName;
    bool exists = false;
    auto current = readIdFile(path, &exists);
    if (!current || exists) return current;

    std::string message;
    if (!ensureDirectory(dataDir, &message)) {
        return Unexpected(ioError("device_id_write_failed", message));
    }
    auto fresh = randomId();
    if (!fresh) return fresh;
    if (auto ok = createIdFile(path, *fresh); !ok) return Unexpected(ok.error());
    // Read back: another process may have created the file first.
    current = readIdFile(path, &exists);
    if (current && !exists) {
        return Unexpected(ioError("device_id_write_failed", path + ": vanished after creation"));
    }
    return current;
}

}  // namespace mengscan::platform
