// base64url (RFC 4648 §5) without padding: label signatures, key files, manifests.
// One implementation; each caller words its own errors from DecodeResult.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mengscan::base64url {

enum class Alphabet {
    UrlOnly,        // '-' and '_' only (labels, protocol)
    UrlOrStandard,  // also '+' and '/' (hand-written key files)
};

// 0..63 for a character of the alphabet, -1 otherwise.
int digitValue(char c, Alphabet alphabet = Alphabet::UrlOnly);

std::string encode(const uint8_t* data, std::size_t size);
inline std::string encode(const std::vector<uint8_t>& bytes) {
    return encode(bytes.data(), bytes.size());
}
inline std::string encode(std::string_view bytes) {
    return encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

enum class DecodeProblem { None, BadCharacter, BadLength, TrailingBits };

struct DecodeResult {
    std::vector<uint8_t> bytes;
    DecodeProblem problem = DecodeProblem::None;
    std::size_t offset = 0;  // of the bad character
    bool ok() const { return problem == DecodeProblem::None; }
};

// Decodes unpadded text (strip '=' first where padding is tolerated). `canonical` also
// requires the unused low bits of the last character to be zero.
DecodeResult decode(std::string_view text, Alphabet alphabet, bool canonical);

}  // namespace mengscan::base64url
