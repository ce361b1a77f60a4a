// Robustness: seeded random bytes, mutations and truncations of valid payloads, and
// hostile inputs. Every input must give either a clean payload_unrecognised error or a
// result whose fields are consistent with each other; nothing may throw or crash.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "mengscan/sync/payload.hpp"
#include "payload_test_util.hpp"

using namespace mengscan;
using namespace mengscan::sync;

namespace {

const char GS = 29;

std::vector<std::string> validSeeds() {
    std::string sig = test::base64Url(test::sampleSignature(1));
    std::string cert = "0021-MZB-24-00057";
    std::string item = "002124583920175534";
    std::string gtin = "09501101530003";
    return {
        "https://trace.mzb.example/t/" + cert + "/" + item,
        "https://trace.mzb.example/t/" + cert + "/" + item + "?k=key1&s=" + sig,
        "https://id.mzb.example/01/" + gtin + "/10/LOT1/21/SN1?7230=MZ" + cert + "&k=k&s=" + sig,
        "https://id.gs1.org/01/" + gtin + "/21/A%2FB?17=261231&7230=MZ" + cert,
        "]Q3" + std::string("01") + gtin + "21SN123" + GS + "10LOT7" + GS + "7230MZ" + cert,
        std::string(1, GS) + "01" + gtin + "17261231" + "10LOT",
        "(01)" + gtin + "(21)" + item + "(7230)MZ" + cert,
        "有机码" + item.substr(1),
        "追溯码：" + item,
        item,
    };
}

// Checks one parse: an error must be clean; a value must be self-consistent.
void checkOutcome(const std::string& input, const PayloadRules& rules) {
    Expected<ParsedPayload> p = [&] {
        try {
            return parsePayload(input, rules);
        } catch (...) {
            FAIL("parsePayload threw on input of " << input.size() << " bytes");
            throw;
        }
    }();
    if (!p) {
        const Error& e = p.error();
        REQUIRE(std::string(toString(e.category)) == toString(ErrorCategory::Payload));
        REQUIRE(e.code == "payload_unrecognised");
        REQUIRE_FALSE(e.message.empty());
        REQUIRE(e.message.size() < 600);
        for (char c : e.message) REQUIRE((c >= 0x20 && c < 0x7F));
        return;
    }
    const ParsedPayload& v = *p;
    REQUIRE(v.raw == input);
    if (!v.itemCode.empty()) {
        REQUIRE((v.itemCode.size() == 17 || v.itemCode.size() == 18));
        REQUIRE(v.itemCode.find_first_not_of("0123456789") == std::string::npos);
        REQUIRE(v.itemCode.compare(0, v.itemBodyCode.size(), v.itemBodyCode) == 0);
        REQUIRE(v.itemBodyCode.size() == v.itemCode.size() - 14);
    }
    if (!v.gtin.empty()) REQUIRE(gtinCheckDigitValid(v.gtin));
    if (!v.gtin.empty()) REQUIRE(v.gtin.size() == 14);
    if (v.kind == PayloadKind::Gs1DigitalLink || v.kind == PayloadKind::Gs1ElementString)
        REQUIRE_FALSE(v.gtin.empty());
    if (v.kind == PayloadKind::ItemCode) REQUIRE_FALSE(v.itemCode.empty());
    if (!v.certNumber.empty()) {
        auto parts = parseCertNumber(v.certNumber, rules);
        REQUIRE(parts);
        REQUIRE(parts->bodyCode == v.certBodyCode);
    }
    REQUIRE((v.signature.empty() || v.signature.size() == 64));
    const std::string& item = v.itemCode.empty() ? v.serial : v.itemCode;
    if (!v.certNumber.empty() && !item.empty())
        REQUIRE(v.signedMessage == v.certNumber + "|" + item);
    else
        REQUIRE(v.signedMessage.empty());
    // Deterministic: the same input parses to the same fields.
    auto again = parsePayload(input, rules);
    REQUIRE(again);
    REQUIRE(again->certNumber == v.certNumber);
    REQUIRE(again->itemCode == v.itemCode);
    REQUIRE(again->serial == v.serial);
}

}  // namespace

TEST_CASE("every truncation of every valid payload parses cleanly") {
    PayloadRules rules;
    for (const auto& seed : validSeeds()) {
        CAPTURE(seed);
        auto full = parsePayload(seed, rules);
        REQUIRE_MESSAGE(full, (full ? "" : full.error().describe()));
        for (std::size_t n = 0; n <= seed.size(); ++n) checkOutcome(seed.substr(0, n), rules);
    }
}

namespace {

// Mutations under the default rules and under permissive custom rules (any host, http,
// several path patterns), so the configurable paths are exercised too.
void mutationLoop(const PayloadRules& rules, uint32_t seed) {
    std::mt19937 rng(seed);  // fixed seed: a failure reproduces
    auto seeds = validSeeds();
    const std::string alphabet = std::string("0123456789/?&=%:-.MZBTtsk_") + GS + "\xe6\x9c\x89";
    std::size_t accepted = 0, rejected = 0;
    for (int iter = 0; iter < 40000; ++iter) {
        std::string input;
        int mode = iter % 4;
        if (mode == 0) {
            // Random bytes of random length (sometimes over the limit).
            std::size_t len = rng() % (iter % 100 == 0 ? 2000 : 120);
            for (std::size_t i = 0; i < len; ++i) input += char(rng() & 0xFF);
        } else {
            input = seeds[rng() % seeds.size()];
            int edits = 1 + int(rng() % 4);
            for (int e = 0; e < edits && !input.empty(); ++e) {
                std::size_t pos = rng() % input.size();
                switch (rng() % 5) {
                    case 0:
                        input[pos] = char(rng() & 0xFF);
                        break;
                    case 1:
                        input[pos] = alphabet[rng() % alphabet.size()];
                        break;
                    case 2:
                        input.insert(pos, 1, alphabet[rng() % alphabet.size()]);
                        break;
                    case 3:
                        input.erase(pos, 1 + rng() % 3);
                        break;
                    case 4:
                        input.insert(pos, input.substr(pos, rng() % 20));
                        break;
                }
            }
        }
        CAPTURE(iter);
        checkOutcome(input, rules);
        (parsePayload(input, rules) ? accepted : rejected)++;
    }
    // The mutations must reach both outcomes, or the loop tests nothing.
    CHECK(accepted > 100);
    CHECK(rejected > 1000);
}

}  // namespace

TEST_CASE("seeded random bytes and mutations never crash: default rules") {
    mutationLoop(PayloadRules(), 20240607);
}

TEST_CASE("seeded random bytes and mutations never crash: custom rules") {
    nlohmann::json config = {
        {"trace_hosts", {"*"}},
        {"digital_link_hosts", {"*.example"}},
        {"allow_http", true},
        {"trace_paths",
         {"/t/{cert_no}/{item_code}", "/{_}/{cert_no}/{serial}",
          "/g/{gtin}/{batch}/{cert_no}/{item_code}/{key_id}"}},
        {"cert_number_format", "MZ{body:3-4}-{year:2}-{serial:5}"},
        {"max_payload_bytes", 4096},
    };
    auto rules = payloadRulesFromJson(config);
    REQUIRE(rules);
    mutationLoop(*rules, 77);
}

TEST_CASE("hostile payloads are rejected with a clean error") {
    PayloadRules rules;
    std::string item = "002124583920175534";
    std::vector<std::string> hostile = {
        "https://trace.mzb.example/t/" +
            [] {
                std::string s;
                for (int i = 0; i < 300; ++i) s += "%41";
                return s;
            }() +
            "/" + item,
        "https://trace.mzb.example/t/%2525%2525/" + item,
        "javascript:https://trace.mzb.example/t/x/y",
        "https://javascript:alert(1)@trace.mzb.example/t/0021-MZB-24-00057/" + item,
        "https://trace.mzb.example/t/0021-MZB-24-00057/" + item + "?" +
            [] {
                std::string s;
                for (int i = 0; i < 200; ++i) s += "a" + std::to_string(i) + "=1&";
                return s;
            }(),
        std::string(1024, '%'),
        std::string(1024, GS),
        "]Q3" + std::string(1021, '9'),
        "https://" + std::string(1000, 'a') + "/01/09501101530003",
        "https://trace.mzb.example/t/0021-MZB-24-00057/" + item + "?s=" + std::string(86, '/'),
    };
    for (const auto& h : hostile) {
        CAPTURE(h.substr(0, 80));
        auto p = parsePayload(h, rules);
        CHECK_FALSE(p);
        checkOutcome(h, rules);
    }
}
