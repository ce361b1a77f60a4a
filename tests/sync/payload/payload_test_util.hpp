// Helpers for the payload tests: base64url encoding of test signatures (the test side of
// the label generator's job) and a readable dump of a failed parse.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mengscan/sync/payload.hpp"

namespace mengscan::test {

inline std::string base64Url(const std::vector<uint8_t>& bytes) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (uint8_t b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += abc[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += abc[(acc << (6 - bits)) & 63];
    return out;
}

// 64 distinct bytes starting at `seed`, standing in for an Ed25519 signature.
inline std::vector<uint8_t> sampleSignature(uint8_t seed = 0) {
    std::vector<uint8_t> sig(64);
    for (int i = 0; i < 64; ++i) sig[i] = uint8_t(seed + i * 7);
    return sig;
}

}  // namespace mengscan::test
