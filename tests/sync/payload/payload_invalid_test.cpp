// Invalid payloads, table-driven: each row gives the payload and a part of the precise
// message the Payload/payload_unrecognised error must carry.
#include <doctest/doctest.h>

#include "mengscan/sync/payload.hpp"
#include "payload_test_util.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using mengscan::test::base64Url;
using mengscan::test::sampleSignature;

namespace {

struct Bad {
    std::string payload;
    std::string messagePart;
};

void checkBad(const std::vector<Bad>& rows, const PayloadRules& rules = PayloadRules()) {
    for (const auto& row : rows) {
        CAPTURE(row.payload);
        auto p = parsePayload(row.payload, rules);
        REQUIRE_FALSE(p.hasValue());
        CHECK(std::string(toString(p.error().category)) == toString(ErrorCategory::Payload));
        CHECK(p.error().code == "payload_unrecognised");
        CAPTURE(p.error().message);
        CHECK(p.error().message.find(row.messagePart) != std::string::npos);
        // Messages stay one printable ASCII line whatever the payload held.
        for (char c : p.error().message) CHECK((c >= 0x20 && c < 0x7F));
    }
}

const std::string kCert = "0021-MZB-24-00057";
const std::string kItem = "002124583920175534";
const std::string kGtin = "09501101530003";
const std::string kTrace = "https://trace.mzb.example/t/";
const std::string kDl = "https://id.mzb.example/01/";
const char GS = 29;

}  // namespace

TEST_CASE("garbage, empty, over-long and control characters") {
    checkBad({
        {"", "payload is empty"},
        {"hello world", "is not a trace URL, GS1 Digital Link"},
        {std::string(1025, '1'), "1025 bytes, longer than the limit of 1024"},
        {kItem + "\n", "control character 0x0A at byte 18"},
        {std::string("0021\0"
                     "24583920175534",
                     19),
         "control character 0x00 at byte 4"},
        {kTrace + kCert + "/" + kItem + "\x7f", "control character 0x7F"},
        {"]Q3", "symbology identifier only"},
        {"\xff\xfe" + kItem, "not valid UTF-8: byte 0xFF at 0"},
        {"有机码" + std::string("\xe6\x9c"), "not valid UTF-8: truncated"},
        {"\xc0\xaf" + kItem, "not valid UTF-8"},              // overlong '/'
        {"\xed\xa0\x80" + kItem, "overlong or surrogate"},    // U+D800
        {"\xc2\x85" + kItem, "C1 control character U+0085"},  // NEL
        {std::string(1, GS), "GS1 element string is empty"},
    });
}

TEST_CASE("item codes: wrong length, letters, missing after prefix") {
    checkBad({
        {"0021245839201755", "item code has 16 digits; expected 17 or 18"},
        {"0021245839201755341", "item code has 19 digits; expected 17 or 18"},
        {"有机码", "item code missing after prefix"},
        {"有机码：", "item code missing after prefix"},
        {"有机码00212458392017553X", "is not all digits"},
        {"0021 2458 3920 1755 34", "is not all digits"},
        {"有机码::" + kItem, "is not all digits"},
    });
    PayloadRules only18;
    only18.acceptItemCode17 = false;
    checkBad({{"02124583920175534", "item code has 17 digits; expected 18"}}, only18);
}

TEST_CASE("trace URLs: scheme, host, path, certificate, signature") {
    std::string good = kTrace + kCert + "/" + kItem;
    checkBad({
        {"http://trace.mzb.example/t/" + kCert + "/" + kItem, "scheme 'http' is not accepted"},
        {"javascript:alert(1)", "scheme 'javascript' is not accepted"},
        {"data:text/html,<script>", "scheme 'data' is not accepted"},
        {"file:///etc/passwd", "scheme 'file' is not accepted"},
        {"https:trace.mzb.example/t/x", "no '//' after the scheme"},
        {"https://evil.example/t/" + kCert + "/" + kItem, "host 'evil.example' is not an accepted"},
        {"https://trace.mzb.example.evil.example/t/" + kCert + "/" + kItem, "is not an accepted"},
        {"https://user@trace.mzb.example/t/" + kCert + "/" + kItem, "user information"},
        {"https://trace.mzb.example:https/t/" + kCert, "port 'https' is not a number"},
        {"https://tr ace.mzb.example/t/", "has character ' '"},
        {"https:///t/" + kCert + "/" + kItem, "host is empty"},
        {kTrace + kCert, "matches no trace path pattern (/t/{cert_no}/{item_code})"},
        {kTrace + kCert + "/" + kItem + "/extra", "matches no trace path pattern"},
        {"https://trace.mzb.example/x/" + kCert + "/" + kItem, "matches no trace path pattern"},
        {kTrace + "0021-MZB-24-0005/" + kItem, "expected 5 digits at position 12, found 4"},
        {kTrace + "0021-MZC-24-00057/" + kItem, "expected '-MZB-' at position 4"},
        {kTrace + "0021-MZB-24-000570/" + kItem, "unexpected '0' after position 17"},
        {kTrace + kCert + "/" + kItem.substr(1, 15), "item code has 15 digits"},
        {kTrace + kCert + "//" + kItem, "empty segment"},
        {kTrace + kCert + "/%zz" + kItem, "malformed percent escape at '%zz'"},
        {kTrace + kCert + "/" + kItem + "%", "malformed percent escape"},
        {kTrace + kCert + "/%00" + kItem, "control character 0x00"},
        {kTrace + kCert + "/%C0%AF", "not valid UTF-8"},
        {kTrace + "javascript:alert(1)/" + kItem, "does not match format"},
        {kTrace + "https:%2F%2Fevil.example/" + kItem, "does not match format"},
        {good + "?s=abc", "signature has 3 characters; expected 86"},
        {good + "?s=" + base64Url(sampleSignature()) + "==", "'=' padding"},
        {good + "?s=" + base64Url(sampleSignature()).substr(1) + "+", "not base64url"},
        {good + "?k=bad%20key", "may only use letters"},
        {good + "?k=", "key id (k) must have 1 to 64 characters"},
        {good + "?k=a&k=b", "query key 'k' is repeated"},
        {good + "?flag", "is not key=value"},
    });
}

TEST_CASE("GS1 Digital Links: GTIN, qualifiers, AIs") {
    checkBad({
        {kDl + "09501101530007", "GTIN check digit wrong: expected 3, got 7"},
        {kDl + "0950110153000", "expected 7, got 0"},  // 13 digits: its own check digit
        {kDl + "123456789", "GTIN has 9 digits; expected 8, 12, 13 or 14"},
        {kDl, "has no /01/<GTIN>"},
        {kDl + "0950110153000X", "has no /01/<GTIN>"},
        {kDl + kGtin + "/21/S1/10/L1", "qualifier 10 after 21: qualifiers must be in the order"},
        {kDl + kGtin + "/10/L1/10/L2", "qualifier 10 after 10"},
        {kDl + kGtin + "/99/x", "path key '99' is not a qualifier"},
        {kDl + kGtin + "/21", "qualifier 21 has no value"},
        {kDl + kGtin + "/21/" + std::string(21, 'A'),
         "AI 21 value has 21 characters; expected 1 to 20"},
        {kDl + kGtin + "/21/%E4%B8%AD", "character outside GS1 set 82"},
        {kDl + kGtin + "?7230=MZ0021-MZB-24-57", "does not match format"},
        {kDl + kGtin + "?17=261340", "AI 17 date '261340' is not a valid YYMMDD"},
        {kDl + kGtin + "?17=2612", "AI 17 value has 4 characters; expected exactly 6"},
        {kDl + kGtin + "?21=S1", "query repeats path key AI 21"},
        {kDl + kGtin + "?7777=x", "query key '7777' is not a known GS1 Application Identifier"},
        {kDl + kGtin + "?7230=MZ" + kCert + "&s=short", "signature has 5 characters"},
    });
}

TEST_CASE("GS1 element strings: truncation, separators, unknown AIs") {
    std::string head = "01" + kGtin;
    checkBad({
        {"]Q3" + std::string("01") + kGtin.substr(0, 10),
         "truncated: AI 01 needs 14 characters, 10 left"},
        {"]Q3" + std::string("01") + "09501101530004", "GTIN check digit wrong: expected 3, got 4"},
        {"]d2" + head + "21" + std::string(25, 'A'), "at most 20 allowed (missing FNC1/GS"},
        {"]C1" + head + "XX", "no known Application Identifier at byte 16"},
        {"]Q3" + head + "21A" + GS + "21B", "repeats AI 21"},
        {"]Q3" + std::string("10LOT"), "has no GTIN (AI 01)"},
        {"]Q3" + head + "17261399", "not a valid YYMMDD"},
        {"]Q3" + head + "21S" + GS + GS + "10L", "no known Application Identifier"},
        {"]Q3" + head + "21A\xe4\xb8\xad", "character outside GS1 set 82"},
        {"]Q3" + head + "7230MZ" + "0021-MZB-2400057", "does not match format"},
        {head + "21A" + GS + "10B\n", "control character 0x0A"},
        {"(01)" + kGtin + "(21)", "AI 21 value has 0 characters"},
        {"(01)" + kGtin + "(77)X", "AI 01 value has 19 characters; expected exactly 14"},
        {"(01)" + kGtin + "(21)A(21)B", "repeats AI 21"},
        {"(10)LOT", "has no GTIN (AI 01)"},
        {"(1)" + kGtin, "no known '(AI)' at byte 0"},
        {"(01" + kGtin, "no known '(AI)' at byte 0"},
        {"]Q1" + head + "21A" + "\t", "control character 0x09"},
    });
}
