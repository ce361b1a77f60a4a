// The registry's HTTP(S) server (cpp-httplib): signed manifest, snapshot and delta files
// with ETag and Range, report upload with per-device bearer tokens, and (only when
// enabled, only from loopback) an admin switch for fault injection and transfer stats.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "faults.hpp"
#include "mengscan/expected.hpp"

namespace mengscan::registry {

struct ServerOptions {
    std::string dbPath, keyPath;
    std::string host = "127.0.0.1";
    int port = 0;                   // 0 = any free port (printed on start)
    std::string certFile, keyFile;  // TLS; required unless plainHttp
    bool plainHttp = false;
    bool adminEndpoints = false;
    bool quiet = false;
    std::vector<FaultRule> faults;
};

class RegistryServer {
public:
    static Expected<std::unique_ptr<RegistryServer>> create(const ServerOptions& options);
    ~RegistryServer();
    int port() const;
    // Blocks until stop() (from another thread or a signal handler thread).
    Status run();
    void stop();

    struct Impl;

private:
    explicit RegistryServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace mengscan::registry
