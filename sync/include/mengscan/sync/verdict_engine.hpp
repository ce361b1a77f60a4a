// The verification rules: from a parsed label payload (or a whole frame's observations) to
// a Verdict, offline, against the certificate cache and the local scan log. The rules and
// which reasons make a label `invalid` or `suspect` are documented in docs/verdicts.md.
//
// Borrows the cache, scan log, rules and clock for its lifetime (all may outlive many
// verifications; the cache and scan log may be null). Not thread-safe, like the cache.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mengscan/platform/clock.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/cache_scan_log.hpp"
#include "mengscan/sync/payload.hpp"
#include "mengscan/sync/signature.hpp"
#include "mengscan/sync/verdict.hpp"

namespace mengscan::sync {

struct VerifyOptions {
    // Freshness: a badge after 24 h; `cache_stale` (suspect) after staleAfterSeconds.
    int64_t badgeAfterSeconds = 24 * 3600;
    int64_t staleAfterSeconds = 7 * 24 * 3600;
    // Certificate and key dates are calendar dates in this time zone (China: UTC+8).
    int64_t utcOffsetSeconds = 8 * 3600;
    // Duplicate scans (clone suspicion): sightings of one item code by distinct scanning
    // sessions within the window. The current session never counts against itself, and
    // other sessions' scans within the last debounceSeconds are ignored (one package
    // passed between two scanners at the same counter). More than maxSightings sightings
    // (this one included) -> duplicate_scans.
    int64_t duplicateWindowSeconds = 30 * 24 * 3600;
    int64_t duplicateDebounceSeconds = 120;
    int duplicateMaxSightings = 3;
    // An unsigned label is `signature_invalid` when set (default: signatures optional).
    bool requireSignature = false;
    // Keep one OpenSSL key object per signing key (false: rebuild per check; benchmarks).
    bool cacheSignatureKeys = true;
};

// What a frame showed besides the decoded text.
struct LabelContext {
    // Mark detection result; nullopt when detection did not run (no mark rule applied).
    std::optional<bool> markFound;
    // The printed human-readable line (OCR, typed in); empty = not compared.
    std::string printedText;
    // Scanning session (one device run, one operator sitting); scans of one session never
    // count as duplicates of each other.
    std::string session;
};

// Everything read from one frame.
struct FrameObservation {
    std::vector<std::string> payloads;  // decoded texts of every symbol read, in order
    int undecodedSymbols = 0;           // symbols located but not decoded
    LabelContext context;
};

class Verifier {
public:
    Verifier(CertificateCache* cache, ScanLog* scanLog, const PayloadRules& rules,
             const platform::Clock& clock, VerifyOptions options = {});
    ~Verifier();
    Verifier(const Verifier&) = delete;
    Verifier& operator=(const Verifier&) = delete;

    // The core: one parsed payload against the cache. Reads only (records nothing).
    Verdict verify(const ParsedPayload& payload, const LabelContext& context = {}) const;
    // Parses first; a payload the parser rejects is `payload_unrecognised`.
    Verdict verifyText(std::string_view raw, const LabelContext& context = {}) const;
    // A whole frame: picks the first payload that parses (a label may carry other codes,
    // e.g. a shop's QR code), and decides no_label / unreadable / code_missing when there
    // is nothing to verify.
    Verdict verifyFrame(const FrameObservation& frame) const;

    // Appends this scan to the scan log (when there is one and the verdict is about an
    // item code). Callers record after showing the verdict, so verify() stays read-only.
    Status recordScan(const Verdict& verdict, std::string_view session) const;

    const VerifyOptions& options() const { return options_; }
    bool hasCache() const { return cache_ != nullptr; }
    const SignatureVerifier& signatures() const { return signatures_; }

private:
    struct MetaSnapshot;
    Verdict verifyAgainstCache(const ParsedPayload& payload, const LabelContext& context) const;
    void applyLocalRules(const ParsedPayload& payload, const LabelContext& context,
                         std::vector<Reason>& reasons) const;
    Expected<std::string> lastUpdate() const;
    Expected<std::string> bodyName(const std::string& code) const;
    Expected<std::optional<Certificate>> certificate(const std::string& certNo) const;
    Expected<std::optional<BodyKey>> signingKey(const std::string& keyId) const;

    CertificateCache* cache_;
    ScanLog* scanLog_;
    const PayloadRules& rules_;
    const platform::Clock& clock_;
    VerifyOptions options_;
    SignatureVerifier signatures_;
    std::unique_ptr<MetaSnapshot> meta_;  // metadata and body names read recently
};

}  // namespace mengscan::sync
