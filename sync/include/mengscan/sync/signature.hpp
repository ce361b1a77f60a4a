// Ed25519 label signatures (OpenSSL 3): a signature covers the UTF-8 bytes
// "<cert_no>|<item_code or serial>" and is checked against a certification body's public
// key. Building an EVP_PKEY from raw key bytes costs about as much as a verification, so
// the verifier keeps one per key (keyed by key id and key bytes, so a replaced key is never
// confused with the old one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::sync {

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;

enum class SignatureCheck {
    Valid,
    Invalid,  // wrong length or does not verify under this key
};

class SignatureVerifier {
public:
    // cacheKeys = false rebuilds the key object on every call (for benchmarks/comparison).
    explicit SignatureVerifier(bool cacheKeys = true);
    ~SignatureVerifier();
    SignatureVerifier(const SignatureVerifier&) = delete;
    SignatureVerifier& operator=(const SignatureVerifier&) = delete;

    // Crypto/bad_public_key when the key is not a 32-byte Ed25519 public key; otherwise
    // whether `signature` is valid for `message`. Thread-safe.
    Expected<SignatureCheck> verify(std::string_view keyId, const std::vector<uint8_t>& publicKey,
                                    std::string_view message,
                                    const std::vector<uint8_t>& signature) const;

    std::size_t cachedKeys() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// base64url (RFC 4648 §5) without padding, as in label payloads and key files.
// Standard base64 characters ('+', '/') and trailing '=' are accepted too.
Expected<std::vector<uint8_t>> decodeBase64Url(std::string_view text);
std::string encodeBase64Url(const std::vector<uint8_t>& bytes);

}  // namespace mengscan::sync
