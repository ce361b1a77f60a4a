// The individual verification rules. Each appends its reasons to a list; the Verifier
// (verdict_engine.cpp) decides which rules run and turns the reasons into a class.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/cache_scan_log.hpp"
#include "mengscan/sync/payload.hpp"
#include "mengscan/sync/signature.hpp"
#include "mengscan/sync/verdict.hpp"
#include "mengscan/sync/verdict_engine.hpp"

namespace mengscan::sync::verify {

using Reasons = std::vector<Reason>;

// "021" -> "0021" (legacy 3-digit body codes of 17-digit item codes); others unchanged.
std::string normaliseBodyCode(std::string_view code);

// Effective status ("expired" past the end date whatever is stored) and the
// certificate_* reasons. `today` is the calendar day in the certificates' time zone.
std::string effectiveStatus(const Certificate& cert, int64_t today);
void checkCertificateStatus(const Certificate& cert, int64_t today, Reasons& reasons);
// body_mismatch: the item code's body vs the certificate's body.
void checkBody(const ParsedPayload& payload, const Certificate& cert, Reasons& reasons);
// scope_mismatch: the label's GTIN vs the certificate's GTIN scope (when one is recorded).
void checkScope(const ParsedPayload& payload, const Certificate& cert, Reasons& reasons);
// item_code_unknown when the certificate lists its issued codes and this one is not
// among them. `issued` is the cache's record of the item code (nullopt: not issued).
void checkIssued(const ParsedPayload& payload, const Certificate& cert,
                 const std::optional<ItemCodeRecord>& issued, Reasons& reasons);
// item_code_flagged.
void checkFlag(const std::optional<FlaggedCode>& flag, Reasons& reasons);

// Ed25519 signature against `key`, the cache's record of the key the payload names
// (nullopt: not in the cache), which must belong to `expectedBody` and be valid on `today`.
void checkSignature(const std::optional<BodyKey>& key, const SignatureVerifier& verifier,
                    const ParsedPayload& payload, std::string_view expectedBody, int64_t today,
                    bool requireSignature, Reasons& reasons);

// duplicate_scans from the local scan log (see VerifyOptions for the counting rule).
Status checkDuplicates(ScanLog& log, std::string_view code, std::string_view session,
                       int64_t nowSeconds, const VerifyOptions& options, Reasons& reasons);

// printed_text_mismatch: the printed line must contain the certificate number and the
// item code (or serial) of the payload, ignoring spaces, punctuation and letter case.
void checkPrintedText(const ParsedPayload& payload, std::string_view printedText, Reasons& reasons);

// Freshness of the cache given its last update time (ISO text, "" when never updated).
CacheFreshness freshnessOf(std::string_view updatedAt, int64_t nowSeconds,
                           const VerifyOptions& options);

}  // namespace mengscan::sync::verify
