// Valid payloads of every kind, table-driven: each row gives the payload and the fields
// the parser must extract from it.
#include <doctest/doctest.h>

#include "mengscan/sync/payload.hpp"
#include "payload_test_util.hpp"

using namespace mengscan::sync;
using mengscan::test::base64Url;
using mengscan::test::sampleSignature;

namespace {

struct Row {
    std::string payload;
    PayloadKind kind;
    std::string cert, item, gtin, serial, batch;
};

void checkRow(const Row& row, const PayloadRules& rules) {
    CAPTURE(row.payload);
    auto p = parsePayload(row.payload, rules);
    REQUIRE_MESSAGE(p.hasValue(), (p ? "" : p.error().describe()));
    CHECK(std::string(toString(p->kind)) == toString(row.kind));
    CHECK(p->raw == row.payload);
    CHECK(p->certNumber == row.cert);
    CHECK(p->itemCode == row.item);
    CHECK(p->gtin == row.gtin);
    CHECK(p->serial == row.serial);
    CHECK(p->batch == row.batch);
    if (!row.cert.empty() && (!row.item.empty() || !row.serial.empty()))
        CHECK(p->signedMessage == row.cert + "|" + (row.item.empty() ? row.serial : row.item));
    else
        CHECK(p->signedMessage.empty());
}

const std::string kCert = "0021-MZB-24-00057";
const std::string kItem18 = "002124583920175534";
const std::string kItem17 = "02124583920175534";
const std::string kGtin = "09501101530003";
const char GS = 29;

}  // namespace

TEST_CASE("trace URLs with the default host and path pattern") {
    PayloadRules rules;
    std::string base = "https://trace.mzb.example/t/" + kCert + "/";
    std::vector<Row> rows = {
        {base + kItem18, PayloadKind::TraceUrl, kCert, kItem18, "", "", ""},
        {base + kItem17, PayloadKind::TraceUrl, kCert, kItem17, "", "", ""},
        {base + kItem18 + "/", PayloadKind::TraceUrl, kCert, kItem18, "", "", ""},
        {"HTTPS://TRACE.MZB.EXAMPLE/t/" + kCert + "/" + kItem18, PayloadKind::TraceUrl, kCert,
         kItem18, "", "", ""},
        {"https://trace.mzb.example:443/t/" + kCert + "/" + kItem18 + "#top", PayloadKind::TraceUrl,
         kCert, kItem18, "", "", ""},
        // Percent-encoded path characters decode before matching.
        {"https://trace.mzb.example/t/0021%2DMZB-24-00057/%30" + kItem18.substr(1),
         PayloadKind::TraceUrl, kCert, kItem18, "", "", ""},
        {base + kItem18 + "?lang=zh", PayloadKind::TraceUrl, kCert, kItem18, "", "", ""},
    };
    for (const auto& row : rows) checkRow(row, rules);

    auto p = parsePayload(base + kItem18, rules);
    REQUIRE(p);
    CHECK(p->host == "trace.mzb.example");
    CHECK(p->certBodyCode == "0021");
    CHECK(p->certYear == "24");
    CHECK(p->certSerial == "00057");
    CHECK(p->itemBodyCode == "0021");
    CHECK(p->itemYear == "24");
    CHECK_FALSE(p->hasSignature());

    auto p17 = parsePayload(base + kItem17, rules);
    REQUIRE(p17);
    CHECK(p17->itemBodyCode == "021");
    CHECK(p17->itemYear == "24");

    auto q = parsePayload(base + kItem18 + "?lang=zh", rules);
    REQUIRE(q);
    CHECK(q->attributes.at("lang") == "zh");
}

TEST_CASE("trace URL with key id and signature") {
    PayloadRules rules;
    auto sig = sampleSignature(3);
    std::string s = base64Url(sig);
    REQUIRE(s.size() == 86);
    auto p = parsePayload(
        "https://trace.mzb.example/t/" + kCert + "/" + kItem18 + "?k=body0021-2024&s=" + s, rules);
    REQUIRE_MESSAGE(p, (p ? "" : p.error().describe()));
    CHECK(p->keyId == "body0021-2024");
    CHECK(p->signature == sig);
    CHECK(p->hasSignature());
    CHECK(p->signedMessage == kCert + "|" + kItem18);
    CHECK(p->attributes.empty());

    // Query order does not matter.
    auto q = parsePayload(
        "https://trace.mzb.example/t/" + kCert + "/" + kItem18 + "?s=" + s + "&k=key1", rules);
    REQUIRE(q);
    CHECK(q->keyId == "key1");
    CHECK(q->signature == sig);
}

TEST_CASE("GS1 Digital Links: keys, qualifiers, attributes, GTIN lengths") {
    PayloadRules rules;
    std::string h = "https://id.mzb.example";
    std::vector<Row> rows = {
        {h + "/01/" + kGtin + "?7230=MZ" + kCert, PayloadKind::Gs1DigitalLink, kCert, "", kGtin, "",
         ""},
        {h + "/01/" + kGtin + "/10/B2024-07/21/SN123?7230=MZ" + kCert, PayloadKind::Gs1DigitalLink,
         kCert, "", kGtin, "SN123", "B2024-07"},
        // A serial that is an item code on a label naming a certificate is the item code.
        {h + "/01/" + kGtin + "/21/" + kItem18 + "?7230=MZ" + kCert, PayloadKind::Gs1DigitalLink,
         kCert, kItem18, kGtin, kItem18, ""},
        {h + "/01/" + kGtin + "/21/" + kItem18, PayloadKind::Gs1DigitalLink, "", "", kGtin, kItem18,
         ""},
        {h + "/01/" + kGtin + "/21/1" + kItem18 + "?7230=MZ" + kCert, PayloadKind::Gs1DigitalLink,
         kCert, "", kGtin, "1" + kItem18, ""},
        {h + "/01/" + kGtin + "/10/L1", PayloadKind::Gs1DigitalLink, "", "", kGtin, "", "L1"},
        // GTIN-8, -12 and -13 are zero-padded to 14 digits.
        {h + "/01/96385074", PayloadKind::Gs1DigitalLink, "", "", "00000096385074", "", ""},
        {h + "/01/036000291452", PayloadKind::Gs1DigitalLink, "", "", "00036000291452", "", ""},
        {h + "/01/4006381333931", PayloadKind::Gs1DigitalLink, "", "", "04006381333931", "", ""},
        // Path prefix before the primary key, percent-encoded serial, extra attributes.
        {"https://id.gs1.org/shop/items/01/" + kGtin + "/21/A%2FB?17=261231&7230=MZ" + kCert,
         PayloadKind::Gs1DigitalLink, kCert, "", kGtin, "A/B", ""},
        {h + "/01/" + kGtin + "/22/V1/10/L1/21/S1", PayloadKind::Gs1DigitalLink, "", "", kGtin,
         "S1", "L1"},
    };
    for (const auto& row : rows) checkRow(row, rules);

    auto p = parsePayload("https://id.gs1.org/shop/items/01/" + kGtin +
                              "/21/A%2FB?17=261231&7230=MZ" + kCert + "&lang=en",
                          rules);
    REQUIRE(p);
    CHECK(p->host == "id.gs1.org");
    CHECK(p->attributes.at("17") == "261231");
    CHECK(p->attributes.at("lang") == "en");
    CHECK(p->attributes.count("7230") == 0);
    CHECK(p->certBodyCode == "0021");

    auto sig = sampleSignature(9);
    auto signed_ = parsePayload(
        h + "/01/" + kGtin + "/21/" + kItem18 + "?7230=MZ" + kCert + "&k=k1&s=" + base64Url(sig),
        rules);
    REQUIRE(signed_);
    CHECK(signed_->signature == sig);
    CHECK(signed_->keyId == "k1");
    CHECK(signed_->signedMessage == kCert + "|" + kItem18);
    CHECK(signed_->itemBodyCode == "0021");

    // Another scheme's certification reference is kept but names no Meng certificate.
    auto other = parsePayload(h + "/01/" + kGtin + "?7230=EUORG-123", rules);
    REQUIRE(other);
    CHECK(other->certNumber.empty());
    CHECK(other->attributes.at("7230") == "EUORG-123");

    auto q = parsePayload(h + "/01/" + kGtin + "/22/V1", rules);
    REQUIRE(q);
    CHECK(q->attributes.at("22") == "V1");
}

TEST_CASE("GS1 element strings with FNC1 and symbology identifiers") {
    PayloadRules rules;
    std::string es = "01" + kGtin + "21SN123" + GS + "10LOT7" + GS + "7230MZ" + kCert;
    std::vector<Row> rows = {
        {es, PayloadKind::Gs1ElementString, kCert, "", kGtin, "SN123", "LOT7"},
        {"]Q3" + es, PayloadKind::Gs1ElementString, kCert, "", kGtin, "SN123", "LOT7"},
        {"]d2" + es, PayloadKind::Gs1ElementString, kCert, "", kGtin, "SN123", "LOT7"},
        {"]C1" + es, PayloadKind::Gs1ElementString, kCert, "", kGtin, "SN123", "LOT7"},
        {std::string(1, GS) + es, PayloadKind::Gs1ElementString, kCert, "", kGtin, "SN123", "LOT7"},
        {"]d2" + std::string(1, GS) + es, PayloadKind::Gs1ElementString, kCert, "", kGtin, "SN123",
         "LOT7"},
        // Fixed-length AIs need no separator; a trailing GS is tolerated.
        {"01" + kGtin + "17261231" + "10LOT" + GS, PayloadKind::Gs1ElementString, "", "", kGtin, "",
         "LOT"},
        {"]Q3" + std::string("01") + kGtin + "21" + kItem18 + GS + "7230MZ" + kCert,
         PayloadKind::Gs1ElementString, kCert, kItem18, kGtin, kItem18, ""},
        // The human-readable form printed under a barcode, parentheses around each AI.
        {"(01)" + kGtin + "(21)SN123(10)LOT7(7230)MZ" + kCert, PayloadKind::Gs1ElementString, kCert,
         "", kGtin, "SN123", "LOT7"},
        {"(01)" + kGtin + "(21)A(B)C", PayloadKind::Gs1ElementString, "", "", kGtin, "A(B)C", ""},
        // Without symbology identifier or GS: starts with AI 01 and a GTIN-14.
        {"01" + kGtin + "10ABC", PayloadKind::Gs1ElementString, "", "", kGtin, "", "ABC"},
    };
    for (const auto& row : rows) checkRow(row, rules);

    auto p = parsePayload("]Q3" + es, rules);
    REQUIRE(p);
    CHECK(p->symbologyId == "]Q3");
    auto d = parsePayload("01" + kGtin + "17261231" + "3103001250" + "10LOT", rules);
    REQUIRE_MESSAGE(d, (d ? "" : d.error().describe()));
    CHECK(d->attributes.at("17") == "261231");
    CHECK(d->attributes.at("3103") == "001250");
    CHECK(d->batch == "LOT");
}

TEST_CASE("bare item codes with and without prefix") {
    PayloadRules rules;
    std::vector<Row> rows = {
        {kItem18, PayloadKind::ItemCode, "", kItem18, "", "", ""},
        {kItem17, PayloadKind::ItemCode, "", kItem17, "", "", ""},
        {"有机码" + kItem17, PayloadKind::ItemCode, "", kItem17, "", "", ""},
        {"有机码 " + kItem18, PayloadKind::ItemCode, "", kItem18, "", "", ""},
        {"追溯码：" + kItem18, PayloadKind::ItemCode, "", kItem18, "", "", ""},
        {"追溯码: " + kItem18, PayloadKind::ItemCode, "", kItem18, "", "", ""},
        {"追溯码　" + kItem18, PayloadKind::ItemCode, "", kItem18, "", "", ""},  // U+3000
        {"  " + kItem18 + " ", PayloadKind::ItemCode, "", kItem18, "", "", ""},
    };
    for (const auto& row : rows) checkRow(row, rules);
    auto p = parsePayload("有机码" + kItem17, rules);
    REQUIRE(p);
    CHECK(p->itemBodyCode == "021");
    CHECK(p->symbologyId.empty());
    auto q = parsePayload("]Q1" + kItem18, rules);
    REQUIRE(q);
    CHECK(q->symbologyId == "]Q1");
    CHECK(q->itemBodyCode == "0021");
}

TEST_CASE("GTIN check digit helpers") {
    CHECK(gtinCheckDigitValid("09501101530003"));
    CHECK(gtinCheckDigitValid("96385074"));
    CHECK(gtinCheckDigitValid("036000291452"));
    CHECK(gtinCheckDigitValid("4006381333931"));
    CHECK_FALSE(gtinCheckDigitValid("09501101530004"));
    CHECK_FALSE(gtinCheckDigitValid("0950110153000"));  // 13 digits, wrong check
    CHECK_FALSE(gtinCheckDigitValid("0950110153000A"));
    CHECK_FALSE(gtinCheckDigitValid(""));
    CHECK(gs1CheckDigit("0950110153000") == 3);
    CHECK(gs1CheckDigit("12x") == -1);
    auto g = normaliseGtin("96385074");
    REQUIRE(g);
    CHECK(*g == "00000096385074");
    auto bad = normaliseGtin("09501101530007");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("expected 3, got 7") != std::string::npos);
}
