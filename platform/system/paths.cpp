#include "mengscan/platform/paths.hpp"

#include <cstdlib>
#include <filesystem>

namespace mengscan::platform {

std::string dataDirectory() {
    if (const char* dir = std::getenv("MENGSCAN_DATA_DIR"); dir && *dir) return dir;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/mengscan";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.local/share/mengscan";
    return "/var/lib/mengscan";
}

bool ensureDirectory(const std::string& path, std::string* errorMessage) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec && !std::filesystem::is_directory(path)) {
        if (errorMessage) *errorMessage = "cannot create folder " + path + ": " + ec.message();
        return false;
    }
    return true;
}

}  // namespace mengscan::platform
