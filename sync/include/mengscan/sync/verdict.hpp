// What verification decided about one label: a verdict class, the reasons behind it (each
// with a zh-CN and an en message and a detail naming the values involved), the
// certificate the label refers to when the cache knows it, and how fresh the cache was.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mengscan/error.hpp"
#include "mengscan/sync/reasons.hpp"

namespace mengscan::sync {

struct Reason {
    ReasonCode code = ReasonCode::PayloadUnrecognised;
    std::string detail;  // English, names the values involved ("expired on 2025-02-28")

    const char* name() const { return toString(code); }
    const char* zh() const { return reasonInfo(code).zh; }
    const char* en() const { return reasonInfo(code).en; }
    ReasonSeverity severity() const { return reasonInfo(code).severity; }
};

// The certificate as the cache knows it, with the status verification applied.
struct CertificateSummary {
    std::string certNo;
    std::string holder, product, category;
    std::string bodyCode, bodyName;
    std::string issued, expires;  // "YYYY-MM-DD", inclusive
    std::string status;           // effective: "expired" once past `expires`
    std::string storedStatus;     // as the registry last published it
};

// How old the cache's data is. The badge is shown once the data is older than
// VerifyOptions::badgeAfterSeconds (24 h), like the EU certificate apps' freshness line.
struct CacheFreshness {
    bool known = false;     // false: the cache was never filled (no import, no sync)
    std::string updatedAt;  // ISO time of the last sync (or import when never synced)
    int64_t ageSeconds = 0;
    bool showBadge = false;
    std::string badgeZh, badgeEn;  // "3 小时前更新" / "updated 3 h ago"; empty when fresh
    bool stale = false;            // past VerifyOptions::staleAfterSeconds: cache_stale
};

struct Verdict {
    VerdictClass verdict = VerdictClass::Unverified;
    std::vector<Reason> reasons;
    std::optional<CertificateSummary> certificate;
    std::optional<CacheFreshness> freshness;  // nullopt: no cache given
    std::string itemCode;  // the item code (or serial) the verdict is about, if any
    Error error;           // set when the cache could not be read (verdict: unverified)

    bool has(ReasonCode code) const;
    const char* name() const { return toString(verdict); }
};

// The class that a set of reasons gives a label that could be checked against a cache:
// any Invalid-severity reason -> invalid, else any Suspect reason -> suspect, else genuine.
VerdictClass classify(const std::vector<Reason>& reasons);

}  // namespace mengscan::sync
