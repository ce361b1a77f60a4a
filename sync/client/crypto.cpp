#include "mengscan/sync/client/crypto.hpp"
#include "mengscan/base64url.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace mengscan::sync::client {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

Unexpected cryptoError(const std::string& code, const std::string& message) {
    return makeUnexpected(ErrorCategory::Crypto, code, message);
}

std::string toHex(const unsigned char* data, size_t size) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (size_t i = 0; i < size; ++i) {
        out.push_back(digits[data[i] >> 4]);
        out.push_back(digits[data[i] & 15]);
    }
    return out;
}

Expected<std::string> readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeUnexpected(ErrorCategory::Io, "file_not_found", "cannot open " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Expected<Ed25519PublicKey> rawPublicKey(EVP_PKEY* pkey) {
    Ed25519PublicKey key;
    size_t len = key.raw.size();
    if (EVP_PKEY_get_raw_public_key(pkey, key.raw.data(), &len) != 1 || len != key.raw.size()) {
        return cryptoError("key_unreadable", "cannot read the raw Ed25519 public key");
    }
    return key;
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
    return toHex(digest, size);
}

Expected<std::string> sha256FileHex(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) return makeUnexpected(ErrorCategory::Io, "file_not_found", "cannot open " + path);
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    std::vector<char> buffer(1 << 16);
    size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), file)) > 0) {
        EVP_DigestUpdate(ctx.get(), buffer.data(), n);
    }
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) return makeUnexpected(ErrorCategory::Io, "read_failed", "cannot read " + path);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &size);
    return toHex(digest, size);
}

std::string base64UrlEncode(std::string_view bytes) { return base64url::encode(bytes); }

Expected<std::string> base64UrlDecode(std::string_view text) {
    auto decoded = base64url::decode(text, base64url::Alphabet::UrlOnly, true);
    if (decoded.problem == base64url::DecodeProblem::BadCharacter)
        return cryptoError("base64_invalid", "not base64url (no padding allowed)");
    // Leftover bits must be zero padding of the last character (canonical encoding only).
    if (!decoded.ok())
        return cryptoError("base64_invalid", "base64url text has a bad length or trailing bits");
    return std::string(decoded.bytes.begin(), decoded.bytes.end());
}

std::string Ed25519PublicKey::keyId() const {
    return sha256Hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()))
        .substr(0, 16);
}

Expected<Ed25519PublicKey> parsePublicKeyPem(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!pkey) return cryptoError("key_unreadable", "not a PEM public key");
    if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
        return cryptoError("key_wrong_type", "the public key is not Ed25519");
    }
    return rawPublicKey(pkey.get());
}

Expected<Ed25519PublicKey> loadPublicKeyPem(const std::string& path) {
    auto text = readWholeFile(path);
    if (!text) return Unexpected(text.error());
    auto key = parsePublicKeyPem(*text);
    if (!key) return cryptoError(key.error().code, key.error().message + ": " + path);
    return key;
}

std::string publicKeyPem(const Ed25519PublicKey& key) {
    PkeyPtr pkey(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.raw.data(), key.raw.size()));
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(bio.get(), pkey.get());
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

bool ed25519Verify(const Ed25519PublicKey& key, std::string_view message,
                   std::string_view signature) {
    if (signature.size() != 64) return false;
    PkeyPtr pkey(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.raw.data(), key.raw.size()));
    if (!pkey) return false;
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

struct Ed25519Signer::Key {
    PkeyPtr pkey;
};

Ed25519Signer::Ed25519Signer(std::unique_ptr<Key> key, Ed25519PublicKey pub)
    : key_(std::move(key)), publicKey_(pub) {}
Ed25519Signer::Ed25519Signer(Ed25519Signer&&) noexcept = default;
Ed25519Signer& Ed25519Signer::operator=(Ed25519Signer&&) noexcept = default;
Ed25519Signer::~Ed25519Signer() = default;

Expected<Ed25519Signer> Ed25519Signer::generate() {
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!pkey) return cryptoError("keygen_failed", "cannot generate an Ed25519 key");
    auto pub = rawPublicKey(pkey.get());
    if (!pub) return Unexpected(pub.error());
    auto key = std::make_unique<Key>();
    key->pkey = std::move(pkey);
    return Ed25519Signer(std::move(key), *pub);
}

Expected<Ed25519Signer> Ed25519Signer::fromPem(std::string_view pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!pkey) return cryptoError("key_unreadable", "not a PEM private key");
    if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
        return cryptoError("key_wrong_type", "the private key is not Ed25519");
    }
    auto pub = rawPublicKey(pkey.get());
    if (!pub) return Unexpected(pub.error());
    auto key = std::make_unique<Key>();
    key->pkey = std::move(pkey);
    return Ed25519Signer(std::move(key), *pub);
}

Expected<Ed25519Signer> Ed25519Signer::loadPem(const std::string& path) {
    auto text = readWholeFile(path);
    if (!text) return Unexpected(text.error());
    auto signer = fromPem(*text);
    if (!signer) return cryptoError(signer.error().code, signer.error().message + ": " + path);
    return signer;
}

std::string Ed25519Signer::privateKeyPem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key_->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

Expected<std::string> Ed25519Signer::sign(std::string_view message) const {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_->pkey.get()) != 1) {
        return cryptoError("sign_failed", "cannot initialise Ed25519 signing");
    }
    std::string signature(64, '\0');
    size_t size = signature.size();
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        size != 64) {
        return cryptoError("sign_failed", "Ed25519 signing failed");
    }
    return signature;
}

}  // namespace mengscan::sync::client
