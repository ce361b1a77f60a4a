// Calendar arithmetic for certificate and key dates ("YYYY-MM-DD", inclusive) and cache
// times ("YYYY-MM-DDTHH:MM:SSZ"), without the C library's time-zone state.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mengscan::sync::verify {

// Days since 1970-01-01 of a proleptic Gregorian date; nullopt unless "YYYY-MM-DD" is a
// real date.
std::optional<int64_t> daysFromDate(std::string_view date);
// Unix seconds of "YYYY-MM-DDTHH:MM:SS" with optional ".fff" and "Z" (UTC), or a bare
// date (midnight UTC).
std::optional<int64_t> unixFromIsoTime(std::string_view text);
// The calendar day (days since 1970-01-01) at `unixSeconds` in a zone `utcOffset` ahead.
int64_t dayAt(int64_t unixSeconds, int64_t utcOffsetSeconds);

}  // namespace mengscan::sync::verify
