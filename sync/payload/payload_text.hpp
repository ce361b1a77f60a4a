// Byte-level helpers for payload parsing: UTF-8 and control-character checks, percent and
// base64url decoding, and quoting of untrusted text inside error messages. Internal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::sync::detail {

inline bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
inline bool allDigits(std::string_view s) {
    for (char c : s)
        if (!isDigit(c)) return false;
    return !s.empty();
}
inline char asciiLower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
bool equalsIgnoreCase(std::string_view a, std::string_view b);

// The Payload/payload_unrecognised error every parser returns.
Unexpected unrecognised(std::string message);

// Untrusted text for an error message: at most `maxChars` bytes, control and non-ASCII
// bytes as \xNN, so messages stay one printable line whatever the payload held.
std::string showText(std::string_view text, std::size_t maxChars = 40);

// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF) and no C0/C1
// control characters except those in `allowedControls`. Returns an error naming the byte.
Status checkText(std::string_view text, std::string_view what, std::string_view allowedControls);

// %XX decoding; a malformed escape is an error. The result is checked with checkText.
Expected<std::string> percentDecode(std::string_view text, std::string_view what);

// base64url without padding; the exact decoded size is required.
Expected<std::vector<uint8_t>> base64UrlDecode(std::string_view text, std::size_t expectedBytes);

}  // namespace mengscan::sync::detail
