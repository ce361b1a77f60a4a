// Field setters shared by every payload kind.
#include "payload_fields.hpp"

#include "payload_text.hpp"

namespace mengscan::sync::detail {

Status setItemCode(ParsedPayload& out, std::string_view digits, const PayloadRules& rules,
                   std::string_view where) {
    std::string w(where);
    if (!allDigits(digits))
        return unrecognised(w + ": item code " + showText(digits) + " is not all digits");
    std::size_t n = digits.size();
    bool ok = (n == 17 && rules.acceptItemCode17) || (n == 18 && rules.acceptItemCode18);
    if (!ok) {
        std::string accepted = rules.acceptItemCode17 && rules.acceptItemCode18
                                   ? "17 or 18"
                                   : (rules.acceptItemCode17 ? "17" : "18");
        return unrecognised(w + ": item code has " + std::to_string(n) + " digits; expected " +
                            accepted);
    }
    std::size_t bodyLen = n == 17 ? 3 : 4;
    out.itemCode = std::string(digits);
    out.itemBodyCode = out.itemCode.substr(0, bodyLen);
    out.itemYear = out.itemCode.substr(bodyLen, 2);
    return {};
}

Status setCertNumber(ParsedPayload& out, std::string_view text, const PayloadRules& rules) {
    auto parts = parseCertNumber(text, rules);
    if (!parts) return Unexpected(parts.error());
    out.certNumber = std::string(text);
    out.certBodyCode = std::move(parts->bodyCode);
    out.certYear = std::move(parts->year);
    out.certSerial = std::move(parts->serial);
    return {};
}

Status setCertReference(ParsedPayload& out, std::string_view value, const PayloadRules& rules) {
    const std::string& prefix = rules.certReferencePrefix;
    if (value.size() > prefix.size() && value.compare(0, prefix.size(), prefix) == 0)
        return setCertNumber(out, value.substr(prefix.size()), rules);
    // Another certification scheme's reference: kept, but it names no Meng certificate.
    out.attributes.emplace("7230", std::string(value));
    return {};
}

Status setGtin(ParsedPayload& out, std::string_view digits, std::string_view where) {
    auto gtin = normaliseGtin(digits);
    if (!gtin) return unrecognised(std::string(where) + ": " + gtin.error().message);
    out.gtin = std::move(gtin.value());
    return {};
}

Status setKeyId(ParsedPayload& out, std::string_view text) {
    if (text.empty() || text.size() > 64)
        return unrecognised("key id (k) must have 1 to 64 characters, has " +
                            std::to_string(text.size()));
    for (char c : text) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c) || c == '-' ||
                  c == '_' || c == '.';
        if (!ok)
            return unrecognised("key id (k) " + showText(text) +
                                " may only use letters, digits, '-', '_' and '.'");
    }
    out.keyId = std::string(text);
    return {};
}

Status setSignature(ParsedPayload& out, std::string_view text) {
    auto bytes = base64UrlDecode(text, 64);
    if (!bytes) return Unexpected(bytes.error());
    out.signature = std::move(bytes.value());
    return {};
}

void finishPayload(ParsedPayload& out, const PayloadRules& rules) {
    bool gs1 = out.kind == PayloadKind::Gs1DigitalLink || out.kind == PayloadKind::Gs1ElementString;
    if (gs1 && out.itemCode.empty() && !out.certNumber.empty() && allDigits(out.serial)) {
        ParsedPayload probe;
        if (setItemCode(probe, out.serial, rules, "AI 21")) {
            out.itemCode = std::move(probe.itemCode);
            out.itemBodyCode = std::move(probe.itemBodyCode);
            out.itemYear = std::move(probe.itemYear);
        }
    }
    const std::string& item = !out.itemCode.empty() ? out.itemCode : out.serial;
    if (!out.certNumber.empty() && !item.empty()) {
        out.signedMessage.reserve(out.certNumber.size() + 1 + item.size());
        out.signedMessage = out.certNumber;
        out.signedMessage += '|';
        out.signedMessage += item;
    }
}

namespace {
// Skips ASCII spaces, the ideographic space U+3000 and one ':' or '：' (U+FF1A).
std::size_t skipSeparators(std::string_view text, std::size_t pos) {
    bool colon = false;
    while (pos < text.size()) {
        if (text[pos] == ' ') {
            ++pos;
        } else if (text.compare(pos, 3, "\xE3\x80\x80") == 0) {
            pos += 3;
        } else if (!colon && text[pos] == ':') {
            ++pos, colon = true;
        } else if (!colon && text.compare(pos, 3, "\xEF\xBC\x9A") == 0) {
            pos += 3, colon = true;
        } else {
            break;
        }
    }
    return pos;
}
}  // namespace

Status parseItemCodePayload(ParsedPayload& out, std::string_view text, const PayloadRules& rules) {
    out.kind = PayloadKind::ItemCode;
    std::size_t pos = 0;
    while (pos < text.size() && text[pos] == ' ') ++pos;
    std::string_view prefixUsed;
    for (const auto& prefix : rules.itemCodePrefixes)
        if (!prefix.empty() && text.compare(pos, prefix.size(), prefix) == 0) {
            prefixUsed = prefix;
            pos = skipSeparators(text, pos + prefix.size());
            break;
        }
    std::size_t end = text.size();
    while (end > pos && text[end - 1] == ' ') --end;
    std::string_view digits = text.substr(pos, end - pos);
    if (digits.empty())
        return unrecognised(prefixUsed.empty()
                                ? "payload has no item code"
                                : "item code missing after prefix " + showText(prefixUsed));
    return setItemCode(out, digits, rules, "bare item code");
}

}  // namespace mengscan::sync::detail
