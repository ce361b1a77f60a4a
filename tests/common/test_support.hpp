// Shared test helpers: temporary folders, running the real binary, paths to data.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mengscan::test {

std::filesystem::path sharedRoot();   // ../shared beside the source tree
std::filesystem::path sourceRoot();   // the repository
std::filesystem::path binDir();       // build/bin

// A fresh folder under /tmp, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandOutput {
    int exitCode = -1;
    std::string out;
    std::string err;
};

// Runs argv (argv[0] is looked up in binDir() when it has no slash) with stdin from
// `input`, and captures stdout, stderr and the exit status.
CommandOutput runCommand(const std::vector<std::string>& argv, const std::string& input = "");

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& content);

}  // namespace mengscan::test
