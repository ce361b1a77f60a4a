#include "scan_outbox.hpp"

#include <filesystem>

#include "mengscan/platform/device_identity.hpp"
#include "mengscan/sync/payload.hpp"
#include "mengscan/sync/payload_rules.hpp"

namespace mengscan::firmware {
namespace {

// The label region: every located code and the mark, for the evidence crop.
std::vector<cv::Point2f> labelRegion(const FrameReport& report) {
    std::vector<cv::Point2f> points;
    auto add = [&](const vision::Quad& quad) {
        for (const auto& p : quad) {
            if (p.x != 0 || p.y != 0) points.emplace_back(p.x, p.y);
        }
    };
    for (const auto& code : report.codes) add(code.quad);
    if (report.mark && report.mark->found) add(report.mark->quad);
    return points;
}

std::string firstPayload(const FrameReport& report) {
    for (const auto& code : report.codes) {
        if (code.ok()) return code.text;
    }
    return {};
}

// The certificate number: as verification found it, else as printed in the payload
// (certificate_unknown events need it most).
std::string certificateNumber(const sync::Verdict& verdict, const std::string& payload) {
    if (verdict.certificate) return verdict.certificate->certNo;
    if (payload.empty()) return {};
    static const sync::PayloadRules rules;
    auto parsed = sync::parsePayload(payload, rules);
    return parsed ? parsed->certNumber : std::string();
}

}  // namespace

Expected<std::unique_ptr<sync::Outbox>> openScanOutbox(const std::string& cachePath,
                                                       const std::string& location) {
    const auto folder = std::filesystem::path(cachePath).parent_path();
    auto device = platform::deviceIdentity(folder.empty() ? "." : folder.string());
    if (!device) return Unexpected(device.error());
    sync::OutboxOptions options;
    options.deviceId = *device;
    options.location.text = location;
    return sync::Outbox::open(sync::scanLogPathFor(cachePath), options);
}

Expected<std::string> recordInOutbox(const OutboxRecording& recording, const cv::Mat& image,
                                     const FrameReport& report, const std::string& session,
                                     int64_t nowMs) {
    if (recording.outbox == nullptr || !report.verification) return std::string();
    const sync::Verdict& verdict = *report.verification;
    const std::string verdictName = verdict.name();

    std::optional<sync::ReportEvent> event;
    if (recording.outbox->wantsEvent(verdictName)) {
        event.emplace();
        event->timeMs = nowMs;
        event->verdict = verdictName;
        for (const auto& reason : verdict.reasons) event->reasons.emplace_back(reason.name());
        event->payload = firstPayload(report);
        event->certNo = certificateNumber(verdict, event->payload);
        event->itemCode = verdict.itemCode;
        // An image that cannot be encoded costs the evidence, never the event.
        if (auto jpeg = sync::encodeEvidence(image, labelRegion(report), recording.evidence)) {
            event->evidenceJpeg = std::move(*jpeg);
        }
    }
    if (recording.recordScans && !verdict.itemCode.empty()) {
        sync::ScanRecord scan;
        scan.itemCode = verdict.itemCode;
        scan.scannedAtMs = nowMs;
        scan.session = session;
        scan.verdict = verdictName;
        if (verdict.certificate) scan.certNo = verdict.certificate->certNo;
        return recording.outbox->recordScan(scan, event);
    }
    if (!event) return std::string();
    return recording.outbox->recordEvent(*event);
}

}  // namespace mengscan::firmware
