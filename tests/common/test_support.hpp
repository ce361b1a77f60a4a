// Shared test helpers: temporary folders, running the real binary, paths to data.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mengscan::test {

std::filesystem::path sharedRoot();  // ../shared beside the source tree
std::filesystem::path sourceRoot();  // the repository
std::filesystem::path binDir();      // build/bin

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

// A server started in the background (argv[0] a full path), stdout and stderr appended to
// `log`; returns once it has written the port it listens on to `portFile` (the file is
// removed first). Throws with the log's text if it exits or does not start within 10 s.
struct ServerStart {
    int pid = -1;
    int port = 0;
};
ServerStart startServer(const std::vector<std::string>& argv, const std::filesystem::path& log,
                        const std::filesystem::path& portFile);
// SIGTERM, and SIGKILL after 3 s: a SIGTERM that lands before a server's accept loop runs
// can be lost, and a test must not hang on it.
void stopServer(int pid);

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& content);

}  // namespace mengscan::test
