#include "report_event.hpp"

#include <openssl/rand.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "mengscan/sync/client/crypto.hpp"

namespace mengscan::sync {

ReportPriority reportPriority(std::string_view verdict) {
    if (verdict == "invalid") return ReportPriority::Invalid;
    if (verdict == "suspect") return ReportPriority::Suspect;
    if (verdict == "genuine") return ReportPriority::Genuine;
    return ReportPriority::Other;
}

Expected<std::string> newEventId() {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) {
        return makeUnexpected(ErrorCategory::Crypto, "random_failed",
                              "RAND_bytes failed: cannot make an event id");
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static const char* hex = "0123456789abcdef";
    std::string id;
    id.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
        id += hex[b[i] >> 4];
        id += hex[b[i] & 15];
    }
    return id;
}

bool isValidEventId(std::string_view id) {
    if (id.size() != 36) return false;
    for (size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

namespace report_event {

std::string isoTimeMs(int64_t unixMs) {
    const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(unixMs % 1000));
    return text;
}

std::string bodyJson(const ReportEvent& e) {
    nlohmann::ordered_json j;
    j["event_id"] = e.eventId;
    j["time"] = isoTimeMs(e.timeMs);
    j["time_ms"] = e.timeMs;
    j["device_id"] = e.deviceId;
    if (!e.location.empty()) {
        nlohmann::ordered_json loc = nlohmann::ordered_json::object();
        if (!e.location.text.empty()) loc["text"] = e.location.text;
        if (e.location.latitude) loc["lat"] = *e.location.latitude;
        if (e.location.longitude) loc["lon"] = *e.location.longitude;
        j["location"] = loc;
    }
    j["verdict"] = e.verdict;
    j["reasons"] = e.reasons;
    j["payload"] = e.payload;
    j["cert_no"] = e.certNo;
    j["item_code"] = e.itemCode;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Expected<std::string> wireJson(const std::string& body, const std::vector<uint8_t>& image,
                               const std::string& imageSha256, int64_t originalBytes,
                               bool dropped) {
    // The body is a JSON object written by bodyJson(); the evidence fields are appended
    // before its closing brace instead of parsing and re-serialising 20 KB per event.
    if (body.size() < 2 || body.front() != '{' || body.back() != '}') {
        return makeUnexpected(ErrorCategory::Internal, "bad_stored_event",
                              "stored event is not a JSON object");
    }
    if (imageSha256.empty()) return body;
    std::string out;
    out.reserve(body.size() + 160 + image.size() * 4 / 3);
    out.append(body, 0, body.size() - 1);
    out += ",\"evidence_sha256\":" + nlohmann::json(imageSha256).dump();
    out += ",\"evidence_bytes\":" + std::to_string(originalBytes);
    if (dropped || image.empty()) {
        out += ",\"evidence_dropped\":true}";
    } else {
        out += ",\"evidence_jpeg\":\"";
        out += client::base64UrlEncode(
            std::string_view(reinterpret_cast<const char*>(image.data()), image.size()));
        out += "\"}";
    }
    return out;
}

std::string sha256Hex(const std::vector<uint8_t>& bytes) {
    return client::sha256Hex(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace report_event
}  // namespace mengscan::sync
