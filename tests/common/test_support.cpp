#include "common/test_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;

namespace mengscan::test {

fs::path sharedRoot() {
    return fs::path(MENGSCAN_SHARED_ROOT);
}
fs::path sourceRoot() {
    return fs::path(MENGSCAN_SOURCE_ROOT);
}
fs::path binDir() {
    return fs::path(MENGSCAN_BIN_DIR);
}

TempDir::TempDir() {
    std::string templ = (fs::temp_directory_path() / "mengscan-test-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFile(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

CommandOutput runCommand(const std::vector<std::string>& argv, const std::string& input) {
    TempDir io;
    const fs::path inPath = io / "stdin", outPath = io / "stdout", errPath = io / "stderr";
    writeFile(inPath, input);
    std::string program = argv.at(0);
    if (program.find('/') == std::string::npos) program = (binDir() / program).string();

    const pid_t pid = fork();
    if (pid == 0) {
        const int in = open(inPath.c_str(), O_RDONLY);
        const int out = open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        std::vector<char*> args;
        args.push_back(program.data());
        std::vector<std::string> copy(argv.begin() + 1, argv.end());
        for (auto& a : copy) args.push_back(a.data());
        args.push_back(nullptr);
        execv(program.c_str(), args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CommandOutput result;
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = readFile(outPath);
    result.err = readFile(errPath);
    return result;
}

ServerStart startServer(const std::vector<std::string>& argv, const fs::path& log,
                        const fs::path& portFile) {
    fs::remove(portFile);
    ServerStart started;
    started.pid = fork();
    if (started.pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(fd, 1);
        dup2(fd, 2);
        std::vector<std::string> copy = argv;
        std::vector<char*> args;
        for (auto& a : copy) args.push_back(a.data());
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(portFile)) {
            started.port = std::stoi(readFile(portFile));
            return started;
        }
        int status = 0;
        if (waitpid(started.pid, &status, WNOHANG) == started.pid)
            throw std::runtime_error(argv[0] + " exited at start: " + readFile(log));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stopServer(started.pid);
    throw std::runtime_error(argv[0] + " did not start: " + readFile(log));
}

void stopServer(int pid) {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace mengscan::test
