// GS1 parts: the mod-10 check digit, GTIN normalisation, the Application Identifier table
// for the AIs labels carry, and the element string parser (FNC1 as ASCII 29).
#include <cstring>

#include "payload_fields.hpp"
#include "payload_text.hpp"

namespace mengscan::sync {

using detail::isDigit;
using detail::showText;
using detail::unrecognised;

int gs1CheckDigit(std::string_view digits) {
    int sum = 0;
    // Weights 3,1,3,1... from the rightmost digit before the check digit.
    for (std::size_t i = 0; i < digits.size(); ++i) {
        char c = digits[digits.size() - 1 - i];
        if (!isDigit(c)) return -1;
        sum += (c - '0') * ((i % 2 == 0) ? 3 : 1);
    }
    return (10 - sum % 10) % 10;
}

bool gtinCheckDigitValid(std::string_view digits) {
    std::size_t n = digits.size();
    if (n != 8 && n != 12 && n != 13 && n != 14) return false;
    if (!detail::allDigits(digits)) return false;
    return gs1CheckDigit(digits.substr(0, n - 1)) == digits[n - 1] - '0';
}

Expected<std::string> normaliseGtin(std::string_view digits) {
    std::size_t n = digits.size();
    if (!detail::allDigits(digits))
        return unrecognised("GTIN " + showText(digits) + " is not all digits");
    if (n != 8 && n != 12 && n != 13 && n != 14)
        return unrecognised("GTIN has " + std::to_string(n) + " digits; expected 8, 12, 13 or 14");
    int expected = gs1CheckDigit(digits.substr(0, n - 1));
    int got = digits[n - 1] - '0';
    if (expected != got)
        return unrecognised("GTIN check digit wrong: expected " + std::to_string(expected) +
                            ", got " + std::to_string(got) + " in " + showText(digits));
    return std::string(14 - n, '0') + std::string(digits);
}

namespace detail {
namespace {

struct AiSpec {
    const char* prefix;  // the AI, or its leading digits when the rest vary (310n -> "31")
    unsigned char aiLen;
    bool numeric;
    unsigned char minLen, maxLen;
};

// The AIs a food label plausibly carries (GS1 General Specifications, section 3).
constexpr AiSpec kAis[] = {
    {"00", 2, true, 18, 18},   {"01", 2, true, 14, 14},   {"02", 2, true, 14, 14},
    {"10", 2, false, 1, 20},   {"11", 2, true, 6, 6},     {"12", 2, true, 6, 6},
    {"13", 2, true, 6, 6},     {"15", 2, true, 6, 6},     {"16", 2, true, 6, 6},
    {"17", 2, true, 6, 6},     {"20", 2, true, 2, 2},     {"21", 2, false, 1, 20},
    {"22", 2, false, 1, 20},   {"235", 3, false, 1, 28},  {"240", 3, false, 1, 30},
    {"241", 3, false, 1, 30},  {"242", 3, true, 1, 6},    {"243", 3, false, 1, 20},
    {"250", 3, false, 1, 30},  {"251", 3, false, 1, 30},  {"253", 3, false, 13, 30},
    {"254", 3, false, 1, 20},  {"255", 3, true, 13, 25},  {"30", 2, true, 1, 8},
    {"31", 4, true, 6, 6},     {"32", 4, true, 6, 6},     {"33", 4, true, 6, 6},
    {"34", 4, true, 6, 6},     {"35", 4, true, 6, 6},     {"36", 4, true, 6, 6},
    {"37", 2, true, 1, 8},     {"390", 4, true, 1, 15},   {"391", 4, true, 4, 18},
    {"392", 4, true, 1, 15},   {"393", 4, true, 4, 18},   {"394", 4, true, 4, 4},
    {"395", 4, true, 6, 6},    {"400", 3, false, 1, 30},  {"401", 3, false, 1, 30},
    {"402", 3, true, 17, 17},  {"403", 3, false, 1, 30},  {"410", 3, true, 13, 13},
    {"411", 3, true, 13, 13},  {"412", 3, true, 13, 13},  {"413", 3, true, 13, 13},
    {"414", 3, true, 13, 13},  {"415", 3, true, 13, 13},  {"416", 3, true, 13, 13},
    {"417", 3, true, 13, 13},  {"420", 3, false, 1, 20},  {"421", 3, false, 4, 12},
    {"422", 3, true, 3, 3},    {"423", 3, true, 3, 15},   {"424", 3, true, 3, 3},
    {"425", 3, true, 3, 15},   {"426", 3, true, 3, 3},    {"427", 3, false, 1, 3},
    {"7001", 4, true, 13, 13}, {"7002", 4, false, 1, 30}, {"7003", 4, true, 10, 10},
    {"7004", 4, true, 1, 4},   {"7005", 4, false, 1, 12}, {"7006", 4, true, 6, 6},
    {"7007", 4, true, 6, 12},  {"7008", 4, false, 1, 3},  {"7009", 4, false, 1, 10},
    {"7010", 4, false, 1, 2},  {"7011", 4, false, 4, 10}, {"723", 4, false, 3, 30},
    {"8001", 4, true, 14, 14}, {"8002", 4, false, 1, 20}, {"8003", 4, false, 15, 30},
    {"8004", 4, false, 1, 30}, {"8005", 4, true, 6, 6},   {"8006", 4, true, 18, 18},
    {"8007", 4, false, 1, 34}, {"8008", 4, true, 8, 12},  {"8009", 4, false, 1, 50},
    {"8010", 4, false, 1, 30}, {"8011", 4, true, 1, 12},  {"8012", 4, false, 1, 20},
    {"8013", 4, false, 1, 25}, {"8017", 4, true, 18, 18}, {"8018", 4, true, 18, 18},
    {"8019", 4, true, 1, 10},  {"8020", 4, false, 1, 25}, {"8200", 4, false, 1, 70},
    {"90", 2, false, 1, 30},   {"91", 2, false, 1, 90},   {"92", 2, false, 1, 90},
    {"93", 2, false, 1, 90},   {"94", 2, false, 1, 90},   {"95", 2, false, 1, 90},
    {"96", 2, false, 1, 90},   {"97", 2, false, 1, 90},   {"98", 2, false, 1, 90},
    {"99", 2, false, 1, 90},
};

const AiSpec* findAi(std::string_view data) {
    // Only entries sharing the first two digits can match.
    if (data.size() < 2 || !isDigit(data[0]) || !isDigit(data[1])) return nullptr;
    const AiSpec* best = nullptr;
    std::size_t bestLen = 0;
    for (const AiSpec& s : kAis) {
        if (s.prefix[0] != data[0] || s.prefix[1] != data[1]) continue;
        std::size_t pl = std::strlen(s.prefix);
        if (data.size() < s.aiLen || data.compare(0, pl, s.prefix) != 0) continue;
        if (!allDigits(data.substr(0, s.aiLen))) continue;
        if (pl > bestLen) best = &s, bestLen = pl;
    }
    return best;
}

// AIs whose length is predefined by their first two digits need no FNC1 after them.
bool predefinedLength(std::string_view ai) {
    static const char* kFixed[] = {"00", "01", "02", "03", "04", "11", "12", "13",
                                   "14", "15", "16", "17", "18", "19", "20", "31",
                                   "32", "33", "34", "35", "36", "41"};
    for (const char* f : kFixed)
        if (ai.compare(0, 2, f) == 0) return true;
    return false;
}

bool isCset82(char c) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c)) return true;
    return c != 0 && std::strchr("!\"%&'()*+,-./:;<=>?_", c) != nullptr;
}

bool isDateAi(std::string_view ai) {
    return ai == "11" || ai == "12" || ai == "13" || ai == "15" || ai == "16" || ai == "17";
}

}  // namespace

std::size_t gs1AiLength(std::string_view data) {
    const AiSpec* s = findAi(data);
    return s ? s->aiLen : 0;
}

Status checkAiValue(std::string_view ai, std::string_view value) {
    const AiSpec* s = findAi(ai);
    if (!s || s->aiLen != ai.size()) return unrecognised("unknown GS1 AI " + showText(ai));
    std::string name = "AI " + std::string(ai);
    if (value.size() < s->minLen || value.size() > s->maxLen) {
        std::string range = s->minLen == s->maxLen
                                ? "exactly " + std::to_string(s->maxLen)
                                : std::to_string(s->minLen) + " to " + std::to_string(s->maxLen);
        return unrecognised(name + " value has " + std::to_string(value.size()) +
                            " characters; expected " + range);
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (s->numeric ? !isDigit(c) : !isCset82(c))
            return unrecognised(
                name + " value has " +
                std::string(s->numeric ? "non-digit" : "character outside GS1 set 82") + " " +
                showText(value.substr(i, 1)) + " at position " + std::to_string(i));
    }
    if (isDateAi(ai)) {
        int month = (value[2] - '0') * 10 + (value[3] - '0');
        int day = (value[4] - '0') * 10 + (value[5] - '0');
        if (month < 1 || month > 12 || day > 31)
            return unrecognised(name + " date " + showText(value) + " is not a valid YYMMDD");
    }
    return {};
}

namespace {

// Stores one element (already checked) into the parsed payload.
Status storeElement(ParsedPayload& out, std::string_view ai, std::string_view value,
                    const PayloadRules& rules) {
    if (ai == "01") return setGtin(out, value, "AI 01");
    if (ai == "10") {
        out.batch = std::string(value);
        return {};
    }
    if (ai == "21") {
        out.serial = std::string(value);
        return {};
    }
    if (ai == "7230") return setCertReference(out, value, rules);
    out.attributes.emplace(std::string(ai), std::string(value));
    return {};
}

// Checks one element, refuses a repeated AI, and stores it.
Status addElement(ParsedPayload& out, std::string_view ai, std::string_view value,
                  const PayloadRules& rules, std::vector<std::string_view>& seen) {
    if (auto st = checkAiValue(ai, value); !st) return st;
    for (std::string_view s : seen)
        if (s == ai) return unrecognised("GS1 element string repeats AI " + std::string(ai));
    seen.push_back(ai);
    return storeElement(out, ai, value, rules);
}

// "(01)09501101530003(21)SN1": the start of the next "(AI)" after `from`, or npos.
std::size_t nextHriAi(std::string_view text, std::size_t from) {
    for (std::size_t p = text.find('(', from); p != std::string_view::npos;
         p = text.find('(', p + 1)) {
        std::size_t close = text.find(')', p);
        if (close == std::string_view::npos) return std::string_view::npos;
        std::string_view ai = text.substr(p + 1, close - p - 1);
        if (allDigits(ai) && gs1AiLength(ai) == ai.size()) return p;
    }
    return std::string_view::npos;
}

}  // namespace

Status parseHriElementString(ParsedPayload& out, std::string_view text, const PayloadRules& rules) {
    out.kind = PayloadKind::Gs1ElementString;
    std::vector<std::string_view> seen;
    seen.reserve(8);
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t close = text.find(')', pos);
        std::string_view ai = close == std::string_view::npos
                                  ? std::string_view()
                                  : text.substr(pos + 1, close - pos - 1);
        if (text[pos] != '(' || !allDigits(ai) || gs1AiLength(ai) != ai.size())
            return unrecognised("GS1 human-readable element string has no known '(AI)' at byte " +
                                std::to_string(pos) + " (" + showText(text.substr(pos, 6)) + ")");
        std::size_t next = nextHriAi(text, close + 1);
        if (next == std::string_view::npos) next = text.size();
        std::string_view value = text.substr(close + 1, next - close - 1);
        if (auto st = addElement(out, ai, value, rules, seen); !st) return st;
        pos = next;
    }
    if (out.gtin.empty()) return unrecognised("GS1 element string has no GTIN (AI 01)");
    return {};
}

Status parseElementString(ParsedPayload& out, std::string_view text, const PayloadRules& rules) {
    constexpr char GS = 29;
    out.kind = PayloadKind::Gs1ElementString;
    std::size_t pos = 0;
    if (!text.empty() && text[0] == GS) pos = 1;  // leading FNC1 as transmitted by some readers
    if (pos >= text.size()) return unrecognised("GS1 element string is empty");
    std::vector<std::string_view> seen;
    seen.reserve(8);
    while (pos < text.size()) {
        std::string_view rest = text.substr(pos);
        const AiSpec* spec = findAi(rest);
        if (!spec)
            return unrecognised("GS1 element string has no known Application Identifier at byte " +
                                std::to_string(pos) + " (" + showText(rest.substr(0, 4)) + ")");
        std::string_view ai = rest.substr(0, spec->aiLen);
        std::size_t start = pos + spec->aiLen;
        std::size_t end;
        if (predefinedLength(ai)) {
            end = start + spec->maxLen;
            if (end > text.size())
                return unrecognised("GS1 element string truncated: AI " + std::string(ai) +
                                    " needs " + std::to_string(spec->maxLen) + " characters, " +
                                    std::to_string(text.size() - start) + " left");
        } else {
            end = text.find(GS, start);
            if (end == std::string_view::npos) end = text.size();
            if (end - start > spec->maxLen)
                return unrecognised("GS1 AI " + std::string(ai) + " value has " +
                                    std::to_string(end - start) + " characters; at most " +
                                    std::to_string(spec->maxLen) +
                                    " allowed (missing FNC1/GS separator?)");
        }
        std::string_view value = text.substr(start, end - start);
        if (value.find(GS) != std::string_view::npos)
            return unrecognised("GS1 AI " + std::string(ai) + " value contains a GS separator");
        if (auto st = addElement(out, ai, value, rules, seen); !st) return st;
        pos = end;
        if (pos < text.size() && text[pos] == GS) ++pos;
    }
    if (out.gtin.empty()) return unrecognised("GS1 element string has no GTIN (AI 01)");
    return {};
}

}  // namespace detail
}  // namespace mengscan::sync
