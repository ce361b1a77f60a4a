#include "scan_settings.hpp"

#include <cstdlib>

namespace mengscan::firmware {

ScanEnvironment ScanEnvironment::fromProcess() {
    ScanEnvironment env;
    if (const char* path = std::getenv("MENGSCAN_MARK_TEMPLATE"); path && *path)
        env.markTemplate = path;
    return env;
}

ScanSettings resolveScanSettings(const ScanFlags& flags, const ScanEnvironment& env,
                                 const platform::DeviceConfig& config,
                                 const std::string& defaultTemplate) {
    ScanSettings s;
    if (flags.formats) {
        s.formats = *flags.formats;
        s.formatsFrom = "--formats";
    } else if (config.formats) {
        s.formats = config.formats->value;
        s.formatsFrom = config.where(config.formats->line, "vision.formats");
    } else {
        s.formats = kDefaultFormats;
        s.formatsFrom = "default";
    }

    if (flags.markDetection) {
        s.markDetection = *flags.markDetection;
        s.markDetectionFrom = *flags.markDetection ? "--mark" : "--no-mark";
    } else if (config.markDetection) {
        s.markDetection = config.markDetection->value;
        s.markDetectionFrom = config.where(config.markDetection->line, "vision.mark_detection");
    } else {
        s.markDetection = true;
        s.markDetectionFrom = "default";
    }
    if (!s.markDetection) return s;

    if (flags.markTemplate) {
        s.markTemplate = *flags.markTemplate;
        s.markTemplateFrom = "--mark-template";
    } else if (env.markTemplate) {
        s.markTemplate = *env.markTemplate;
        s.markTemplateFrom = "$MENGSCAN_MARK_TEMPLATE";
    } else if (config.markTemplate) {
        s.markTemplate = config.markTemplate->value;
        s.markTemplateFrom = config.where(config.markTemplate->line, "vision.mark_template");
    } else {
        s.markTemplate = defaultTemplate;
        s.markTemplateFrom = "default";
    }
    return s;
}

}  // namespace mengscan::firmware
