#include "mengscan/base64url.hpp"

namespace mengscan::base64url {

int digitValue(char c, Alphabet alphabet) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    if (alphabet == Alphabet::UrlOrStandard) {
        if (c == '+') return 62;
        if (c == '/') return 63;
    }
    return -1;
}

std::string encode(const uint8_t* data, std::size_t size) {
    static const char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((size * 4 + 2) / 3);
    uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < size; ++i) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kDigits[(buffer >> bits) & 63]);
        }
    }
    if (bits > 0) out.push_back(kDigits[(buffer << (6 - bits)) & 63]);
    return out;
}

DecodeResult decode(std::string_view text, Alphabet alphabet, bool canonical) {
    DecodeResult result;
    result.bytes.reserve(text.size() * 3 / 4);
    uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const int value = digitValue(text[i], alphabet);
        if (value < 0) {
            result.problem = DecodeProblem::BadCharacter;
            result.offset = i;
            return result;
        }
        buffer = (buffer << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            result.bytes.push_back(static_cast<uint8_t>((buffer >> bits) & 0xff));
        }
    }
    if (bits >= 6) {
        result.problem = DecodeProblem::BadLength;  // one dangling character
    } else if (canonical && bits > 0 && (buffer & ((1u << bits) - 1)) != 0) {
        result.problem = DecodeProblem::TrailingBits;
    }
    return result;
}

}  // namespace mengscan::base64url
