// The real reference registry (build/bin/mengscan-registry) on loopback for the uploader
// tests: a fresh database, one registered device with its token, TLS with a throwaway
// self-signed certificate (the client trusts exactly that certificate) or plain HTTP.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/test_support.hpp"

namespace mengscan::test {

class RegistryProcess {
public:
    // Creates the database and the device; does not start serving yet.
    RegistryProcess(const std::string& deviceId, bool tls);
    ~RegistryProcess();
    RegistryProcess(const RegistryProcess&) = delete;
    RegistryProcess& operator=(const RegistryProcess&) = delete;

    // Starts `serve` (on `port`, 0 = any free one) and waits until it listens.
    void start(int port = 0);
    void stop();  // SIGTERM and wait
    bool running() const { return pid_ > 0; }

    std::string url() const;  // "https://127.0.0.1:PORT"
    int port() const { return port_; }
    const std::string& token() const { return token_; }
    std::string caFile() const { return (dir_ / "cert.pem").string(); }
    std::string dbPath() const { return (dir_ / "registry.sqlite").string(); }

    // `reports list --json`: the event id of every stored report, in table order.
    std::vector<std::string> storedEventIds() const;
    // The stored event JSON texts.
    std::vector<std::string> storedEvents() const;

private:
    TempDir dir_;
    bool tls_;
    std::string token_;
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace mengscan::test
