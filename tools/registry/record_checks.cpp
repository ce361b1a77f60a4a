#include "record_checks.hpp"

#include "mengscan/sync/client/crypto.hpp"

namespace mengscan::registry {
namespace {

int number(std::string_view text, size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
}

bool digitsAt(std::string_view text, size_t pos, size_t len) {
    return isDigits(text.substr(pos, len), len, len);
}

}  // namespace

bool isDigits(std::string_view text, size_t minLen, size_t maxLen) {
    if (text.size() < minLen || text.size() > maxLen) return false;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

bool isDate(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
    if (!digitsAt(t, 0, 4) || !digitsAt(t, 5, 2) || !digitsAt(t, 8, 2)) return false;
    const int year = number(t, 0, 4), month = number(t, 5, 2), day = number(t, 8, 2);
    if (month < 1 || month > 12 || day < 1) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool isIsoTime(std::string_view t) {
    if (t.size() != 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') {
        return false;
    }
    if (!isDate(t.substr(0, 10))) return false;
    if (!digitsAt(t, 11, 2) || !digitsAt(t, 14, 2) || !digitsAt(t, 17, 2)) return false;
    return number(t, 11, 2) < 24 && number(t, 14, 2) < 60 && number(t, 17, 2) < 61;
}

bool isStatus(std::string_view t) {
    return t == "valid" || t == "suspended" || t == "revoked" || t == "withdrawn" || t == "expired";
}

std::optional<std::string> gtin14(std::string_view d) {
    if (!(d.size() == 8 || d.size() == 12 || d.size() == 13 || d.size() == 14)) return std::nullopt;
    if (!isDigits(d, d.size(), d.size())) return std::nullopt;
    int sum = 0;
    for (size_t i = 0; i + 1 < d.size(); ++i) {
        const int digit = d[d.size() - 2 - i] - '0';
        sum += digit * (i % 2 == 0 ? 3 : 1);
    }
    if ((10 - sum % 10) % 10 != d.back() - '0') return std::nullopt;
    return std::string(14 - d.size(), '0') + std::string(d);
}

std::optional<std::string> normalisePublicKey(std::string_view text) {
    std::string t(text);
    while (!t.empty() && t.back() == '=') t.pop_back();
    for (char& c : t) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    auto raw = sync::client::base64UrlDecode(t);
    if (!raw || raw->size() != 32) return std::nullopt;
    return t;
}

}  // namespace mengscan::registry
