// PayloadRules: JSON configuration, custom trace paths, host wildcards, certificate
// number formats, limits.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "mengscan/sync/payload.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using nlohmann::json;

namespace {
const std::string kCert = "0021-MZB-24-00057";
const std::string kItem = "002124583920175534";
}  // namespace

TEST_CASE("defaults match the domain README") {
    PayloadRules rules;
    CHECK(rules.traceHosts == std::vector<std::string>{"trace.mzb.example"});
    REQUIRE(rules.tracePaths().size() == 1);
    CHECK(rules.tracePaths()[0].text == "/t/{cert_no}/{item_code}");
    CHECK(rules.certNumberFormat().text == "{body:4}-MZB-{year:2}-{serial:5}");
    CHECK(rules.maxPayloadBytes == 1024);
    auto parts = parseCertNumber(kCert, rules);
    REQUIRE(parts);
    CHECK(parts->bodyCode == "0021");
    CHECK(parts->year == "24");
    CHECK(parts->serial == "00057");
    CHECK_FALSE(parseCertNumber("0021-MZB-24-0005", rules));
    CHECK_FALSE(parseCertNumber("", rules));
}

TEST_CASE("rules from JSON: hosts, paths, formats, prefixes, lengths") {
    json config = {
        {"trace_hosts", {"Verify.Example.CN", "*.mzb.gov.example"}},
        {"digital_link_hosts", {"*"}},
        {"allow_http", true},
        {"trace_paths", {"/q/{cert_no}/{item_code}", "/v1/{_}/{cert_no}/s/{serial}/{key_id}"}},
        {"cert_number_format", "MZ{body:3-4}.{year:2}.{serial:6}"},
        {"item_code_prefixes", {"CODE"}},
        {"item_code_lengths", {18}},
        {"cert_reference_prefix", "MENG"},
        {"max_payload_bytes", 256},
    };
    auto r = payloadRulesFromJson(config);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().describe()));
    const PayloadRules& rules = *r;
    CHECK(rules.traceHosts[0] == "verify.example.cn");
    CHECK(rules.maxPayloadBytes == 256);
    CHECK_FALSE(rules.acceptItemCode17);

    const std::string cert = "MZ021.24.000057";
    auto a = parsePayload("http://verify.example.cn/q/" + cert + "/" + kItem, rules);
    REQUIRE_MESSAGE(a, (a ? "" : a.error().describe()));
    CHECK(a->certNumber == cert);
    CHECK(a->certBodyCode == "021");
    CHECK(a->certSerial == "000057");
    CHECK(a->itemCode == kItem);

    auto b = parsePayload("https://a.b.mzb.gov.example/v1/zh/" + cert + "/s/SN-9/key7", rules);
    REQUIRE_MESSAGE(b, (b ? "" : b.error().describe()));
    CHECK(b->serial == "SN-9");
    CHECK(b->keyId == "key7");
    CHECK(b->signedMessage == cert + "|SN-9");
    // The wildcard does not accept the bare parent domain.
    CHECK_FALSE(parsePayload("https://mzb.gov.example/q/" + cert + "/" + kItem, rules));
    // The old default host is no longer a trace host.
    CHECK_FALSE(parsePayload("https://trace.mzb.example/q/" + cert + "/" + kItem, rules));

    auto dl = parsePayload("https://any.shop.example/01/09501101530003?7230=MENG" + cert, rules);
    REQUIRE_MESSAGE(dl, (dl ? "" : dl.error().describe()));
    CHECK(dl->certNumber == cert);

    auto item = parsePayload("CODE " + kItem, rules);
    REQUIRE(item);
    CHECK(item->itemCode == kItem);
    auto short17 = parsePayload(kItem.substr(1), rules);
    REQUIRE_FALSE(short17);
    CHECK(short17.error().message.find("expected 18") != std::string::npos);
    auto long_ = parsePayload(std::string(257, '0'), rules);
    REQUIRE_FALSE(long_);
    CHECK(long_.error().message.find("limit of 256") != std::string::npos);
}

TEST_CASE("empty JSON object keeps defaults") {
    auto r = payloadRulesFromJson(json::object());
    REQUIRE(r);
    CHECK(parsePayload("https://trace.mzb.example/t/" + kCert + "/" + kItem, *r));
}

TEST_CASE("bad rules are Usage errors naming the key") {
    struct Row {
        json config;
        std::string part;
    };
    std::vector<Row> rows = {
        {json::array(), "must be a JSON object"},
        {{{"trace_hosts", "x"}}, "trace_hosts must be an array of strings"},
        {{{"trace_hosts", {1}}}, "trace_hosts must be an array of strings"},
        {{{"trace_hosts", {"https://x"}}}, "bad host"},
        {{{"trace_paths", json::array()}}, "at least one pattern"},
        {{{"trace_paths", {"t/{cert_no}/{item_code}"}}}, "must start with '/'"},
        {{{"trace_paths", {"/t/{cert}/{item_code}"}}}, "unknown field '{cert}'"},
        {{{"trace_paths", {"/t/{item_code}"}}}, "must name {cert_no}"},
        {{{"trace_paths", {"/t//{cert_no}/{item_code}"}}}, "empty segment"},
        {{{"cert_number_format", "{body:4}-{year:2}"}}, "must contain {body:N} and {serial:N}"},
        {{{"cert_number_format", "{body:3-4}{serial:5}"}}, "variable-width field"},
        {{{"cert_number_format", "{body}-{serial:5}"}}, "needs a digit count"},
        {{{"cert_number_format", "{body:4}-{sn:5}"}}, "unknown field 'sn'"},
        {{{"cert_number_format", "{body:4-{serial:5}"}}, "needs a digit count"},
        {{{"cert_number_format", 5}}, "must be a string"},
        {{{"max_payload_bytes", 10}}, "from 32 to 65536"},
        {{{"max_payload_bytes", -5}}, "from 32 to 65536"},
        {{{"item_code_lengths", {16}}}, "may only contain 17 and 18"},
        {{{"allow_http", "yes"}}, "true or false"},
        {{{"hosts", {"x"}}}, "unknown payload rules key 'hosts'"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.config.dump());
        auto r = payloadRulesFromJson(row.config);
        REQUIRE_FALSE(r);
        CHECK(std::string(toString(r.error().category)) == toString(ErrorCategory::Usage));
        CHECK(r.error().code == "bad_payload_rules");
        CAPTURE(r.error().message);
        CHECK(r.error().message.find(row.part) != std::string::npos);
    }
}

TEST_CASE("a failed setter keeps the previous good rules") {
    PayloadRules rules;
    CHECK_FALSE(rules.setTracePaths({"/ok/{cert_no}/{item_code}", "broken"}));
    REQUIRE(rules.tracePaths().size() == 1);
    CHECK(rules.tracePaths()[0].text == "/t/{cert_no}/{item_code}");
    CHECK_FALSE(rules.setCertNumberFormat("{nope}"));
    CHECK(rules.certNumberFormat().text == "{body:4}-MZB-{year:2}-{serial:5}");
}
