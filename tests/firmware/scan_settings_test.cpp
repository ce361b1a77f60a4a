// `mengscan scan`'s settings: command-line flag > environment > config file > default.
#include "scan_settings.hpp"

#include <doctest/doctest.h>

using namespace mengscan;
using namespace mengscan::firmware;

namespace {

const std::string kDefaultTemplate = "/data/mark/meng-mark.png";

// A config file that sets all three keys (lines 2-4).
platform::DeviceConfig fullConfig() {
    auto config = platform::parseDeviceConfig(
        "[vision]\nmark_template = \"cfg-mark.png\"\nmark_detection = true\nformats = \"dm\"\n",
        "/etc/mengscan/mengscan.toml");
    REQUIRE(config);
    return *config;
}

}  // namespace

TEST_CASE("nothing given: the built-in defaults") {
    const auto s = resolveScanSettings({}, {}, platform::DeviceConfig{}, kDefaultTemplate);
    CHECK(s.formats == kDefaultFormats);
    CHECK(s.formatsFrom == "default");
    CHECK(s.markDetection);
    CHECK(s.markTemplate == kDefaultTemplate);
    CHECK(s.markTemplateFrom == "default");
}

TEST_CASE("the config file beats the defaults, and says which line set the value") {
    const auto s = resolveScanSettings({}, {}, fullConfig(), kDefaultTemplate);
    CHECK(s.formats == "dm");
    CHECK(s.formatsFrom == "/etc/mengscan/mengscan.toml:4: vision.formats");
    CHECK(s.markDetection);
    CHECK(s.markTemplate == "/etc/mengscan/cfg-mark.png");
    CHECK(s.markTemplateFrom == "/etc/mengscan/mengscan.toml:2: vision.mark_template");
}

TEST_CASE("$MENGSCAN_MARK_TEMPLATE beats the config file; --mark-template beats both") {
    ScanEnvironment env;
    env.markTemplate = "/env/mark.png";
    auto s = resolveScanSettings({}, env, fullConfig(), kDefaultTemplate);
    CHECK(s.markTemplate == "/env/mark.png");
    CHECK(s.markTemplateFrom == "$MENGSCAN_MARK_TEMPLATE");

    ScanFlags flags;
    flags.markTemplate = "/flag/mark.png";
    s = resolveScanSettings(flags, env, fullConfig(), kDefaultTemplate);
    CHECK(s.markTemplate == "/flag/mark.png");
    CHECK(s.markTemplateFrom == "--mark-template");
}

TEST_CASE("--formats beats vision.formats") {
    ScanFlags flags;
    flags.formats = "QRCode";
    const auto s = resolveScanSettings(flags, {}, fullConfig(), kDefaultTemplate);
    CHECK(s.formats == "QRCode");
    CHECK(s.formatsFrom == "--formats");
}

TEST_CASE("mark_detection = false switches the mark off; --mark / --no-mark beat it") {
    auto config = platform::parseDeviceConfig("[vision]\nmark_detection = false\n", "/c.toml");
    REQUIRE(config);
    auto s = resolveScanSettings({}, {}, *config, kDefaultTemplate);
    CHECK_FALSE(s.markDetection);
    CHECK(s.markTemplate.empty());  // nothing to load
    CHECK(s.markDetectionFrom == "/c.toml:2: vision.mark_detection");

    ScanFlags on;
    on.markDetection = true;
    s = resolveScanSettings(on, {}, *config, kDefaultTemplate);
    CHECK(s.markDetection);
    CHECK(s.markTemplate == kDefaultTemplate);

    ScanFlags off;
    off.markDetection = false;
    s = resolveScanSettings(off, {}, fullConfig(), kDefaultTemplate);
    CHECK_FALSE(s.markDetection);
    CHECK(s.markDetectionFrom == "--no-mark");
}
