#include "calendar.hpp"

namespace mengscan::sync::verify {
namespace {

// Howard Hinnant's days_from_civil.
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool isLeap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Reads exactly `count` digits at `pos`; -1 when any is not a digit.
int64_t digits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return -1;
    int64_t value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

int64_t floorDiv(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::optional<int64_t> daysFromDate(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
    const int64_t y = digits(date, 0, 4), m = digits(date, 5, 2), d = digits(date, 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1) return std::nullopt;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int64_t monthDays = kDays[m - 1] + (m == 2 && isLeap(y) ? 1 : 0);
    if (d > monthDays) return std::nullopt;
    return daysFromCivil(y, m, d);
}

std::optional<int64_t> unixFromIsoTime(std::string_view text) {
    const auto days = daysFromDate(text.substr(0, 10));
    if (!days) return std::nullopt;
    if (text.size() == 10) return *days * 86400;
    if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
        text[16] != ':') {
        return std::nullopt;
    }
    const int64_t h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return std::nullopt;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    }
    if (pos < text.size() && text[pos] == 'Z') ++pos;
    if (pos != text.size()) return std::nullopt;
    return *days * 86400 + h * 3600 + mi * 60 + s;
}

int64_t dayAt(int64_t unixSeconds, int64_t utcOffsetSeconds) {
    return floorDiv(unixSeconds + utcOffsetSeconds, 86400);
}

}  // namespace mengscan::sync::verify
