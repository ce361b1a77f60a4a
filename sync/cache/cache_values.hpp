// Validation and encoding of the values stored in the cache: codes, dates, times, GTINs,
// keys. Shared by import, lookups and the test-data generator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mengscan::sync::cache_values {

bool isDigits(std::string_view text, size_t minLength, size_t maxLength);
// "YYYY-MM-DD", a real calendar date.
bool isDate(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS[.fff]Z" (UTC) or a plain date.
bool isTime(std::string_view text);
// Certificate numbers, key ids, flagged codes: 1-64 printable chars, no control chars.
bool isIdentifier(std::string_view text);
// GTIN-8/12/13/14 with a valid GS1 check digit, as GTIN-14; nullopt otherwise.
std::optional<std::string> gtin14(std::string_view digits);
// base64 / base64url, padding optional; nullopt on bad characters.
std::optional<std::vector<uint8_t>> decodeBase64(std::string_view text);
std::string encodeBase64Url(const std::vector<uint8_t>& bytes);

}  // namespace mengscan::sync::cache_values
