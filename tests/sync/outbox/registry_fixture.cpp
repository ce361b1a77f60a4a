#include "registry_fixture.hpp"

#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

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
    const ServerStart started = startServer(argv, dir_ / "serve.log", portFile);
    pid_ = started.pid;
    port_ = started.port;
}

void RegistryProcess::stop() {
    stopServer(pid_);
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
