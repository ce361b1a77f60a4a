// mengscan-gen-cache: same seed -> byte-identical files; the snapshot imports cleanly; the
// labels agree with the cache they were generated with; private keys stay out of it.
#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cache_fixtures.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;
using nlohmann::json;

namespace {

void generate(const std::filesystem::path& out, const std::string& seed) {
    auto run = runCommand({"mengscan-gen-cache", "--out", out.string(), "--seed", seed,
                           "--certificates", "600", "--item-codes", "5000", "--labels", "144"});
    REQUIRE_MESSAGE(run.exitCode == 0, run.err);
}

std::vector<uint8_t> fromBase64Url(std::string text) {
    for (auto& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (text.size() % 4) text += '=';
    std::vector<uint8_t> out(text.size());
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    out.resize(static_cast<size_t>(n) - (text.size() - text.find_last_not_of('=') - 1));
    return out;
}

bool verifies(const std::vector<uint8_t>& publicKey, const std::string& message,
              const std::vector<uint8_t>& signature) {
    EVP_PKEY* key =
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, publicKey.data(), publicKey.size());
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = key && ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, signature.data(), signature.size(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size()) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok;
}

std::vector<json> readLines(const std::filesystem::path& path) {
    std::vector<json> lines;
    std::istringstream in(readFile(path));
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
}

}  // namespace

TEST_CASE("the generator is deterministic from its seed") {
    TempDir dir;
    generate(dir / "a", "11");
    generate(dir / "b", "11");
    generate(dir / "c", "12");
    for (const char* name : {"cache.jsonl", "keys.private.jsonl", "labels.jsonl"}) {
        CAPTURE(name);
        const auto a = readFile(dir / "a" / name);
        CHECK(a.size() > 1000);
        CHECK(a == readFile(dir / "b" / name));
        CHECK(a != readFile(dir / "c" / name));
    }
}

TEST_CASE("generated data imports, and every label's truth matches the cache") {
    TempDir dir;
    generate(dir / "g", "5");
    const std::string cacheText = readFile(dir / "g" / "cache.jsonl");
    auto keys = readLines(dir / "g" / "keys.private.jsonl");
    REQUIRE(keys.size() >= 14);  // 7-10 bodies, each with a published and a rogue key
    for (const auto& k : keys) {
        // Private keys never reach the cache file.
        CHECK(cacheText.find(k["private_key"].get<std::string>()) == std::string::npos);
        CHECK(k["public_key"].get<std::string>().size() == 43);
    }

    auto cache = openCache((dir / "cache.sqlite").string(), OpenMode::ReadWrite);
    auto counts = cache->importFile((dir / "g" / "cache.jsonl").string());
    REQUIRE_MESSAGE(counts, (counts ? "" : counts.error().describe()));
    CHECK(counts->certificates == 600);
    CHECK(counts->itemCodes == 5000);
    auto stats = *cache->stats();
    CHECK(stats.bodies >= 7);
    CHECK(stats.bodies <= 10);
    for (int s = 0; s < 5; ++s) CHECK(stats.byStatus[s] > 0);  // every status occurs
    CHECK(stats.flags > 0);
    CHECK(stats.certificatesWithItemList > 0);

    std::set<std::string> products;
    for (const auto& line : readLines(dir / "g" / "cache.jsonl")) {
        if (line["type"] == "certificate") products.insert(line["product"].get<std::string>());
    }
    CHECK(products.count("beef") == 1);
    CHECK(products.count("cashmere") == 1);
    CHECK(products.size() >= 12);

    const std::string today = "2026-06-01";
    std::set<std::string> truths, kinds;
    for (const auto& label : readLines(dir / "g" / "labels.jsonl")) {
        const std::string truth = label["truth"], certNo = label["cert_no"];
        const std::string code = label["item_code"];
        CAPTURE(label.dump());
        truths.insert(truth);
        kinds.insert(label["kind"].get<std::string>());
        auto cert = *cache->findCertificate(certNo);
        if (truth == "unknown_certificate") {
            CHECK_FALSE(cert.has_value());
            continue;
        }
        REQUIRE(cert.has_value());
        const std::string status = toString(cert->status);
        const bool expired = cert->expires < today;
        if (truth == "revoked" || truth == "suspended" || truth == "withdrawn") {
            CHECK(status == truth);
            CHECK_FALSE(expired);
        } else if (truth == "expired") {
            CHECK(expired);
        } else {
            CHECK(status == "valid");
            CHECK_FALSE(expired);
        }
        const bool listed = cache->findItemCode(code)->has_value();
        const bool flagged = cache->findFlag(code)->has_value();
        CHECK(flagged == (truth == "flagged"));
        if (truth == "unknown_item_code") {
            CHECK(cert->hasItemList);
            CHECK_FALSE(listed);
        } else if (cert->hasItemList) {
            CHECK(listed);
        }
        const std::string itemBody = code.substr(0, 4);
        CHECK((itemBody != cert->bodyCode) == (truth == "body_mismatch"));
        if (label.contains("gtin")) {
            const bool inScope = std::find(cert->gtins.begin(), cert->gtins.end(),
                                           label["gtin"].get<std::string>()) != cert->gtins.end();
            CHECK(inScope == (truth != "scope_mismatch"));
        }
        if (label.contains("key_id")) {
            auto key = *cache->findKey(label["key_id"].get<std::string>());
            CHECK(key.has_value() == (truth != "unknown_key"));
            const std::string payload = label["payload"];
            const auto s = payload.find("&s=");
            REQUIRE(s != std::string::npos);
            const auto signature = fromBase64Url(payload.substr(s + 3));
            CHECK(signature.size() == 64);
            if (key) {
                // Signed by the named key, except forgeries.
                CHECK(verifies(key->publicKey, certNo + "|" + code, signature) ==
                      (truth != "forged"));
            }
        }
        CHECK(label["payload"].get<std::string>().find(code) != std::string::npos);
    }
    CHECK(truths.size() == 12);
    CHECK(kinds.size() == 4);
}
