// The device configuration file: keys, relative paths, every error kind, and where the
// file is looked for.
#include "mengscan/platform/device_config.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "common/test_support.hpp"

using namespace mengscan;
using namespace mengscan::platform;
using namespace mengscan::test;

namespace {

// Sets (or unsets, with nullptr) an environment variable for one test, then restores it.
class EnvVar {
public:
    EnvVar(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value)
            setenv(name, value, 1);
        else
            unsetenv(name);
    }
    ~EnvVar() {
        if (old_)
            setenv(name_, old_->c_str(), 1);
        else
            unsetenv(name_);
    }
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

// The message of a config that must not load.
std::string errorOf(const std::string& text, const std::string& path = "/cfg/mengscan.toml") {
    auto config = parseDeviceConfig(text, path);
    REQUIRE_FALSE(config);
    CHECK(std::string(toString(config.error().category)) == "usage");
    return config.error().code + " | " + config.error().message;
}

}  // namespace

TEST_CASE("a good file: every [vision] key, with the line it was set on") {
    auto config = parseDeviceConfig(R"(# device 12, stall B
[vision]
mark_template = "/opt/art/mark.png"
mark_detection = false   # this stall sells unmarked goods too
formats = "QRCode,DataMatrix"
)",
                                    "/cfg/mengscan.toml");
    REQUIRE_MESSAGE(config, (config ? "" : config.error().describe()));
    CHECK(config->path == "/cfg/mengscan.toml");
    REQUIRE(config->markTemplate);
    CHECK(config->markTemplate->value == "/opt/art/mark.png");  // absolute: kept
    CHECK(config->markTemplate->line == 3);
    REQUIRE(config->markDetection);
    CHECK(config->markDetection->value == false);
    CHECK(config->markDetection->line == 4);
    REQUIRE(config->formats);
    CHECK(config->formats->value == "QRCode,DataMatrix");
    CHECK(config->where(config->formats->line, "vision.formats") ==
          "/cfg/mengscan.toml:5: vision.formats");
}

TEST_CASE("an empty file or an empty [vision] table leaves everything unset") {
    for (const char* text : {"", "# nothing yet\n", "[vision]\n"}) {
        auto config = parseDeviceConfig(text, "/cfg/mengscan.toml");
        REQUIRE(config);
        CHECK_FALSE(config->markTemplate);
        CHECK_FALSE(config->markDetection);
        CHECK_FALSE(config->formats);
    }
}

TEST_CASE("a relative mark_template is resolved against the config file's folder") {
    auto resolved = [](const std::string& value, const std::string& file) {
        auto config = parseDeviceConfig("vision.mark_template = \"" + value + "\"\n", file);
        REQUIRE(config);
        REQUIRE(config->markTemplate);
        return config->markTemplate->value;
    };
    CHECK(resolved("mark.png", "/etc/mengscan/mengscan.toml") == "/etc/mengscan/mark.png");
    CHECK(resolved("art/mark.png", "/etc/mengscan/mengscan.toml") == "/etc/mengscan/art/mark.png");
    CHECK(resolved("../shared/mark.png", "/etc/mengscan/mengscan.toml") == "/etc/shared/mark.png");
    CHECK(resolved("mark.png", "conf/m.toml") == "conf/mark.png");  // still relative to cwd
    CHECK(resolved("mark.png", "m.toml") == "mark.png");
}

TEST_CASE("a TOML syntax error names the file, line and column") {
    CHECK(errorOf("[vision]\nformats = \"QRCode\nmark_detection = true\n")
              .rfind("config_syntax | /cfg/mengscan.toml:2:", 0) == 0);
    const auto unclosed = errorOf("[vision\nformats = \"QRCode\"\n");
    CHECK(unclosed.rfind("config_syntax | /cfg/mengscan.toml:1:", 0) == 0);
    CHECK(unclosed.find("TOML syntax error: ") != std::string::npos);
    // The same key twice is a TOML error, not "last one wins".
    CHECK(errorOf("[vision]\nformats = \"qr\"\nformats = \"dm\"\n")
              .rfind("config_syntax | /cfg/mengscan.toml:3:", 0) == 0);
}

TEST_CASE("a key with the wrong type names the file, line, key and both types") {
    CHECK(errorOf("[vision]\n\nmark_detection = \"no\"\n") ==
          "config_type | /cfg/mengscan.toml:3: vision.mark_detection: expected true or false, "
          "got a string");
    CHECK(errorOf("[vision]\nformats = 3\n") ==
          "config_type | /cfg/mengscan.toml:2: vision.formats: expected a string in quotes, "
          "got an integer");
    CHECK(errorOf("[vision]\nformats = [\"QRCode\", \"DataMatrix\"]\n") ==
          "config_type | /cfg/mengscan.toml:2: vision.formats: expected a string in quotes, "
          "got an array");
    CHECK(errorOf("[vision]\nmark_template = true\n") ==
          "config_type | /cfg/mengscan.toml:2: vision.mark_template: expected a string in "
          "quotes, got a boolean");
    CHECK(errorOf("vision = 1\n") ==
          "config_type | /cfg/mengscan.toml:1: vision: expected a table ([vision]), got an "
          "integer");
    CHECK(errorOf("[vision]\nmark_template = \"\"\n") ==
          "config_empty_value | /cfg/mengscan.toml:2: vision.mark_template: must not be empty");
}

TEST_CASE("an unknown key or table is an error, not silently ignored (typos)") {
    CHECK(errorOf("[vision]\nformats = \"qr\"\nmark_templat = \"x.png\"\n") ==
          "config_unknown_key | /cfg/mengscan.toml:3: unknown key vision.mark_templat (known in "
          "[vision]: mark_template, mark_detection, formats)");
    CHECK(errorOf("# cameras later\n[camera]\ndevice = \"/dev/video0\"\n") ==
          "config_unknown_key | /cfg/mengscan.toml:2: unknown key camera (known tables: "
          "[vision])");
    CHECK(errorOf("mark_template = \"x.png\"\n") ==
          "config_unknown_key | /cfg/mengscan.toml:1: unknown key mark_template (known tables: "
          "[vision])");
    CHECK(errorOf("[vision.extra]\nx = 1\n")
              .rfind("config_unknown_key | /cfg/mengscan.toml:1: unknown key vision.extra", 0) ==
          0);
}

TEST_CASE("reading a file: missing, a folder, or a real one with a relative template") {
    TempDir dir;
    auto missing = readDeviceConfigFile((dir / "none.toml").string());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == "config_not_found");
    CHECK(missing.error().message == "config file not found: " + (dir / "none.toml").string());

    auto folder = readDeviceConfigFile(dir.path().string());
    REQUIRE_FALSE(folder);
    CHECK(folder.error().code == "config_unreadable");

    writeFile(dir / "mengscan.toml", "[vision]\nmark_template = \"art/mark.png\"\n");
    auto config = readDeviceConfigFile((dir / "mengscan.toml").string());
    REQUIRE(config);
    REQUIRE(config->markTemplate);
    CHECK(config->markTemplate->value == (dir / "art" / "mark.png").string());

    writeFile(dir / "bad.toml", "[vision]\nmark_detection = 1\n");
    auto bad = readDeviceConfigFile((dir / "bad.toml").string());
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.rfind((dir / "bad.toml").string() + ":2: ", 0) == 0);
}

TEST_CASE("where the file is looked for: --config, then $MENGSCAN_CONFIG, then XDG, then /etc") {
    TempDir dir;
    const EnvVar xdg("XDG_CONFIG_HOME", dir.path().c_str());
    const EnvVar noEnv("MENGSCAN_CONFIG", nullptr);
    const std::string user = (dir / "mengscan" / "mengscan.toml").string();
    REQUIRE(defaultDeviceConfigPaths() ==
            std::vector<std::string>{user, "/etc/mengscan/mengscan.toml"});

    SUBCASE("no file at the default locations: the defaults, silently") {
        const bool systemFile = std::filesystem::exists("/etc/mengscan/mengscan.toml");
        const auto location = locateDeviceConfig("");
        CHECK(location.path == (systemFile ? "/etc/mengscan/mengscan.toml" : ""));
        if (!systemFile) {
            auto config = loadDeviceConfig("");
            REQUIRE(config);
            CHECK(config->path.empty());
            CHECK_FALSE(config->formats);
        }
    }
    SUBCASE("the user's file is read when present") {
        std::filesystem::create_directories(dir / "mengscan");
        writeFile(user, "[vision]\nformats = \"dm\"\n");
        auto config = loadDeviceConfig("");
        REQUIRE(config);
        CHECK(config->path == user);
        REQUIRE(config->formats);
        CHECK(config->formats->value == "dm");
    }
    SUBCASE("$MENGSCAN_CONFIG, then --config, are required and win") {
        std::filesystem::create_directories(dir / "mengscan");
        writeFile(user, "[vision]\nformats = \"dm\"\n");
        writeFile(dir / "env.toml", "[vision]\nformats = \"qr\"\n");
        const EnvVar env("MENGSCAN_CONFIG", (dir / "env.toml").c_str());
        auto fromEnv = loadDeviceConfig("");
        REQUIRE(fromEnv);
        CHECK(fromEnv->formats->value == "qr");

        writeFile(dir / "flag.toml", "[vision]\nformats = \"ean13\"\n");
        auto fromFlag = loadDeviceConfig((dir / "flag.toml").string());
        REQUIRE(fromFlag);
        CHECK(fromFlag->formats->value == "ean13");

        auto missing = loadDeviceConfig((dir / "typo.toml").string());
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == "config_not_found");
        const EnvVar envMissing("MENGSCAN_CONFIG", (dir / "typo.toml").c_str());
        CHECK_FALSE(loadDeviceConfig(""));
    }
}
