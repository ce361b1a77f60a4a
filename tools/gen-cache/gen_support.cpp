#include "gen_support.hpp"
#include "mengscan/base64url.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace mengscan::gencache {
namespace {

uint64_t splitmix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

PkeyPtr privateKey(const Ed25519Key& key) {
    return PkeyPtr(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.privateSeed.data(),
                                                key.privateSeed.size()),
                   EVP_PKEY_free);
}

}  // namespace

Rng::Rng(uint64_t seed) {
    for (auto& s : s_) s = splitmix(seed);
}

uint64_t Rng::next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t daysFromDate(const std::string& date) {
    int y = 0, m = 0, d = 0;
    if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return -1;
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::string dateFromDays(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                  static_cast<int>(d));
    return text;
}

std::string isoTime(int64_t days, int secondsOfDay) {
    char text[32];
    std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", secondsOfDay / 3600,
                  secondsOfDay / 60 % 60, secondsOfDay % 60);
    return dateFromDays(days) + text;
}

Ed25519Key makeKey(Rng& rng) {
    Ed25519Key key;
    for (auto& b : key.privateSeed) b = static_cast<uint8_t>(rng.next() >> 56);
    auto pkey = privateKey(key);
    size_t length = 32;
    key.publicKey.resize(32);
    if (!pkey || EVP_PKEY_get_raw_public_key(pkey.get(), key.publicKey.data(), &length) != 1) {
        throw std::runtime_error("OpenSSL could not build an Ed25519 key");
    }
    return key;
}

std::vector<uint8_t> sign(const Ed25519Key& key, const std::string& message) {
    auto pkey = privateKey(key);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::vector<uint8_t> signature(64);
    size_t length = signature.size();
    if (!pkey || !ctx ||
        EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
        EVP_DigestSign(ctx.get(), signature.data(), &length,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
        throw std::runtime_error("OpenSSL could not sign");
    }
    return signature;
}

std::string base64Url(const std::vector<uint8_t>& bytes) { return base64url::encode(bytes); }

std::string base64Url(const std::array<uint8_t, 32>& bytes) {
    return base64Url(std::vector<uint8_t>(bytes.begin(), bytes.end()));
}

char gs1CheckDigit(const std::string& digits) {
    int sum = 0;
    for (size_t i = 0; i < digits.size(); ++i) {
        const int weight = (digits.size() - i) % 2 == 1 ? 3 : 1;  // rightmost gets 3
        sum += (digits[i] - '0') * weight;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string jsonString(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            out += esc;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

}  // namespace mengscan::gencache
