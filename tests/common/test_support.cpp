#include "common/test_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace mengscan::test {

fs::path sharedRoot() { return fs::path(MENGSCAN_SHARED_ROOT); }
fs::path sourceRoot() { return fs::path(MENGSCAN_SOURCE_ROOT); }
fs::path binDir() { return fs::path(MENGSCAN_BIN_DIR); }

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

}  // namespace mengscan::test
