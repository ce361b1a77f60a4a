#include "mengscan/sync/signature.hpp"

#include <openssl/evp.h>

#include <map>
#include <mutex>
#include <string>

namespace mengscan::sync {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// Cached keys are bounded: a hostile cache or payload stream cannot grow memory forever.
constexpr std::size_t kMaxCachedKeys = 4096;

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
}

}  // namespace

struct SignatureVerifier::Impl {
    bool cacheKeys = true;
    mutable std::mutex mutex;
    mutable std::map<std::string, PkeyPtr, std::less<>> keys;  // keyId + '\0' + key bytes
};

SignatureVerifier::SignatureVerifier(bool cacheKeys) : impl_(std::make_unique<Impl>()) {
    impl_->cacheKeys = cacheKeys;
}
SignatureVerifier::~SignatureVerifier() = default;

std::size_t SignatureVerifier::cachedKeys() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->keys.size();
}

Expected<SignatureCheck> SignatureVerifier::verify(std::string_view keyId,
                                                   const std::vector<uint8_t>& publicKey,
                                                   std::string_view message,
                                                   const std::vector<uint8_t>& signature) const {
    if (publicKey.size() != kEd25519PublicKeyBytes) {
        return makeUnexpected(ErrorCategory::Crypto, "bad_public_key",
                              "key '" + std::string(keyId) + "' has " +
                                  std::to_string(publicKey.size()) +
                                  " bytes, an Ed25519 public key has 32");
    }
    if (signature.size() != kEd25519SignatureBytes) return SignatureCheck::Invalid;

    PkeyPtr owned;
    EVP_PKEY* key = nullptr;
    std::unique_lock<std::mutex> lock(impl_->mutex);
    std::string cacheKey;
    if (impl_->cacheKeys) {
        cacheKey.reserve(keyId.size() + 1 + publicKey.size());
        cacheKey.append(keyId).push_back('\0');
        cacheKey.append(publicKey.begin(), publicKey.end());
        auto it = impl_->keys.find(cacheKey);
        if (it != impl_->keys.end()) key = it->second.get();
    }
    if (key == nullptr) {
        owned.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, publicKey.data(),
                                                publicKey.size()));
        if (!owned) {
            return makeUnexpected(
                ErrorCategory::Crypto, "bad_public_key",
                "key '" + std::string(keyId) + "' is not a valid Ed25519 public key");
        }
        key = owned.get();
        if (impl_->cacheKeys) {
            if (impl_->keys.size() >= kMaxCachedKeys) impl_->keys.clear();
            impl_->keys.emplace(std::move(cacheKey), std::move(owned));
        }
    }
    if (!impl_->cacheKeys) lock.unlock();

    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1) {
        return makeUnexpected(ErrorCategory::Crypto, "openssl_failure",
                              "EVP_DigestVerifyInit failed for key '" + std::string(keyId) + "'");
    }
    const int rc =
        EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                         reinterpret_cast<const unsigned char*>(message.data()), message.size());
    return rc == 1 ? SignatureCheck::Valid : SignatureCheck::Invalid;
}

Expected<std::vector<uint8_t>> decodeBase64Url(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1) {
        return makeUnexpected(
            ErrorCategory::Crypto, "bad_base64",
            "base64 text of " + std::to_string(text.size()) + " characters cannot be complete");
    }
    std::vector<uint8_t> out;
    out.reserve(text.size() * 3 / 4);
    uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const int value = base64Value(text[i]);
        if (value < 0) {
            return makeUnexpected(ErrorCategory::Crypto, "bad_base64",
                                  "invalid base64 character at offset " + std::to_string(i));
        }
        buffer = (buffer << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<uint8_t>((buffer >> bits) & 0xff));
        }
    }
    return out;
}

std::string encodeBase64Url(const std::vector<uint8_t>& bytes) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    uint32_t buffer = 0;
    int bits = 0;
    for (uint8_t b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(alphabet[(buffer >> bits) & 63]);
        }
    }
    if (bits > 0) out.push_back(alphabet[(buffer << (6 - bits)) & 63]);
    return out;
}

}  // namespace mengscan::sync
