// The Ed25519 signature rule: the key named by `k=` must exist, belong to the certifying
// body and be within its validity dates; then the signature must verify.
#include "calendar.hpp"
#include "rules.hpp"

namespace mengscan::sync::verify {
namespace {

// Within [validFrom, validTo] (inclusive calendar days; empty = unbounded).
std::string keyValidityProblem(const BodyKey& key, int64_t today) {
    if (!key.validFrom.empty()) {
        const auto from = daysFromDate(key.validFrom);
        if (!from) return "has an unreadable start date " + key.validFrom;
        if (today < *from) return "is not valid before " + key.validFrom;
    }
    if (!key.validTo.empty()) {
        const auto to = daysFromDate(key.validTo);
        if (!to) return "has an unreadable end date " + key.validTo;
        if (today > *to) return "expired on " + key.validTo;
    }
    return {};
}

}  // namespace

void checkSignature(const std::optional<BodyKey>& key, const SignatureVerifier& verifier,
                    const ParsedPayload& payload, std::string_view expectedBody, int64_t today,
                    bool requireSignature, Reasons& reasons) {
    if (!payload.hasSignature()) {
        if (!payload.keyId.empty()) {
            reasons.push_back({ReasonCode::SignatureInvalid,
                               "key id " + payload.keyId + " given without a signature"});
        } else if (requireSignature) {
            reasons.push_back({ReasonCode::SignatureInvalid, "the label is not signed"});
        }
        return;
    }
    if (payload.keyId.empty()) {
        reasons.push_back({ReasonCode::SignatureKeyUnknown, "signature without a key id (k=)"});
        return;
    }
    if (!key) {
        reasons.push_back(
            {ReasonCode::SignatureKeyUnknown, "key " + payload.keyId + " is not in the cache"});
        return;
    }
    const BodyKey& found = *key;
    const std::string body = normaliseBodyCode(expectedBody);
    if (!body.empty() && normaliseBodyCode(found.bodyCode) != body) {
        reasons.push_back({ReasonCode::SignatureKeyUnknown,
                           "key " + found.keyId + " belongs to body " + found.bodyCode +
                               ", the certificate's body is " + body});
        return;
    }
    if (auto problem = keyValidityProblem(found, today); !problem.empty()) {
        reasons.push_back({ReasonCode::SignatureKeyUnknown, "key " + found.keyId + " " + problem});
        return;
    }
    if (payload.signedMessage.empty()) {
        reasons.push_back({ReasonCode::SignatureInvalid,
                           "the label lacks the certificate number or item code it would sign"});
        return;
    }
    auto check =
        verifier.verify(found.keyId, found.publicKey, payload.signedMessage, payload.signature);
    if (!check) {
        // A malformed key in the cache: the signature cannot be checked, never a pass.
        reasons.push_back({ReasonCode::SignatureKeyUnknown, check.error().message});
        return;
    }
    if (*check != SignatureCheck::Valid) {
        reasons.push_back({ReasonCode::SignatureInvalid, "signature does not verify under key " +
                                                             found.keyId + " for \"" +
                                                             payload.signedMessage + "\""});
    }
}

}  // namespace mengscan::sync::verify
