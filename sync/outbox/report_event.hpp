// The event's JSON forms (docs/reports.md): the stored body (everything but the image)
// and the wire object (body + evidence fields, the image base64url-encoded or marked dropped).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"
#include "mengscan/sync/outbox.hpp"

namespace mengscan::sync::report_event {

// "2026-03-01T12:00:00.123Z"
std::string isoTimeMs(int64_t unixMs);

// The body: event_id, time, time_ms, device_id, location, verdict, reasons, payload,
// cert_no, item_code. Never throws (invalid UTF-8 is replaced).
std::string bodyJson(const ReportEvent& event);

// Body + evidence_sha256, evidence_bytes and evidence_jpeg (base64url), or
// evidence_dropped: true when the image was dropped locally to keep the outbox bounded.
Expected<std::string> wireJson(const std::string& body, const std::vector<uint8_t>& image,
                               const std::string& imageSha256, int64_t originalBytes, bool dropped);

std::string sha256Hex(const std::vector<uint8_t>& bytes);

}  // namespace mengscan::sync::report_event
