#include "mengscan/sync/signature.hpp"
#include "mengscan/base64url.hpp"

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
    auto decoded = base64url::decode(text, base64url::Alphabet::UrlOrStandard, false);
    if (decoded.problem == base64url::DecodeProblem::BadCharacter) {
        return makeUnexpected(ErrorCategory::Crypto, "bad_base64",
                              "invalid base64 character at offset " +
                                  std::to_string(decoded.offset));
    }
    if (!decoded.ok()) {
        return makeUnexpected(
            ErrorCategory::Crypto, "bad_base64",
            "base64 text of " + std::to_string(text.size()) + " characters cannot be complete");
    }
    return std::move(decoded.bytes);
}

std::string encodeBase64Url(const std::vector<uint8_t>& bytes) { return base64url::encode(bytes); }

}  // namespace mengscan::sync
