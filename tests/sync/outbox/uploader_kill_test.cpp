// The uploader killed with SIGKILL at random points during upload, 50 times: afterwards
// every recorded event is in the registry's table exactly once and none is lost
// (after Mender's StateDeathTest; doctest has no death tests, so a forked child uploads).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "common/test_support.hpp"
#include "mengscan/sync/outbox_uploader.hpp"
#include "outbox_fixture.hpp"
#include "registry_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;

namespace {

const char* const kDevice = "msd-kill-test-0001";

OutboxOptions outboxOptions() {
    OutboxOptions o;
    o.deviceId = kDevice;
    return o;
}

UploaderOptions uploaderFor(const RegistryProcess& registry) {
    UploaderOptions u;
    u.serverUrl = registry.url();
    u.token = registry.token();
    u.transfer.caFile = registry.caFile();
    u.transfer.backoffBaseMs = 10;
    u.transfer.backoffCapMs = 50;
    u.batchEvents = 3;  // many small batches: many points to be killed at
    return u;
}

// The child: open the outbox afresh (no SQLite connection crosses fork) and upload.
[[noreturn]] void uploadInChild(const std::string& path, const UploaderOptions& options) {
    auto outbox = Outbox::open(path, outboxOptions());
    if (!outbox) _exit(3);
    auto done = Uploader(**outbox, options).uploadAll();
    _exit(done ? 0 : 4);
}

int64_t pendingCount(const std::string& path) {
    return queryInt(path, "SELECT count(*) FROM outbox_events WHERE state = 0");
}

}  // namespace

TEST_CASE("uploader killed 50 times during upload: every event stored exactly once") {
    RegistryProcess registry(kDevice, /*tls=*/true);
    registry.start();
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    const auto options = uploaderFor(registry);
    std::mt19937 rng(20261201);
    std::vector<std::string> recorded;
    int64_t fullRunUs = 0;
    int killedMidUpload = 0, finishedFirst = 0, killedBetweenBatches = 0;

    for (int round = 0; round <= 50; ++round) {
        {
            // New events each round, so every child has work to be killed in.
            auto outbox = Outbox::open(path, outboxOptions());
            REQUIRE(outbox);
            for (int i = 0; i < 8; ++i) {
                const std::string code = std::to_string(round * 100 + i);
                auto id = (*outbox)->recordScan(
                    makeScan(code, 1000 + round, i % 2 ? "suspect" : "invalid"),
                    makeEvent(i % 2 ? "suspect" : "invalid", code, 1000 + round,
                              noiseJpeg(2000, static_cast<unsigned>(round * 100 + i))));
                REQUIRE(id);
                recorded.push_back(*id);
            }
        }  // closed before fork
        const int64_t before = pendingCount(path);
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) uploadInChild(path, options);
        int status = 0;
        if (round == 0) {
            // Calibration: one uninterrupted run tells how long an upload takes here.
            const auto start = std::chrono::steady_clock::now();
            REQUIRE(waitpid(child, &status, 0) == child);
            fullRunUs = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
            CHECK(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 0);
            continue;
        }
        const auto delayUs = std::uniform_int_distribution<int64_t>(0, fullRunUs)(rng);
        std::this_thread::sleep_for(std::chrono::microseconds(delayUs));
        if (waitpid(child, &status, WNOHANG) == child) {
            ++finishedFirst;
            CHECK(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 0);
            continue;
        }
        kill(child, SIGKILL);
        REQUIRE(waitpid(child, &status, 0) == child);
        if (WIFSIGNALED(status)) ++killedMidUpload;
        const int64_t after = pendingCount(path);
        if (after < before && after > 0) ++killedBetweenBatches;
    }
    MESSAGE("killed mid-upload " << killedMidUpload << " times (" << killedBetweenBatches
                                 << " after some batches were acknowledged), finished first "
                                 << finishedFirst << " times; a full run takes " << fullRunUs
                                 << " us");
    CHECK(killedMidUpload >= 25);  // the kills really landed during uploads

    // Restart once more and let it finish.
    auto outbox = Outbox::open(path, outboxOptions());
    REQUIRE(outbox);
    CHECK(queryTexts(path, "PRAGMA integrity_check") == std::vector<std::string>{"ok"});
    auto last = Uploader(**outbox, options).uploadAll();
    REQUIRE_MESSAGE(last, (last ? "" : last.error().describe()));

    const auto stored = registry.storedEventIds();
    std::map<std::string, int> times;
    for (const auto& id : stored) ++times[id];
    CHECK(stored.size() == recorded.size());
    for (const auto& id : recorded) CHECK_MESSAGE(times[id] == 1, id);
    auto st = (*outbox)->stats();
    REQUIRE(st);
    CHECK(st->pending == 0);
    CHECK(st->sent == static_cast<int64_t>(recorded.size()));
    CHECK(queryInt(path, "SELECT count(*) FROM scans") == static_cast<int64_t>(recorded.size()));
}
