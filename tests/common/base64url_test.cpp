#include <doctest/doctest.h>

#include "mengscan/base64url.hpp"

using namespace mengscan;

TEST_CASE("base64url round-trips every length without padding") {
    std::vector<uint8_t> bytes;
    for (int n = 0; n < 70; ++n) {
        const std::string text = base64url::encode(bytes);
        CHECK(text.find('=') == std::string::npos);
        CHECK(text.size() == (bytes.size() * 8 + 5) / 6);
        const auto decoded = base64url::decode(text, base64url::Alphabet::UrlOnly, true);
        REQUIRE(decoded.ok());
        CHECK(decoded.bytes == bytes);
        bytes.push_back(static_cast<uint8_t>(n * 37 + 11));
    }
    CHECK(base64url::encode(std::string_view("\xfb\xff")) == "-_8");
}

TEST_CASE("base64url decoding reports the problem and where") {
    auto bad = base64url::decode("ab+c", base64url::Alphabet::UrlOnly, true);
    CHECK(bad.problem == base64url::DecodeProblem::BadCharacter);
    CHECK(bad.offset == 2);
    CHECK(base64url::decode("ab+c", base64url::Alphabet::UrlOrStandard, true).ok());
    CHECK(base64url::decode("abcde", base64url::Alphabet::UrlOnly, true).problem ==
          base64url::DecodeProblem::BadLength);
    // "-_9": the last character carries non-zero unused bits.
    CHECK(base64url::decode("-_9", base64url::Alphabet::UrlOnly, true).problem ==
          base64url::DecodeProblem::TrailingBits);
    CHECK(base64url::decode("-_9", base64url::Alphabet::UrlOnly, false).ok());
}
