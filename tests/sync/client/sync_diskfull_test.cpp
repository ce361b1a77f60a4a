// Disk full during a sync: a size-limited tmpfs when we may mount one (root), else the same
// sync in a child process whose file-size limit (RLIMIT_FSIZE) makes writes fail.
// Either way: a clear error, the old cache intact, and the sync completes once there is room.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "sync_fixture.hpp"

using namespace mengscan;
using namespace mengscan::test;
namespace client = mengscan::sync::client;
namespace fs = std::filesystem;

namespace {

bool mountTmpfs(const fs::path& where, const std::string& size) {
    const std::string options = "size=" + size + ",mode=0700";
    return ::mount("tmpfs", where.c_str(), "tmpfs", 0, options.c_str()) == 0;
}

bool remountTmpfs(const fs::path& where, const std::string& size) {
    const std::string options = "size=" + size;
    return ::mount("tmpfs", where.c_str(), "tmpfs", MS_REMOUNT, options.c_str()) == 0;
}

// The sync in a child limited to `maxFileBytes` per file; returns its exit status and
// the error code it wrote to `errorFile`.
std::string syncWithFileSizeLimit(const client::SyncOptions& options, rlim_t maxFileBytes,
                                  const fs::path& errorFile) {
    const pid_t pid = fork();
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);  // writes beyond the limit fail with EFBIG instead
        rlimit limit{maxFileBytes, maxFileBytes};
        setrlimit(RLIMIT_FSIZE, &limit);
        auto result = client::runSync(options);
        writeFile(errorFile, result ? "ok" : result.error().code);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return readFile(errorFile);
}

}  // namespace

TEST_CASE("disk full during sync: clear error, old cache intact, recovers with room") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(20, 10));
    registry.start();
    TempDir work;
    const fs::path disk = work / "disk";
    fs::create_directories(disk);
    const bool mounted = mountTmpfs(disk, "1m");
    MESSAGE(std::string(mounted ? "using a 1 MiB tmpfs" : "no mount permission: RLIMIT_FSIZE"));
    const auto cache = (disk / "cache.sqlite").string();
    REQUIRE(client::runSync(syncOptions(registry, cache)));
    const CacheFacts good = readCache(cache);
    REQUIRE(good.version == "1");

    // Version 2 brings 60,000 item codes: more than 1 MiB once in SQLite.
    registry.importText(datasetJsonl(20, 3000, 5000000));
    std::string code;
    if (mounted) {
        auto result = client::runSync(syncOptions(registry, cache));
        REQUIRE_FALSE(result);
        code = result.error().code;
        MESSAGE("error: " << result.error().describe());
    } else {
        code = syncWithFileSizeLimit(syncOptions(registry, cache), 512 * 1024, work / "error");
    }
    CHECK_MESSAGE((code == "write_failed" || code == "disk_full"), code);
    CHECK(readCache(cache) == good);
    auto status = client::readSyncStatus(cache, 0);
    if (status && !status->lastError.empty()) {  // recorded when there was room to record it
        CHECK((status->lastError.find("write_failed") != std::string::npos ||
               status->lastError.find("disk_full") != std::string::npos));
    }

    if (mounted) {
        REQUIRE(remountTmpfs(disk, "64m"));
        auto result = client::runSync(syncOptions(registry, cache));
        REQUIRE_MESSAGE(result, (result ? "" : result.error().describe()));
        CHECK(readCache(cache).version == "2");
        ::umount2(disk.c_str(), MNT_DETACH);
    } else {
        auto result = client::runSync(syncOptions(registry, cache));
        REQUIRE_MESSAGE(result, (result ? "" : result.error().describe()));
        CHECK(readCache(cache).version == "2");
    }
}

TEST_CASE("disk too full for the download itself") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(20, 10));
    registry.start();
    TempDir work;
    const fs::path disk = work / "disk";
    fs::create_directories(disk);
    const bool mounted = mountTmpfs(disk, "320k");
    if (!mounted) {
        MESSAGE("no mount permission: covered by the RLIMIT_FSIZE case above");
        return;
    }
    const auto cache = (disk / "cache.sqlite").string();
    REQUIRE(client::runSync(syncOptions(registry, cache)));
    const CacheFacts good = readCache(cache);
    // Random codes compress badly: the snapshot download alone exceeds the free space.
    registry.importText(datasetJsonl(20, 4000, 7000000));
    auto result = client::runSync(syncOptions(registry, cache));
    REQUIRE_FALSE(result);
    CHECK_MESSAGE(result.error().code == "disk_full", result.error().describe());
    CHECK(readCache(cache) == good);
    ::umount2(disk.c_str(), MNT_DETACH);
}
