// Deterministic building blocks of the test-data generator: a seeded RNG whose output does
// not depend on the standard library, calendar arithmetic, Ed25519 keys and signatures
// (OpenSSL 3), base64url and GS1 check digits.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mengscan::gencache {

// xoshiro256** seeded through splitmix64: same seed, same numbers, on every platform.
class Rng {
public:
    explicit Rng(uint64_t seed);
    uint64_t next();
    // Uniform in [0, n) (n > 0); the tiny modulo bias does not matter for test data.
    uint64_t below(uint64_t n) { return next() % n; }
    int range(int lo, int hi) {
        return lo + static_cast<int>(below(static_cast<uint64_t>(hi - lo + 1)));
    }
    bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

private:
    uint64_t s_[4];
};

// Days since 1970-01-01 <-> "YYYY-MM-DD".
int64_t daysFromDate(const std::string& date);  // -1 when not a date
std::string dateFromDays(int64_t days);
std::string isoTime(int64_t days, int secondsOfDay = 0);  // "YYYY-MM-DDTHH:MM:SSZ"

struct Ed25519Key {
    std::array<uint8_t, 32> privateSeed{};
    std::vector<uint8_t> publicKey;
};
// Deterministic key from 32 bytes of the RNG. Throws std::runtime_error if OpenSSL fails.
Ed25519Key makeKey(Rng& rng);
std::vector<uint8_t> sign(const Ed25519Key& key, const std::string& message);

std::string base64Url(const std::vector<uint8_t>& bytes);
std::string base64Url(const std::array<uint8_t, 32>& bytes);
// The GS1 mod-10 check digit for `digits` (without the check digit).
char gs1CheckDigit(const std::string& digits);

// JSON string literal with escapes (output stays byte-identical across runs).
std::string jsonString(const std::string& text);

}  // namespace mengscan::gencache
