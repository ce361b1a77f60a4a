// The device identity file: created once, stable, never silently replaced.
#include "mengscan/platform/device_identity.hpp"

#include <doctest/doctest.h>

#include "common/test_support.hpp"

using namespace mengscan;
using namespace mengscan::platform;
using namespace mengscan::test;

TEST_CASE("the device id is created once and then read back unchanged") {
    TempDir dir;
    const auto data = (dir / "data" / "nested").string();
    auto first = deviceIdentity(data);
    REQUIRE_MESSAGE(first, (first ? "" : first.error().describe()));
    CHECK(first->rfind("msd-", 0) == 0);
    CHECK(first->size() == 36);
    CHECK(isValidDeviceId(*first));
    CHECK(readFile(dir / "data" / "nested" / "device-id") == *first + "\n");
    auto second = deviceIdentity(data);
    REQUIRE(second);
    CHECK(*second == *first);

    TempDir other;
    auto third = deviceIdentity(other.path().string());
    REQUIRE(third);
    CHECK(*third != *first);  // random per device
}

TEST_CASE("a deployer-provided id is used as is; a malformed one is an error") {
    TempDir dir;
    writeFile(dir / "device-id", "stall-12.hohhot\n");
    auto id = deviceIdentity(dir.path().string());
    REQUIRE(id);
    CHECK(*id == "stall-12.hohhot");

    writeFile(dir / "device-id", "bad id with spaces\n");
    auto bad = deviceIdentity(dir.path().string());
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == "device_id_malformed");
    CHECK(readFile(dir / "device-id") == "bad id with spaces\n");  // not replaced
    CHECK_FALSE(isValidDeviceId("short"));
    CHECK_FALSE(isValidDeviceId(std::string(65, 'a')));
}
