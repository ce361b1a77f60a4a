// Hashes, base64url and Ed25519 for the sync protocol (OpenSSL 3). Shared by the sync
// client (verifies) and the reference registry (signs), so both speak the same bytes.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mengscan/expected.hpp"

namespace mengscan::sync::client {

// Lower-case hex SHA-256 of the bytes.
std::string sha256Hex(std::string_view bytes);
// Lower-case hex SHA-256 of a whole file, read in chunks.
Expected<std::string> sha256FileHex(const std::string& path);

// RFC 4648 base64url without padding.
std::string base64UrlEncode(std::string_view bytes);
Expected<std::string> base64UrlDecode(std::string_view text);

struct Ed25519PublicKey {
    std::array<uint8_t, 32> raw{};
    // First 16 hex digits of SHA-256 over the raw key: names the key in manifests.
    std::string keyId() const;
};

// "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo) holding an Ed25519 key.
Expected<Ed25519PublicKey> parsePublicKeyPem(std::string_view pem);
Expected<Ed25519PublicKey> loadPublicKeyPem(const std::string& path);
std::string publicKeyPem(const Ed25519PublicKey& key);

// True only when `signature` (64 bytes) is a valid Ed25519 signature of `message`.
bool ed25519Verify(const Ed25519PublicKey& key, std::string_view message,
                   std::string_view signature);

// A private signing key (the registry side).
class Ed25519Signer {
public:
    static Expected<Ed25519Signer> generate();
    static Expected<Ed25519Signer> fromPem(std::string_view pem);
    static Expected<Ed25519Signer> loadPem(const std::string& path);

    Ed25519Signer(Ed25519Signer&&) noexcept;
    Ed25519Signer& operator=(Ed25519Signer&&) noexcept;
    ~Ed25519Signer();

    const Ed25519PublicKey& publicKey() const { return publicKey_; }
    std::string privateKeyPem() const;                           // PKCS#8; keep it out of logs
    Expected<std::string> sign(std::string_view message) const;  // 64 bytes

private:
    struct Key;
    explicit Ed25519Signer(std::unique_ptr<Key> key, Ed25519PublicKey pub);
    std::unique_ptr<Key> key_;
    Ed25519PublicKey publicKey_;
};

}  // namespace mengscan::sync::client
