// SIGKILL at random points of a sync, 50 times: afterwards the cache is always exactly the
// old or the new version, passes SQLite's integrity check, and a later sync completes.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "sync_fixture.hpp"

using namespace mengscan;
using namespace mengscan::test;
namespace client = mengscan::sync::client;
namespace fs = std::filesystem;

namespace {

// Runs one sync in a child process; kills it after `delay` unless it finished.
// Returns true when the child finished by itself.
bool syncKilledAfter(const client::SyncOptions& options, std::chrono::microseconds delay) {
    const pid_t pid = fork();
    if (pid == 0) {
        auto result = client::runSync(options);
        _exit(result ? 0 : 3);
    }
    std::this_thread::sleep_for(delay);
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return true;
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return WIFEXITED(status);
}

double timedSync(const client::SyncOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    auto result = client::runSync(options);
    REQUIRE_MESSAGE(result, (result ? "" : result.error().describe()));
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("sync killed with SIGKILL at random points, 50 times: old or new, never half") {
    RegistryUnderTest registry;
    registry.importText(datasetJsonl(200, 150));  // 30,000 item codes: apply takes a while
    registry.start();
    TempDir work;
    const auto pristine = (work / "v1.sqlite").string();
    REQUIRE(client::runSync(syncOptions(registry, pristine)));
    const CacheFacts oldFacts = readCache(pristine);
    REQUIRE(oldFacts.version == "1");

    // Version 2 changes statuses, adds codes and flags, and re-issues the whole code set
    // (a large delta), so the apply transaction is long enough to be hit.
    registry.importText(datasetJsonl(200, 150, 1000000) + changesJsonl(50, 2000, 50, 1));
    const auto reference = (work / "reference.sqlite").string();
    fs::copy_file(pristine, reference);
    const double deltaSeconds = timedSync(syncOptions(registry, reference));
    const CacheFacts newFacts = readCache(reference);
    REQUIRE(newFacts.version == "2");
    REQUIRE_FALSE(newFacts == oldFacts);
    const auto fresh = (work / "fresh.sqlite").string();
    const double snapshotSeconds = timedSync(syncOptions(registry, fresh));
    REQUIRE(readCache(fresh) == newFacts);
    MESSAGE("delta sync " << deltaSeconds << " s, snapshot sync " << snapshotSeconds << " s");

    std::mt19937 rng(20261201);
    int finished = 0, killed = 0;
    for (int i = 0; i < 50; ++i) {
        // Even rounds: a cache at version 1 takes the delta; odd rounds: an empty one takes
        // the snapshot. The staging folder is kept, so later rounds spend their time applying.
        const bool fromOld = i % 2 == 0;
        const auto cache = (work / "device.sqlite").string();
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(cache + suffix);
        if (fromOld) fs::copy_file(pristine, cache);
        auto options = syncOptions(registry, cache);
        options.stagingDir = (work / (fromOld ? "staging-delta" : "staging-snapshot")).string();
        const double span = 1.3 * (fromOld ? deltaSeconds : snapshotSeconds);
        const auto delay = std::chrono::microseconds(
            std::uniform_int_distribution<long>(0, static_cast<long>(span * 1e6))(rng));
        if (syncKilledAfter(options, delay)) {
            ++finished;
        } else {
            ++killed;
        }
        const CacheFacts after = readCache(cache);
        const CacheFacts before = fromOld ? oldFacts : CacheFacts{"", 0, 0, 0, 0, true};
        const bool oldOrNew = after == before || after == newFacts;
        CHECK_MESSAGE(oldOrNew, "round " << i << ": " << describe(after));
        if (i % 10 == 9) {  // and the device recovers: the next sync completes
            auto result = client::runSync(options);
            REQUIRE_MESSAGE(result, (result ? "" : result.error().describe()));
            CHECK(readCache(cache) == newFacts);
        }
    }
    MESSAGE(killed << " syncs killed, " << finished << " finished before the kill");
    CHECK(killed >= 20);
}
