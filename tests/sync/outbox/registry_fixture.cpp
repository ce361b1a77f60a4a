#include "registry_fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mengscan::test {
namespace {

std::string registryBinary() {
    return (binDir() / "mengscan-registry").string();
}

void mustRun(const std::vector<std::string>& argv, CommandOutput* out = nullptr) {
    auto r = runCommand(argv);
    if (r.exitCode != 0) {
        throw std::runtime_error(argv.at(0) + " failed (" + std::to_string(r.exitCode) +
                                 "): " + r.err);
    }
    if (out) *out = r;
}

}  // namespace

RegistryProcess::RegistryProcess(const std::string& deviceId, bool tls) : tls_(tls) {
    mustRun({registryBinary(), "--db", dbPath(), "init"});
    CommandOutput out;
    mustRun({registryBinary(), "--db", dbPath(), "device", "add", deviceId}, &out);
    token_ = out.out.substr(0, out.out.find_first_of("\r\n"));
    if (tls_) {
        // A self-signed certificate for 127.0.0.1; the client is given it as its CA.
        mustRun({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                 "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", (dir_ / "key.pem").string(),
                 "-out", caFile()});
    }
}

RegistryProcess::~RegistryProcess() {
    stop();
}

void RegistryProcess::start(int port) {
    if (pid_ > 0) return;
    const auto portFile = dir_ / "port";
    std::filesystem::remove(portFile);
    std::vector<std::string> argv = {registryBinary(), "--db",
                                     dbPath(),         "serve",
                                     "--listen",       "127.0.0.1:" + std::to_string(port),
                                     "--port-file",    portFile.string(),
                                     "--quiet"};
    if (tls_) {
        argv.insert(argv.end(), {"--cert", caFile(), "--key-file", (dir_ / "key.pem").string()});
    } else {
        argv.push_back("--plain-http");
    }
    const auto log = (dir_ / "serve.log").string();
    pid_ = fork();
    if (pid_ == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(fd, 1);
        dup2(fd, 2);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (std::filesystem::exists(portFile)) {
            port_ = std::stoi(readFile(portFile));
            return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("registry exited at start: " + readFile(log));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("registry did not start: " + readFile(log));
}

void RegistryProcess::stop() {
    if (pid_ <= 0) return;
    // SIGTERM, then SIGKILL: a SIGTERM that lands before the server's accept loop starts
    // is lost by the registry (its stop() is a no-op then), so do not wait forever.
    kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
}

std::string RegistryProcess::url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> RegistryProcess::storedEvents() const {
    CommandOutput out;
    mustRun({registryBinary(), "--db", dbPath(), "reports", "list", "--json", "--limit", "1000000"},
            &out);
    std::vector<std::string> events;
    std::istringstream lines(out.out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        events.push_back(nlohmann::json::parse(line).at("event").dump());
    }
    return events;
}

std::vector<std::string> RegistryProcess::storedEventIds() const {
    std::vector<std::string> ids;
    for (const auto& e : storedEvents()) {
        ids.push_back(nlohmann::json::parse(e).at("event_id").get<std::string>());
    }
    return ids;
}

}  // namespace mengscan::test
