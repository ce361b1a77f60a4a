#include "mengscan/sync/signature.hpp"

#include <doctest/doctest.h>

#include "verify_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;

TEST_CASE("Ed25519: a valid signature verifies, any change does not") {
    const test::TestKey key(7), other(8);
    const std::string message = "0021-MZB-24-00057|002124583920175534";
    const auto signature = key.sign(message);
    REQUIRE(signature.size() == kEd25519SignatureBytes);
    SignatureVerifier verifier;

    auto ok = verifier.verify("k", key.publicKey(), message, signature);
    REQUIRE(ok);
    CHECK(*ok == SignatureCheck::Valid);

    auto otherMessage =
        verifier.verify("k", key.publicKey(), "0021-MZB-24-00057|002124583920175535", signature);
    REQUIRE(otherMessage);
    CHECK(*otherMessage == SignatureCheck::Invalid);

    auto tampered = signature;
    tampered[10] ^= 0x01;
    auto bad = verifier.verify("k", key.publicKey(), message, tampered);
    REQUIRE(bad);
    CHECK(*bad == SignatureCheck::Invalid);

    auto wrongKey = verifier.verify("o", other.publicKey(), message, signature);
    REQUIRE(wrongKey);
    CHECK(*wrongKey == SignatureCheck::Invalid);

    auto shortSig = verifier.verify("k", key.publicKey(), message,
                                    std::vector<uint8_t>(signature.begin(), signature.end() - 1));
    REQUIRE(shortSig);
    CHECK(*shortSig == SignatureCheck::Invalid);
}

TEST_CASE("Ed25519: malformed public keys are errors, not passes") {
    SignatureVerifier verifier;
    const test::TestKey key(7);
    const auto signature = key.sign("m");
    auto shortKey = verifier.verify("k", std::vector<uint8_t>(31, 1), "m", signature);
    REQUIRE_FALSE(shortKey);
    CHECK(shortKey.error().code == "bad_public_key");
    CHECK(std::string(toString(shortKey.error().category)) == "crypto");
}

TEST_CASE("Ed25519: key objects are cached per key id and key bytes") {
    const test::TestKey a(1), b(2);
    SignatureVerifier cached(true), uncached(false);
    for (int i = 0; i < 3; ++i) {
        CHECK(*cached.verify("a", a.publicKey(), "x", a.sign("x")) == SignatureCheck::Valid);
        CHECK(*uncached.verify("a", a.publicKey(), "x", a.sign("x")) == SignatureCheck::Valid);
    }
    CHECK(cached.cachedKeys() == 1);
    CHECK(uncached.cachedKeys() == 0);
    // Same key id, new key bytes (a rotated key): never verified with the old object.
    CHECK(*cached.verify("a", b.publicKey(), "x", a.sign("x")) == SignatureCheck::Invalid);
    CHECK(*cached.verify("a", b.publicKey(), "x", b.sign("x")) == SignatureCheck::Valid);
    CHECK(cached.cachedKeys() == 2);
}

TEST_CASE("base64url round trip and rejection of bad text") {
    std::vector<uint8_t> bytes;
    for (int n = 0; n < 70; ++n) {
        auto text = encodeBase64Url(bytes);
        CHECK(text.find('=') == std::string::npos);
        auto back = decodeBase64Url(text);
        REQUIRE(back);
        CHECK(*back == bytes);
        bytes.push_back(static_cast<uint8_t>(n * 37 + 5));
    }
    CHECK(encodeBase64Url({0xfb, 0xff}) == "-_8");
    CHECK(*decodeBase64Url("+/8=") == std::vector<uint8_t>{0xfb, 0xff});
    CHECK_FALSE(decodeBase64Url("ab!d"));
    CHECK_FALSE(decodeBase64Url("abcde"));
}
