// `mengscan reports --status / --upload` through the real binary and the real registry.
#include <doctest/doctest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/test_support.hpp"
#include "mengscan/sync/outbox.hpp"
#include "outbox_fixture.hpp"
#include "registry_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;

TEST_CASE("mengscan reports shows the outbox and uploads it") {
    TempDir data;
    setenv("MENGSCAN_DATA_DIR", data.path().c_str(), 1);  // device id file goes here
    const std::string cache = (data / "cache.sqlite").string();
    RegistryProcess registry("msd-cli-test-0001", true);
    registry.start();
    {
        OutboxOptions o;
        o.deviceId = "msd-cli-test-0001";
        auto outbox = Outbox::open(scanLogPathFor(cache), o);
        REQUIRE(outbox);
        for (int i = 0; i < 4; ++i) {
            REQUIRE((*outbox)->recordEvent(
                makeEvent(i ? "suspect" : "invalid", "c" + std::to_string(i), 10 + i)));
        }
    }
    auto status = runCommand({"mengscan", "reports", "--status", "--json", "--cache", cache});
    REQUIRE_MESSAGE(status.exitCode == 0, status.err);
    auto j = nlohmann::json::parse(status.out);
    CHECK(j["pending"] == 4);
    CHECK(j["pending_invalid"] == 1);
    CHECK(j["sent"] == 0);

    auto refused =
        runCommand({"mengscan", "reports", "--upload", "--server", registry.url(), "--token",
                    "wrong", "--ca-file", registry.caFile(), "--cache", cache});
    CHECK(refused.exitCode == 1);
    CHECK(refused.err.find("401") != std::string::npos);

    auto upload =
        runCommand({"mengscan", "reports", "--upload", "--server", registry.url(), "--token",
                    registry.token(), "--ca-file", registry.caFile(), "--cache", cache, "--json"});
    REQUIRE_MESSAGE(upload.exitCode == 0, upload.err);
    CHECK(nlohmann::json::parse(upload.out)["stored"] == 4);
    CHECK(registry.storedEventIds().size() == 4);

    auto text = runCommand({"mengscan", "reports", "--cache", cache});
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.find("pending 0") != std::string::npos);
    CHECK(text.out.find("sent 4") != std::string::npos);
    CHECK(text.out.find("last error none") != std::string::npos);
    CHECK(text.out.find(registry.token()) == std::string::npos);

    auto usage = runCommand({"mengscan", "reports", "--upload", "--cache", cache});
    CHECK(usage.exitCode == 2);
    unsetenv("MENGSCAN_DATA_DIR");
}
