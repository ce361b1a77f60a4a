// Label payloads of every kind, each marked with the truth it was built to show and the
// verdict and reasons a correct verifier gives it (reason severities: docs/verdicts.md).
#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>

#include "generator.hpp"

namespace mengscan::gencache {
namespace {

struct Truth {
    const char* name;
    const char* verdict;
    const char* reason;  // "" for genuine
};

const Truth kTruths[] = {
    {"genuine", "genuine", ""},
    {"forged", "invalid", "signature_invalid"},
    {"unknown_key", "suspect", "signature_key_unknown"},
    {"revoked", "invalid", "certificate_revoked"},
    {"suspended", "invalid", "certificate_suspended"},
    {"expired", "invalid", "certificate_expired"},
    {"withdrawn", "invalid", "certificate_withdrawn"},
    {"unknown_certificate", "invalid", "certificate_unknown"},
    {"unknown_item_code", "suspect", "item_code_unknown"},
    {"flagged", "invalid", "item_code_flagged"},
    {"body_mismatch", "invalid", "body_mismatch"},
    {"scope_mismatch", "invalid", "scope_mismatch"},
};

enum Kind { kTrace, kLink, kElement, kBare };
const char* const kKindNames[] = {"trace_url", "gs1_digital_link", "gs1_element_string",
                                  "item_code"};

// Which payload kinds can show each truth (a bare code has no signature and no certificate
// number; an element string has no signature; scope needs a GTIN).
std::vector<Kind> kindsFor(const std::string& truth) {
    if (truth == "forged" || truth == "unknown_key") return {kTrace, kLink};
    if (truth == "unknown_certificate") return {kTrace, kLink, kElement};
    if (truth == "unknown_item_code" || truth == "body_mismatch") return {kTrace};
    if (truth == "flagged") return {kTrace, kBare, kLink};
    if (truth == "scope_mismatch") return {kLink, kElement};
    return {kTrace, kLink, kElement, kBare};
}

bool isExpired(const Cert& c, int64_t today) {
    return c.expiresDay < today;
}

// The effective status a verifier sees today.
std::string effective(const Cert& c, int64_t today) {
    return isExpired(c, today) ? "expired" : c.status();
}

class LabelMaker {
public:
    LabelMaker(Registry& reg, Rng& rng) : reg_(reg), rng_(rng) {
        for (const auto& f : reg.flags) flagged_.insert(f.code);
    }

    // One label line, or "" when no certificate fits this truth/kind (caller retries).
    std::string make(int id, const Truth& truth, Kind kind) {
        const std::string t = truth.name;
        const int64_t today = reg_.todayDay;
        std::string want = "valid";
        if (t == "revoked" || t == "suspended" || t == "withdrawn" || t == "expired") want = t;
        const bool needList = kind == kBare || t == "unknown_item_code";
        const bool needGtin = kind == kLink || kind == kElement;
        const bool needNoList = t == "body_mismatch";
        const bool needFlag = t == "flagged";

        std::vector<int> candidates;
        if (needFlag) {
            for (size_t f = 0; f < reg_.flags.size(); ++f) {
                const Cert& c = reg_.certs[static_cast<size_t>(reg_.flags[f].cert)];
                if (effective(c, today) != "valid") continue;
                if ((kind == kBare || c.hasList) && !reg_.flags[f].listed) continue;
                if (needGtin && c.gtins.empty()) continue;
                candidates.push_back(static_cast<int>(f));
            }
        } else if (t != "unknown_certificate") {
            for (size_t i = 0; i < reg_.certs.size(); ++i) {
                const Cert& c = reg_.certs[i];
                if (effective(c, today) != want) continue;
                if (needList && !(c.hasList && c.listCount > 0)) continue;
                if (needNoList && c.hasList) continue;
                if (needGtin && c.gtins.empty()) continue;
                if (t == "scope_mismatch" && c.gtins.size() > 2) continue;
                candidates.push_back(static_cast<int>(i));
            }
        } else {
            candidates.push_back(-1);
        }
        if (candidates.empty()) return "";
        const int pickIndex = candidates[rng_.below(candidates.size())];

        // The certificate the label names (for unknown_certificate, a well-formed unknown one).
        Cert unknownCert;
        const Cert* cert = nullptr;
        std::string itemCode;
        if (needFlag) {
            const Flag& f = reg_.flags[static_cast<size_t>(pickIndex)];
            cert = &reg_.certs[static_cast<size_t>(f.cert)];
            itemCode = f.code;
        } else if (pickIndex >= 0) {
            cert = &reg_.certs[static_cast<size_t>(pickIndex)];
        } else {
            unknownCert = reg_.certs[rng_.below(reg_.certs.size())];
            char serial[8];
            std::snprintf(serial, sizeof serial, "%05d", 90000 + id % 10000);
            unknownCert.certNo = unknownCert.certNo.substr(0, 12) + serial;  // never issued
            unknownCert.hasList = false;
            if (unknownCert.gtins.empty()) unknownCert.gtins.push_back(outOfScopeGtin(unknownCert));
            cert = &unknownCert;
        }
        const Body& body = reg_.bodies[static_cast<size_t>(cert->body)];
        if (itemCode.empty()) itemCode = itemCodeFor(*cert, body, t);

        std::string gtin;
        if (needGtin) {
            gtin = cert->gtins[rng_.below(cert->gtins.size())];
            if (t == "scope_mismatch") gtin = outOfScopeGtin(*cert);
        }
        const std::string batch = "L" + std::to_string(1000 + rng_.below(9000));

        // Signature over "<cert_no>|<item code>" (URL kinds only).
        std::string keyId, sig;
        if (kind == kTrace || kind == kLink) {
            const KeyInfo* key = &body.keys.front();
            if (t == "unknown_key") key = &body.keys.back();  // the unpublished key
            keyId = key->keyId;
            const std::string message = cert->certNo + "|" + itemCode;
            if (t == "forged") {
                // A key the forger holds, under the body's real key id.
                sig = base64Url(sign(body.keys.back().key, message));
            } else {
                sig = base64Url(sign(key->key, message));
            }
        }

        std::string payload;
        const std::string& host = kind == kLink ? reg_.options.linkHost : reg_.options.traceHost;
        switch (kind) {
            case kTrace:
                payload = "https://" + host + "/t/" + cert->certNo + "/" + itemCode +
                          "?k=" + keyId + "&s=" + sig;
                break;
            case kLink:
                payload = "https://" + host + "/01/" + gtin + "/10/" + batch + "/21/" + itemCode +
                          "?7230=MZ" + cert->certNo + "&k=" + keyId + "&s=" + sig;
                break;
            case kElement:
                payload = "01" + gtin + "21" + itemCode + "\x1d" + "10" + batch + "\x1d" +
                          "7230MZ" + cert->certNo;
                break;
            case kBare:
                payload = std::string(rng_.chance(0.5) ? "有机码" : "追溯码") + itemCode;
                break;
        }
        char labelId[16];
        std::snprintf(labelId, sizeof labelId, "L%05d", id);
        std::string line = std::string("{\"id\":\"") + labelId + "\",\"truth\":\"" + t +
                           "\",\"kind\":\"" + kKindNames[kind] +
                           "\",\"payload\":" + jsonString(payload) + ",\"cert_no\":\"" +
                           cert->certNo + "\",\"item_code\":\"" + itemCode + "\"";
        if (!gtin.empty()) line += ",\"gtin\":\"" + gtin + "\"";
        if (!keyId.empty()) line += ",\"key_id\":\"" + keyId + "\"";
        line += std::string(",\"signed\":") + (sig.empty() ? "false" : "true");
        line += ",\"printed\":" + jsonString("证书编号 " + cert->certNo + "  追溯码 " + itemCode);
        line +=
            std::string(",\"expected_verdict\":\"") + truth.verdict + "\",\"expected_reasons\":[";
        if (*truth.reason) line += std::string("\"") + truth.reason + "\"";
        return line + "]}\n";
    }

private:
    std::string itemCodeFor(const Cert& c, const Body& body, const std::string& truth) {
        if (truth == "body_mismatch") {
            // A code whose body prefix names another body.
            const Body& other =
                reg_.bodies[(static_cast<size_t>(c.body) + 1 + rng_.below(reg_.bodies.size() - 1)) %
                            reg_.bodies.size()];
            return reg_.itemCode(other.code, c.year, reg_.nextCounter++);
        }
        if (truth == "unknown_item_code" || !(c.hasList && c.listCount > 0)) {
            return reg_.itemCode(body.code, c.year, reg_.nextCounter++);  // never issued
        }
        for (int tries = 0; tries < 100; ++tries) {
            const std::string code = reg_.itemCode(
                body.code, c.year,
                c.listStart + static_cast<int64_t>(rng_.below(static_cast<uint64_t>(c.listCount))));
            if (!flagged_.count(code)) return code;
        }
        return reg_.itemCode(body.code, c.year, c.listStart);
    }

    std::string outOfScopeGtin(const Cert& c) {
        while (true) {
            char base[16];
            std::snprintf(base, sizeof base, "69%010llu",
                          static_cast<unsigned long long>(rng_.below(10000000000ULL)));
            const std::string gtin =
                "0" + std::string(base, 12) + gs1CheckDigit(std::string(base, 12));
            if (std::find(c.gtins.begin(), c.gtins.end(), gtin) == c.gtins.end()) return gtin;
        }
    }

    Registry& reg_;
    Rng& rng_;
    std::set<std::string> flagged_;
};

}  // namespace

void writeLabelsJsonl(Registry& registry, std::ostream& out) {
    if (registry.certs.empty() || registry.bodies.size() < 2) return;
    Rng rng(registry.options.seed ^ 0x6c6162656c73ULL);  // "labels": independent of the cache
    LabelMaker maker(registry, rng);
    const int truthCount = static_cast<int>(sizeof kTruths / sizeof kTruths[0]);
    for (int i = 0; i < registry.options.labels; ++i) {
        const Truth& truth = kTruths[i % truthCount];
        const auto kinds = kindsFor(truth.name);
        const size_t round = static_cast<size_t>(i / truthCount);
        // Rotate through the kinds that fit; fall back to the others when no certificate fits.
        for (size_t k = 0; k < kinds.size(); ++k) {
            const std::string line = maker.make(i, truth, kinds[(round + k) % kinds.size()]);
            if (!line.empty()) {
                out << line;
                break;
            }
        }
    }
}

}  // namespace mengscan::gencache
