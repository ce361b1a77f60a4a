// parsePayload: length and text checks, symbology identifier, then dispatch to the parser
// of the payload kind the text looks like.
#include "mengscan/sync/payload.hpp"

#include "payload_fields.hpp"
#include "payload_text.hpp"

namespace mengscan::sync {

using detail::isDigit;
using detail::showText;
using detail::unrecognised;

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

namespace {

constexpr char GS = 29;

// "]Q3": ']' + symbology letter + modifier (ISO/IEC 15424).
bool hasSymbologyId(std::string_view s) {
    if (s.size() < 3 || s[0] != ']') return false;
    char l = s[1], m = s[2];
    bool letter = (l >= 'A' && l <= 'Z') || (l >= 'a' && l <= 'z');
    bool mod = isDigit(m) || (m >= 'A' && m <= 'Z');
    return letter && mod;
}

// Symbology identifiers that announce GS1 data (GS1 QR, GS1 DataMatrix, GS1-128, ...).
bool isGs1Symbology(std::string_view id) {
    return id == "]Q3" || id == "]Q4" || id == "]d2" || id == "]C1" || id == "]e0" || id == "]J1";
}

// "https:", "javascript:", "data:" ... (RFC 3986 scheme followed by ':').
bool hasScheme(std::string_view s) {
    if (s.empty() || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) return false;
    for (std::size_t i = 1; i < s.size() && i < 32; ++i) {
        char c = s[i];
        if (c == ':') return true;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c) || c == '+' ||
                  c == '-' || c == '.';
        if (!ok) return false;
    }
    return false;
}

bool startsWithPrefix(std::string_view s, const PayloadRules& rules) {
    while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    for (const auto& p : rules.itemCodePrefixes)
        if (!p.empty() && s.compare(0, p.size(), p) == 0) return true;
    return false;
}

// Digits and spaces only: a bare item code (possibly of the wrong length).
bool digitsAndSpaces(std::string_view s) {
    bool digit = false;
    for (char c : s) {
        if (isDigit(c))
            digit = true;
        else if (c != ' ')
            return false;
    }
    return digit;
}

// An element string without symbology identifier or leading GS: starts with AI 01 and a
// GTIN-14 and is longer than a bare item code could be, or contains GS separators.
bool looksLikeElementString(std::string_view s) {
    if (s.find(GS) != std::string_view::npos && !s.empty() && isDigit(s[0])) return true;
    return s.size() >= 16 && s.compare(0, 2, "01") == 0 && detail::allDigits(s.substr(0, 16)) &&
           !(s.size() <= 18 && detail::allDigits(s));
}

}  // namespace

Expected<ParsedPayload> parsePayload(std::string_view raw, const PayloadRules& rules) {
    try {
        if (raw.empty()) return unrecognised("payload is empty");
        if (raw.size() > rules.maxPayloadBytes)
            return unrecognised("payload is " + std::to_string(raw.size()) +
                                " bytes, longer than the limit of " +
                                std::to_string(rules.maxPayloadBytes));
        ParsedPayload out;
        std::string_view text = raw;
        if (hasSymbologyId(text)) {
            out.symbologyId = std::string(text.substr(0, 3));
            text.remove_prefix(3);
            if (text.empty()) return unrecognised("payload has a symbology identifier only");
        }
        bool gs1 = isGs1Symbology(out.symbologyId) || text[0] == GS;
        // GS (FNC1) is the only control character a payload may hold, and only in GS1 data.
        std::string_view allowed =
            gs1 || looksLikeElementString(text) ? std::string_view("\x1D", 1) : std::string_view();
        if (auto st = detail::checkText(text, "payload", allowed); !st)
            return Unexpected(st.error());

        Status st;
        if (gs1 || looksLikeElementString(text)) {
            st = detail::parseElementString(out, text, rules);
        } else if (text.size() > 1 && text[0] == '(' && isDigit(text[1])) {
            st = detail::parseHriElementString(out, text, rules);
        } else if (hasScheme(text)) {
            st = detail::parseUrl(out, text, rules);
        } else if (startsWithPrefix(text, rules) || digitsAndSpaces(text)) {
            st = detail::parseItemCodePayload(out, text, rules);
        } else {
            st = unrecognised(
                "payload " + showText(text) +
                " is not a trace URL, GS1 Digital Link, GS1 element string or item code");
        }
        if (!st) return Unexpected(st.error());
        detail::finishPayload(out, rules);
        out.raw = std::string(raw);
        return out;
    } catch (const std::exception& e) {
        // Only allocation failures can land here; still an error value, never a crash.
        return makeUnexpected(ErrorCategory::Internal, "payload_parse_failed", e.what());
    }
}

}  // namespace mengscan::sync
