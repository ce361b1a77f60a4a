// The real registry (build/bin/mengscan-registry) on loopback for the sync client tests:
// a fresh registry database, data imported through its CLI, `serve` started as a child
// process with optional faults (--fault) and the admin stats endpoint, and helpers that
// read a device cache back to check exactly which version it holds.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/test_support.hpp"
#include "mengscan/sync/client/sync_client.hpp"

namespace mengscan::test {

class RegistryUnderTest {
public:
    explicit RegistryUnderTest(bool tls = false);
    ~RegistryUnderTest();
    RegistryUnderTest(const RegistryUnderTest&) = delete;
    RegistryUnderTest& operator=(const RegistryUnderTest&) = delete;

    // Runs `mengscan-registry --db DB ARGS...`; throws with stderr on failure.
    CommandOutput cli(const std::vector<std::string>& args) const;
    void importText(const std::string& jsonl) const;  // publishes a new version

    void start(const std::vector<std::string>& extraArgs = {});
    void stop();
    void restart(const std::vector<std::string>& extraArgs = {}) {
        stop();
        start(extraArgs);
    }

    std::string url() const;
    int port() const { return port_; }
    std::string dbPath() const { return (dir_ / "registry.sqlite").string(); }
    std::string trustAnchor() const { return dbPath() + ".trust-anchor.pem"; }
    std::string caFile() const { return (dir_ / "tls-cert.pem").string(); }
    std::string tlsKey() const { return (dir_ / "tls-key.pem").string(); }
    nlohmann::json stats() const;  // GET /v1/admin/stats

private:
    TempDir dir_;
    bool tls_;
    pid_t pid_ = -1;
    int port_ = 0;
};

// Deterministic registry data: one body with a key, `certificates` certificates and
// `codesPerCertificate` issued item codes each (codes start at `firstCode`).
std::string datasetJsonl(int certificates, int codesPerCertificate, int64_t firstCode = 0);
// Changes on top: `statusChanges` certificates suspended, `newCodes` codes added to the
// first certificate, `flags` codes flagged.
std::string changesJsonl(int statusChanges, int newCodes, int flags, int round);
std::string certNo(int index);
std::string itemCode(int64_t index);

// Sync options for plain HTTP on loopback with quick retries.
sync::client::SyncOptions syncOptions(const RegistryUnderTest& registry, const std::string& cache);

// What a cache holds, read back through the cache library (and integrity-checked).
struct CacheFacts {
    std::string version;
    int64_t certificates = 0, itemCodes = 0, flags = 0, statusChanges = 0;
    bool integrityOk = false;
    bool operator==(const CacheFacts& o) const {
        return version == o.version && certificates == o.certificates && itemCodes == o.itemCodes &&
               flags == o.flags && statusChanges == o.statusChanges && integrityOk == o.integrityOk;
    }
};
CacheFacts readCache(const std::string& cachePath);
std::string describe(const CacheFacts& facts);

}  // namespace mengscan::test
