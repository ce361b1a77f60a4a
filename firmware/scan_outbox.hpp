// Hands a verified frame to the report outbox: the scan log row (when the verdict names an
// item code and scans are recorded) and, for reported verdicts, the anomaly event with an
// evidence crop of the label, in ONE transaction, before the verdict is shown.
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <string>

#include "mengscan/expected.hpp"
#include "mengscan/sync/outbox.hpp"
#include "mengscan/sync/outbox_evidence.hpp"
#include "scan_pipeline.hpp"

namespace mengscan::firmware {

struct OutboxRecording {
    sync::Outbox* outbox = nullptr;  // borrowed
    bool recordScans = false;        // also write the scan log row (same transaction)
    sync::EvidenceOptions evidence;
};

// Opens the outbox in the scan log file beside `cachePath`; the device id file lives in the
// cache's folder (the data directory for the default cache). `location`: free text.
Expected<std::unique_ptr<sync::Outbox>> openScanOutbox(const std::string& cachePath,
                                                       const std::string& location);

// Needs report.verification. Returns the stored event id ("" when no event was due).
Expected<std::string> recordInOutbox(const OutboxRecording& recording, const cv::Mat& image,
                                     const FrameReport& report, const std::string& session,
                                     int64_t nowMs);

}  // namespace mengscan::firmware
