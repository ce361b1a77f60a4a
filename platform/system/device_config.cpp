#include "mengscan/platform/device_config.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace mengscan::platform {
namespace {

namespace fs = std::filesystem;

const char* const kVisionKeys = "mark_template, mark_detection, formats";

Unexpected configError(const char* code, std::string message) {
    return makeUnexpected(ErrorCategory::Usage, code, std::move(message));
}

std::string at(const std::string& path, const toml::source_region& where) {
    return path + ":" + std::to_string(where.begin.line);
}

const char* typeName(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time:
            return "a date/time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

Unexpected typeError(const std::string& path, const toml::node& node, const std::string& key,
                     const char* expected) {
    return configError("config_type", at(path, node.source()) + ": " + key + ": expected " +
                                          expected + ", got " + typeName(node));
}

// A non-empty string value, e.g. a path or a format list.
Expected<ConfigValue<std::string>> stringValue(const std::string& path, const toml::node& node,
                                               const std::string& key) {
    const auto* text = node.as_string();
    if (!text) return typeError(path, node, key, "a string in quotes");
    if (text->get().empty())
        return configError("config_empty_value",
                           at(path, node.source()) + ": " + key + ": must not be empty");
    return ConfigValue<std::string>{text->get(), static_cast<int>(node.source().begin.line)};
}

Status readVision(const std::string& path, const toml::table& vision, DeviceConfig& config) {
    for (const auto& [key, node] : vision) {
        const std::string name = "vision." + std::string(key.str());
        if (key == "mark_template") {
            auto value = stringValue(path, node, name);
            if (!value) return Unexpected(value.error());
            // Relative to the file, so a config and its artwork can be moved together.
            const fs::path file(value->value);
            if (file.is_relative()) {
                value->value = (fs::path(path).parent_path() / file).lexically_normal().string();
            }
            config.markTemplate = *value;
        } else if (key == "mark_detection") {
            const auto* flag = node.as_boolean();
            if (!flag) return typeError(path, node, name, "true or false");
            config.markDetection =
                ConfigValue<bool>{flag->get(), static_cast<int>(node.source().begin.line)};
        } else if (key == "formats") {
            auto value = stringValue(path, node, name);
            if (!value) return Unexpected(value.error());
            config.formats = *value;
        } else {
            return configError("config_unknown_key",
                               at(path, key.source()) + ": unknown key " + name +
                                   " (known in [vision]: " + kVisionKeys + ")");
        }
    }
    return {};
}

}  // namespace

std::string DeviceConfig::where(int line, std::string_view key) const {
    return path + ":" + std::to_string(line) + ": " + std::string(key);
}

std::vector<std::string> defaultDeviceConfigPaths() {
    std::vector<std::string> paths;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
        paths.push_back(std::string(xdg) + "/mengscan/mengscan.toml");
    } else if (const char* home = std::getenv("HOME"); home && *home) {
        paths.push_back(std::string(home) + "/.config/mengscan/mengscan.toml");
    }
    paths.push_back("/etc/mengscan/mengscan.toml");
    return paths;
}

DeviceConfigLocation locateDeviceConfig(const std::string& explicitPath) {
    if (!explicitPath.empty()) return {explicitPath, true};
    if (const char* env = std::getenv("MENGSCAN_CONFIG"); env && *env) return {env, true};
    for (const auto& candidate : defaultDeviceConfigPaths()) {
        std::error_code ec;
        // exists(), not is_regular_file(): a folder in the way is reported, not skipped.
        if (fs::exists(candidate, ec)) return {candidate, true};
    }
    return {};
}

Expected<DeviceConfig> loadDeviceConfig(const std::string& explicitPath) {
    const auto location = locateDeviceConfig(explicitPath);
    if (location.path.empty()) return DeviceConfig{};
    return readDeviceConfigFile(location.path);
}

Expected<DeviceConfig> readDeviceConfigFile(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return configError("config_not_found", "config file not found: " + path);
    if (fs::is_directory(path, ec))
        return configError("config_unreadable", "config file is a folder: " + path);
    std::ifstream in(path, std::ios::binary);
    if (!in) return configError("config_unreadable", "cannot read config file " + path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return configError("config_unreadable", "cannot read config file " + path);
    return parseDeviceConfig(text, path);
}

Expected<DeviceConfig> parseDeviceConfig(std::string_view text, const std::string& path) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        return configError("config_syntax",
                           path + ":" + std::to_string(where.line) + ":" +
                               std::to_string(where.column) +
                               ": TOML syntax error: " + std::string(e.description()));
    }
    DeviceConfig config;
    config.path = path;
    for (const auto& [key, node] : root) {
        if (key == "vision") {
            const auto* vision = node.as_table();
            if (!vision) return typeError(path, node, "vision", "a table ([vision])");
            if (auto read = readVision(path, *vision, config); !read)
                return Unexpected(read.error());
        } else {
            return configError("config_unknown_key", at(path, key.source()) + ": unknown key " +
                                                         std::string(key.str()) +
                                                         " (known tables: [vision])");
        }
    }
    return config;
}

}  // namespace mengscan::platform
