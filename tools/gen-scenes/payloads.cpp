#include "payloads.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

namespace mengscan::scenes {
namespace {

std::string digits(Rng& rng, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += static_cast<char>('0' + rng.uniformInt(0, 9));
    return out;
}

std::string padded(int value, int width) {
    std::string s = std::to_string(value);
    return std::string(width > static_cast<int>(s.size()) ? width - s.size() : 0, '0') + s;
}

std::string base64url(Rng& rng, int chars) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    for (int i = 0; i < chars; ++i) out += alphabet[rng.uniformInt(0, 63)];
    return out;
}

std::string alnum(Rng& rng, int n) {
    static const char* alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    std::string out;
    for (int i = 0; i < n; ++i) out += alphabet[rng.uniformInt(0, 33)];
    return out;
}

std::string str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool isAscii(const std::string& s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) > 0x7e) return false;
    return true;
}

}  // namespace

const char* toString(PayloadKind kind) {
    switch (kind) {
        case PayloadKind::TraceUrl:
            return "trace_url";
        case PayloadKind::Gs1DigitalLink:
            return "gs1_digital_link";
        case PayloadKind::Gs1ElementString:
            return "gs1_element_string";
        case PayloadKind::ItemCode:
            return "item_code";
    }
    return "unknown";
}

int gs1CheckDigit(const std::string& body) {
    int sum = 0;
    // Weights 3,1,3,... from the rightmost digit before the check digit.
    for (size_t i = 0; i < body.size(); ++i) {
        const int d = body[body.size() - 1 - i] - '0';
        sum += d * (i % 2 == 0 ? 3 : 1);
    }
    return (10 - sum % 10) % 10;
}

LabelData randomLabel(Rng& rng, PayloadKind kind, bool asciiOnly) {
    LabelData label;
    label.kind = kind;
    label.origin = "random";
    const bool longItem = rng.chance(0.7);  // 18 digits (since 2024) or 17 (older)
    const std::string body = padded(rng.uniformInt(1, longItem ? 120 : 99), longItem ? 4 : 3);
    const std::string year = padded(rng.uniformInt(20, 26), 2);
    const std::string certBody = longItem ? body : "0" + body;
    label.certNo = certBody + "-MZB-" + year + "-" + padded(rng.uniformInt(1, 99999), 5);
    label.itemCode = body + year + digits(rng, 12);
    label.printedLine = "证书编号 " + label.certNo + "  追溯码 " + label.itemCode;

    const bool sign = rng.chance(0.4);
    label.signature = sign ? "random" : "none";
    const std::string query =
        sign ? "k=mzb-" + padded(rng.uniformInt(1, 9), 2) + "&s=" + base64url(rng, 86) : "";
    const std::string gtin13 = "69" + digits(rng, 10);
    const std::string gtin = "0" + gtin13 + std::to_string(gs1CheckDigit("0" + gtin13));
    const std::string serial = digits(rng, rng.uniformInt(6, 12));
    const std::string batch = alnum(rng, rng.uniformInt(4, 8));
    switch (kind) {
        case PayloadKind::TraceUrl:
            label.payload = "https://trace.mzb.example/t/" + label.certNo + "/" + label.itemCode;
            if (!query.empty()) label.payload += "?" + query;
            break;
        case PayloadKind::Gs1DigitalLink:
            label.payload = "https://id.mzb.example/01/" + gtin;
            if (rng.chance(0.6)) label.payload += "/10/" + batch;
            label.payload += "/21/" + serial + "?7230=MZ" + label.certNo;
            if (!query.empty()) label.payload += "&" + query;
            label.printedLine = "证书编号 " + label.certNo + "  追溯码 " + serial;
            break;
        case PayloadKind::Gs1ElementString:
            // FNC1 separators as ASCII 29 (GS).
            label.payload = "01" + gtin + "21" + serial + "\x1d" + "10" + batch + "\x1d" +
                            "7230MZ" + label.certNo;
            label.signature = "none";
            label.printedLine = "证书编号 " + label.certNo + "  追溯码 " + serial;
            break;
        case PayloadKind::ItemCode: {
            label.signature = "none";
            const int prefix = asciiOnly ? 0 : rng.uniformInt(0, 2);
            label.payload = (prefix == 1 ? "有机码" : prefix == 2 ? "追溯码" : "") + label.itemCode;
            break;
        }
    }
    label.asciiOnly = isAscii(label.payload);
    return label;
}

Expected<std::vector<LabelData>> loadLabels(const std::string& path) {
    std::ifstream in(path);
    if (!in) return makeUnexpected(ErrorCategory::Io, "file_not_found", "cannot open " + path);
    std::vector<LabelData> labels;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            const auto j = nlohmann::json::parse(line);
            LabelData label;
            label.payload = str(j, "payload");
            if (label.payload.empty()) label.payload = str(j, "text");
            if (label.payload.empty()) label.payload = str(j, "code");
            if (label.payload.empty()) {
                return makeUnexpected(ErrorCategory::Usage, "bad_labels",
                                      path + ":" + std::to_string(lineNo) + ": no \"payload\"");
            }
            label.certNo = str(j, "cert_no");
            label.itemCode = str(j, "item_code");
            label.printedLine = str(j, "printed_line");
            if (label.printedLine.empty() && !label.certNo.empty()) {
                label.printedLine = "证书编号 " + label.certNo + "  追溯码 " + label.itemCode;
            }
            const std::string kind = str(j, "kind");
            label.kind = kind == "gs1_digital_link"     ? PayloadKind::Gs1DigitalLink
                         : kind == "gs1_element_string" ? PayloadKind::Gs1ElementString
                         : kind == "item_code"          ? PayloadKind::ItemCode
                                                        : PayloadKind::TraceUrl;
            label.expectedVerdict = str(j, "expected_verdict");
            if (label.expectedVerdict.empty()) label.expectedVerdict = str(j, "verdict");
            const nlohmann::json* reasons = j.contains("reasons") ? &j["reasons"] : nullptr;
            if (j.contains("expected") && j["expected"].is_object()) {
                const auto& e = j["expected"];
                if (label.expectedVerdict.empty()) label.expectedVerdict = str(e, "verdict");
                if (e.contains("reasons")) reasons = &e["reasons"];
            }
            if (reasons && reasons->is_array()) {
                for (const auto& r : *reasons)
                    if (r.is_string()) label.expectedReasons.push_back(r.get<std::string>());
            }
            label.signature = label.payload.find("s=") != std::string::npos ? "signed" : "none";
            label.asciiOnly = isAscii(label.payload);
            label.origin = "labels.jsonl:" + std::to_string(lineNo);
            labels.push_back(std::move(label));
        } catch (const std::exception& e) {
            return makeUnexpected(ErrorCategory::Usage, "bad_labels",
                                  path + ":" + std::to_string(lineNo) + ": " + e.what());
        }
    }
    if (labels.empty())
        return makeUnexpected(ErrorCategory::Usage, "bad_labels", path + ": no labels");
    return labels;
}

}  // namespace mengscan::scenes
