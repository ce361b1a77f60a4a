#include "report_json.hpp"

#include <cmath>
#include <sstream>

#include "mengscan/sync/verdict_json.hpp"

namespace mengscan::firmware {
namespace {

nlohmann::ordered_json quadJson(const vision::Quad& quad) {
    auto json = nlohmann::ordered_json::array();
    for (const auto& p : quad) {
        json.push_back({std::lround(p.x * 10) / 10.0, std::lround(p.y * 10) / 10.0});
    }
    return json;
}

// Text must be valid UTF-8 for the JSON writer; binary payloads are replaced safely
// and the exact bytes are always in "bytes_hex".
std::string hex(const std::vector<uint8_t>& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace

nlohmann::ordered_json toJson(const FrameReport& report) {
    nlohmann::ordered_json json;
    json["source"] = report.source;
    json["frame"] = report.frame;
    json["width"] = report.width;
    json["height"] = report.height;
    auto codes = nlohmann::ordered_json::array();
    for (const auto& code : report.codes) {
        nlohmann::ordered_json c;
        c["format"] = vision::toString(code.format);
        c["text"] = code.text;
        c["bytes_hex"] = hex(code.bytes);
        c["symbology"] = code.symbologyIdentifier;
        c["quad"] = quadJson(code.quad);
        c["pass"] = code.pass;
        if (code.error) c["error"] = code.error.message;
        codes.push_back(std::move(c));
    }
    json["codes"] = std::move(codes);
    if (report.mark) {
        json["mark"] = {{"found", report.mark->found},
                        {"score", std::lround(report.mark->score * 1000) / 1000.0},
                        {"quad", report.mark->found ? quadJson(report.mark->quad)
                                                    : nlohmann::ordered_json(nullptr)}};
    } else {
        json["mark"] = nullptr;
    }
    json["verdict"] = report.verdict;
    json["reasons"] = report.reasons;
    // Verification details (docs/verdicts.md): null when no cache was given.
    const auto& verified = report.verification;
    auto details = nlohmann::ordered_json::array();
    if (verified) {
        for (const auto& reason : verified->reasons) details.push_back(sync::toJson(reason));
    }
    json["reason_details"] = std::move(details);
    json["certificate"] = verified && verified->certificate
                              ? sync::toJson(*verified->certificate)
                              : nlohmann::ordered_json(nullptr);
    json["cache"] = verified && verified->freshness ? sync::toJson(*verified->freshness)
                                                    : nlohmann::ordered_json(nullptr);
    json["elapsed_ms"] = std::lround(report.elapsedMs * 100) / 100.0;
    if (report.error) json["error"] = report.error.message;
    return json;
}

std::string toText(const FrameReport& report) {
    std::ostringstream out;
    out << report.source;
    if (report.frame != 0) out << "#" << report.frame;
    if (report.error) {
        out << ": ERROR " << report.error.message;
        return out.str();
    }
    out << ": " << report.codes.size() << " code(s)";
    for (const auto& code : report.codes) {
        out << " [" << vision::toString(code.format) << " \"";
        for (char c : code.text) {
            if (static_cast<unsigned char>(c) < 0x20) out << "\\x" << std::hex << int(c) << std::dec;
            else out << c;
        }
        out << "\"]";
    }
    if (report.mark) {
        std::ostringstream score;
        score.precision(2);
        score << std::fixed << report.mark->score;
        out << (report.mark->found ? " mark=found(" : " mark=none(") << score.str() << ")";
    }
    out << " verdict=" << report.verdict;
    if (!report.reasons.empty()) {
        out << " [";
        for (std::size_t i = 0; i < report.reasons.size(); ++i) {
            out << (i == 0 ? "" : ",") << report.reasons[i];
        }
        out << "]";
    }
    if (report.verification && report.verification->certificate) {
        out << " cert=" << report.verification->certificate->certNo;
    }
    out.precision(1);
    out << std::fixed << " (" << report.elapsedMs << " ms)";
    return out.str();
}

}  // namespace mengscan::firmware
