#include "cache_values.hpp"
#include "mengscan/base64url.hpp"

#include "mengscan/sync/cache.hpp"

namespace mengscan::sync {

std::optional<int64_t> itemCodeKey(std::string_view code) {
    if (!cache_values::isDigits(code, 1, 18)) return std::nullopt;
    int64_t key = 1;  // the leading 1 keeps leading zeros and the digit count
    for (char c : code) key = key * 10 + (c - '0');
    return key;
}

std::string itemCodeFromKey(int64_t key) {
    std::string digits = std::to_string(key);
    return digits.size() > 1 ? digits.substr(1) : std::string();
}

}  // namespace mengscan::sync

namespace mengscan::sync::cache_values {
namespace {

bool digitsAt(std::string_view text, size_t pos, size_t count, int* value) {
    int v = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        v = v * 10 + (text[i] - '0');
    }
    *value = v;
    return true;
}

}  // namespace

bool isDigits(std::string_view text, size_t minLength, size_t maxLength) {
    if (text.size() < minLength || text.size() > maxLength) return false;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

bool isDate(std::string_view text) {
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    if (!digitsAt(text, 0, 4, &y) || !digitsAt(text, 5, 2, &m) || !digitsAt(text, 8, 2, &d)) {
        return false;
    }
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const int maxDay = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
    return d <= maxDay;
}

bool isTime(std::string_view text) {
    if (text.size() == 10) return isDate(text);
    if (text.size() < 20 || !isDate(text.substr(0, 10)) || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text.back() != 'Z') {
        return false;
    }
    int h = 0, mi = 0, s = 0;
    if (!digitsAt(text, 11, 2, &h) || !digitsAt(text, 14, 2, &mi) || !digitsAt(text, 17, 2, &s)) {
        return false;
    }
    if (h > 23 || mi > 59 || s > 60) return false;
    if (text.size() == 20) return true;
    // fractional seconds: ".d+" before the Z
    return text[19] == '.' && isDigits(text.substr(20, text.size() - 21), 1, 9);
}

bool isIdentifier(std::string_view text) {
    if (text.empty() || text.size() > 64) return false;
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) return false;
    }
    return true;
}

std::optional<std::string> gtin14(std::string_view digits) {
    const size_t n = digits.size();
    if (!isDigits(digits, 8, 14) || (n != 8 && n != 12 && n != 13 && n != 14)) {
        return std::nullopt;
    }
    std::string padded = std::string(14 - n, '0') + std::string(digits);
    // GS1 mod 10: weights 3,1,3,... from the right, check digit excluded.
    int sum = 0;
    for (int i = 12; i >= 0; --i) {
        const int weight = ((12 - i) % 2 == 0) ? 3 : 1;
        sum += (padded[i] - '0') * weight;
    }
    if ((10 - sum % 10) % 10 != padded[13] - '0') return std::nullopt;
    return padded;
}

std::optional<std::vector<uint8_t>> decodeBase64(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    auto decoded = base64url::decode(text, base64url::Alphabet::UrlOrStandard, false);
    if (!decoded.ok()) return std::nullopt;
    return std::move(decoded.bytes);
}

std::string encodeBase64Url(const std::vector<uint8_t>& bytes) { return base64url::encode(bytes); }

}  // namespace mengscan::sync::cache_values
