// The signature rule against a real cache: keys by id, body and validity dates.
#include <doctest/doctest.h>

#include "verify_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using test::reasonNames;
using test::signedTraceUrl;
using test::traceUrl;
using Names = std::vector<std::string>;

namespace {
const std::string kCert = "0021-MZB-24-00057";
const std::string kCode = "002124583920175534";
}  // namespace

TEST_CASE("a correctly signed label is genuine; a forged signature is invalid") {
    test::VerifyFixture fx;
    CHECK(test::cls(fx.verifyText(signedTraceUrl(kCert, kCode, "0021-k1", fx.key0021))) ==
          "genuine");

    // Signed by somebody else's key but claiming 0021-k1.
    auto forged = fx.verifyText(signedTraceUrl(kCert, kCode, "0021-k1", fx.key0150));
    CHECK(test::cls(forged) == "invalid");
    CHECK(reasonNames(forged) == Names{"signature_invalid"});

    // A genuine signature copied onto another item code.
    const std::string copied = traceUrl(kCert, "002124583920175536") +
                               "?k=0021-k1&s=" + fx.key0021.signText(kCert + "|" + kCode);
    auto v = fx.verifyText(copied);
    CHECK(v.has(ReasonCode::SignatureInvalid));
    CHECK(test::cls(v) == "invalid");
}

TEST_CASE("an unknown key id, another body's key or a key outside its dates cannot vouch") {
    test::VerifyFixture fx;
    auto unknown = fx.verifyText(signedTraceUrl(kCert, kCode, "0021-k9", fx.key0021));
    CHECK(test::cls(unknown) == "suspect");
    CHECK(reasonNames(unknown) == Names{"signature_key_unknown"});

    // 0150's key, correctly signing, but the certificate belongs to 0021.
    auto otherBody = fx.verifyText(signedTraceUrl(kCert, kCode, "0150-k1", fx.key0150));
    REQUIRE(reasonNames(otherBody) == Names{"signature_key_unknown"});
    CHECK(otherBody.reasons[0].detail.find("0150") != std::string::npos);

    auto expired = fx.verifyText(signedTraceUrl(kCert, kCode, "0021-old", fx.keyOld));
    REQUIRE(reasonNames(expired) == Names{"signature_key_unknown"});
    CHECK(expired.reasons[0].detail.find("2023-12-31") != std::string::npos);

    auto future = fx.verifyText(signedTraceUrl(kCert, kCode, "0021-next", fx.keyNext));
    CHECK(reasonNames(future) == Names{"signature_key_unknown"});

    // The same key is fine once inside its validity.
    fx.clock.set(test::unixTime("2023-06-01T00:00:00Z"));
    fx.setUpdatedAt(test::unixTime("2023-06-01T00:00:00Z") - 60);
    auto inside = fx.verifyText(signedTraceUrl(kCert, kCode, "0021-old", fx.keyOld));
    CHECK_FALSE(inside.has(ReasonCode::SignatureKeyUnknown));
    CHECK_FALSE(inside.has(ReasonCode::SignatureInvalid));
}

TEST_CASE("unsigned labels pass unless signatures are required") {
    test::VerifyFixture fx;
    CHECK(test::cls(fx.verifyText(traceUrl(kCert, kCode))) == "genuine");
    VerifyOptions strict;
    strict.requireSignature = true;
    auto v = fx.verifyText(traceUrl(kCert, kCode), {}, strict);
    CHECK(test::cls(v) == "invalid");
    CHECK(reasonNames(v) == Names{"signature_invalid"});
    CHECK(test::cls(fx.verifyText(signedTraceUrl(kCert, kCode, "0021-k1", fx.key0021), {},
                                  strict)) == "genuine");
}

TEST_CASE("a signed GS1 Digital Link signs the serial") {
    test::VerifyFixture fx;
    const std::string base = "https://id.gs1.org/01/06901234567892/21/SN0042?7230=MZ" + kCert;
    const std::string good = base + "&k=0021-k1&s=" + fx.key0021.signText(kCert + "|SN0042");
    const std::string bad = base + "&k=0021-k1&s=" + fx.key0021.signText(kCert + "|SN0043");
    CHECK(test::cls(fx.verifyText(good)) == "genuine");
    CHECK(reasonNames(fx.verifyText(bad)) == Names{"signature_invalid"});
}

TEST_CASE("the verifier keeps one key object per key across verifications") {
    test::VerifyFixture fx;
    auto verifier = fx.verifier();
    for (int i = 0; i < 5; ++i) {
        CHECK(test::cls(verifier->verifyText(
                  signedTraceUrl(kCert, kCode, "0021-k1", fx.key0021))) == "genuine");
    }
    CHECK(verifier->signatures().cachedKeys() == 1);
}
