#include "mengscan/sync/verdict_engine.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "calendar.hpp"
#include "mengscan/sync/cache_scan_log.hpp"
#include "mengscan/sync/read_scope.hpp"
#include "rules.hpp"

namespace mengscan::sync {

using verify::Reasons;

bool Verdict::has(ReasonCode code) const {
    return std::any_of(reasons.begin(), reasons.end(),
                       [code](const Reason& r) { return r.code == code; });
}

VerdictClass classify(const std::vector<Reason>& reasons) {
    bool suspect = false;
    for (const auto& reason : reasons) {
        if (reason.severity() == ReasonSeverity::Invalid) return VerdictClass::Invalid;
        suspect = true;
    }
    return suspect ? VerdictClass::Suspect : VerdictClass::Genuine;
}

namespace {

// Metadata is re-read at most this often (it changes only on import/sync), which keeps
// two SQLite queries off every verification.
constexpr int64_t kMetaRefreshNanos = 1000000000;
constexpr std::size_t kMaxRememberedCertificates = 100000;

Verdict failed(Verdict verdict, const Error& error) {
    verdict.verdict = VerdictClass::Unverified;
    verdict.error = error;
    return verdict;
}

}  // namespace

// What the verifier remembers between verifications. Certificates (thousands, a few
// hundred bytes each) and body names are kept in memory: each SQLite lookup costs a read
// transaction (file locks, several system calls), and a device verifies the same few
// products again and again. Everything is dropped as soon as the cache's metadata shows a
// new import or sync (checked at most once per kMetaRefreshNanos).
struct Verifier::MetaSnapshot {
    bool loaded = false;
    int64_t readAtNanos = 0;
    int64_t dataVersion = 0;  // PRAGMA data_version when last read
    std::string updatedAt;    // the later of last_sync and last_import
    std::string version;      // last_sync|last_import|cache_version: changes on every import
    std::map<std::string, std::string, std::less<>> bodyNames;
    std::unordered_map<std::string, std::optional<Certificate>> certificates;
    std::unordered_map<std::string, std::optional<BodyKey>> keys;
};

Verifier::Verifier(CertificateCache* cache, ScanLog* scanLog, const PayloadRules& rules,
                   const platform::Clock& clock, VerifyOptions options)
    : cache_(cache),
      scanLog_(scanLog),
      rules_(rules),
      clock_(clock),
      options_(options),
      signatures_(options.cacheSignatureKeys),
      meta_(std::make_unique<MetaSnapshot>()) {}

Verifier::~Verifier() = default;

Expected<std::string> Verifier::lastUpdate() const {
    // data_version changes on every commit by another connection (import, sync): then the
    // metadata and everything remembered is re-read at once. The time limit stays for a
    // verifier whose own connection writes (data_version does not count its own commits).
    auto dataVersion = cache_->dataVersion();
    if (!dataVersion) return Unexpected(dataVersion.error());
    const int64_t mono = clock_.monotonicNanos();
    if (meta_->loaded && *dataVersion == meta_->dataVersion &&
        mono - meta_->readAtNanos < kMetaRefreshNanos && mono >= meta_->readAtNanos) {
        return meta_->updatedAt;
    }
    auto sync = cache_->getMeta(kMetaLastSync);
    if (!sync) return Unexpected(sync.error());
    auto import = cache_->getMeta(kMetaLastImport);
    if (!import) return Unexpected(import.error());
    auto cacheVersion = cache_->getMeta(kMetaCacheVersion);
    if (!cacheVersion) return Unexpected(cacheVersion.error());
    const auto syncAt = verify::unixFromIsoTime(*sync);
    const auto importAt = verify::unixFromIsoTime(*import);
    std::string latest = *sync;
    if (importAt && (!syncAt || *importAt > *syncAt)) latest = *import;
    std::string version = *sync + "|" + *import + "|" + *cacheVersion;
    if (!meta_->loaded || version != meta_->version) {
        meta_->bodyNames.clear();
        meta_->certificates.clear();
        meta_->keys.clear();
        meta_->version = std::move(version);
    }
    if (*dataVersion != meta_->dataVersion) {
        // Certificates or keys may have changed without a metadata change (a merge import
        // that leaves cache_version alone): never serve them from memory after a commit.
        meta_->bodyNames.clear();
        meta_->certificates.clear();
        meta_->keys.clear();
    }
    meta_->loaded = true;
    meta_->readAtNanos = mono;
    meta_->dataVersion = *dataVersion;
    meta_->updatedAt = latest;
    return latest;
}

Expected<std::string> Verifier::bodyName(const std::string& code) const {
    auto it = meta_->bodyNames.find(code);
    if (it != meta_->bodyNames.end()) return it->second;
    auto body = cache_->findBody(code);
    if (!body) return Unexpected(body.error());
    std::string name = body->has_value() ? (*body)->name : std::string();
    meta_->bodyNames.emplace(code, name);
    return name;
}

Expected<std::optional<Certificate>> Verifier::certificate(const std::string& certNo) const {
    auto it = meta_->certificates.find(certNo);
    if (it != meta_->certificates.end()) return it->second;
    auto found = cache_->findCertificate(certNo);
    if (!found) return Unexpected(found.error());
    // Bounded: a stream of made-up certificate numbers cannot grow memory without limit.
    if (meta_->certificates.size() >= kMaxRememberedCertificates) meta_->certificates.clear();
    meta_->certificates.emplace(certNo, *found);
    return std::move(*found);
}

Expected<std::optional<BodyKey>> Verifier::signingKey(const std::string& keyId) const {
    auto it = meta_->keys.find(keyId);
    if (it != meta_->keys.end()) return it->second;
    auto found = cache_->findKey(keyId);
    if (!found) return Unexpected(found.error());
    if (meta_->keys.size() >= kMaxRememberedCertificates) meta_->keys.clear();
    meta_->keys.emplace(keyId, *found);
    return std::move(*found);
}

Verdict Verifier::verify(const ParsedPayload& payload, const LabelContext& context) const {
    if (cache_ == nullptr) {
        Verdict verdict;
        verdict.itemCode = payload.itemCode.empty() ? payload.serial : payload.itemCode;
        applyLocalRules(payload, context, verdict.reasons);
        verdict.verdict = VerdictClass::Unverified;
        return verdict;
    }
    return verifyAgainstCache(payload, context);
}

Verdict Verifier::verifyAgainstCache(const ParsedPayload& payload,
                                     const LabelContext& context) const {
    Verdict verdict;
    verdict.itemCode = payload.itemCode.empty() ? payload.serial : payload.itemCode;
    Reasons& reasons = verdict.reasons;
    // All of this verification's cache lookups in one read transaction: one lock/unlock
    // instead of one per lookup, and one consistent snapshot. Ended when this returns, so
    // the next verification sees whatever a sync committed meanwhile.
    ReadScope<CertificateCache> snapshot(cache_);
    const int64_t now = clock_.nowUnixSeconds();
    const int64_t today = verify::dayAt(now, options_.utcOffsetSeconds);

    auto updated = lastUpdate();
    if (!updated) return failed(std::move(verdict), updated.error());
    verdict.freshness = verify::freshnessOf(*updated, now, options_);
    if (!verdict.freshness->known) {
        // Never filled: nothing to verify against. Say so rather than pass or fail.
        reasons.push_back({ReasonCode::CacheStale, "the certificate cache has never been filled"});
        applyLocalRules(payload, context, reasons);
        verdict.verdict = VerdictClass::Unverified;
        return verdict;
    }
    if (verdict.freshness->stale) {
        reasons.push_back({ReasonCode::CacheStale,
                           "last updated " + verdict.freshness->updatedAt + ", " +
                               std::to_string(verdict.freshness->ageSeconds / 3600) +
                               " h ago (limit " +
                               std::to_string(options_.staleAfterSeconds / 3600) + " h)"});
    }

    // The issued-code record: needed to find the certificate of a label without a
    // certificate number, and to check certificates that list their codes.
    std::optional<ItemCodeRecord> issued;
    bool issuedLooked = false;
    auto lookIssued = [&]() -> Status {
        if (issuedLooked || payload.itemCode.empty()) return {};
        issuedLooked = true;
        auto record = cache_->findItemCode(payload.itemCode);
        if (!record) return Unexpected(record.error());
        issued = std::move(*record);
        return {};
    };

    std::optional<Certificate> cert;
    if (!payload.certNumber.empty()) {
        auto found = certificate(payload.certNumber);
        if (!found) return failed(std::move(verdict), found.error());
        cert = std::move(*found);
        if (!cert) {
            reasons.push_back({ReasonCode::CertificateUnknown,
                               payload.certNumber + " is not in the certificate cache"});
        }
    } else if (!payload.itemCode.empty()) {
        if (auto st = lookIssued(); !st) return failed(std::move(verdict), st.error());
        if (issued) {
            auto found = certificate(issued->certNo);
            if (!found) return failed(std::move(verdict), found.error());
            cert = std::move(*found);
        }
        if (!cert) {
            reasons.push_back({ReasonCode::CertificateUnknown,
                               "the label names no certificate and item code " + payload.itemCode +
                                   " is not in any issued-code list"});
        }
    } else if (!payload.gtin.empty()) {
        auto found = cache_->certificatesForGtin(payload.gtin);
        if (!found) return failed(std::move(verdict), found.error());
        // Several certificates may cover one GTIN (a renewal): prefer one in force today.
        for (auto& candidate : *found) {
            if (!cert || (verify::effectiveStatus(*cert, today) != "valid" &&
                          verify::effectiveStatus(candidate, today) == "valid")) {
                cert = candidate;
            }
        }
        if (!cert) {
            reasons.push_back(
                {ReasonCode::CertificateUnknown,
                 "the label names no certificate and no certificate covers GTIN " + payload.gtin});
        }
    } else {
        reasons.push_back({ReasonCode::CertificateUnknown, "the label names no certificate"});
    }

    if (cert) {
        verify::checkCertificateStatus(*cert, today, reasons);
        verify::checkBody(payload, *cert, reasons);
        verify::checkScope(payload, *cert, reasons);
        if (cert->hasItemList) {
            if (auto st = lookIssued(); !st) return failed(std::move(verdict), st.error());
            verify::checkIssued(payload, *cert, issued, reasons);
        }
        CertificateSummary summary;
        summary.certNo = cert->certNo;
        summary.holder = cert->holder;
        summary.product = cert->product;
        summary.category = cert->category;
        summary.bodyCode = cert->bodyCode;
        auto name = bodyName(cert->bodyCode);
        if (!name) return failed(std::move(verdict), name.error());
        summary.bodyName = *name;
        summary.issued = cert->issued;
        summary.expires = cert->expires;
        summary.status = verify::effectiveStatus(*cert, today);
        summary.storedStatus = toString(cert->status);
        verdict.certificate = std::move(summary);
    }

    if (!verdict.itemCode.empty()) {
        auto flag = cache_->findFlag(verdict.itemCode);
        if (!flag) return failed(std::move(verdict), flag.error());
        verify::checkFlag(*flag, reasons);
    }

    const std::string expectedBody = cert ? cert->bodyCode : payload.certBodyCode;
    std::optional<BodyKey> key;
    if (payload.hasSignature() && !payload.keyId.empty()) {
        auto found = signingKey(payload.keyId);
        if (!found) return failed(std::move(verdict), found.error());
        key = std::move(*found);
    }
    verify::checkSignature(key, signatures_, payload, expectedBody, today,
                           options_.requireSignature, reasons);

    if (scanLog_ != nullptr) {
        ReadScope<ScanLog> logSnapshot(scanLog_);  // the duplicate checks' 2-3 queries
        if (auto st = verify::checkDuplicates(*scanLog_, verdict.itemCode, context.session, now,
                                              options_, reasons);
            !st) {
            return failed(std::move(verdict), st.error());
        }
    }
    applyLocalRules(payload, context, reasons);
    verdict.verdict = classify(reasons);
    return verdict;
}

void Verifier::applyLocalRules(const ParsedPayload& payload, const LabelContext& context,
                               std::vector<Reason>& reasons) const {
    if (context.markFound && !*context.markFound) {
        reasons.push_back({ReasonCode::MarkMissing, "no Meng mark was detected beside the code"});
    }
    verify::checkPrintedText(payload, context.printedText, reasons);
}

Verdict Verifier::verifyText(std::string_view raw, const LabelContext& context) const {
    auto parsed = parsePayload(raw, rules_);
    if (parsed) return verify(*parsed, context);
    FrameObservation frame;
    frame.payloads.emplace_back(raw);
    frame.context = context;
    return verifyFrame(frame);
}

Verdict Verifier::verifyFrame(const FrameObservation& frame) const {
    const LabelContext& context = frame.context;
    Verdict verdict;
    if (frame.payloads.empty()) {
        if (frame.undecodedSymbols > 0) {
            verdict.verdict = VerdictClass::Unreadable;
        } else if (context.markFound.value_or(false)) {
            verdict.reasons.push_back(
                {ReasonCode::CodeMissing, "a Meng mark was detected but no code beside it"});
            verdict.verdict = cache_ ? VerdictClass::Suspect : VerdictClass::Unverified;
        } else {
            verdict.verdict = VerdictClass::NoLabel;
        }
        return verdict;
    }
    std::string firstError;
    for (const auto& text : frame.payloads) {
        auto parsed = parsePayload(text, rules_);
        if (parsed) return verify(*parsed, context);
        if (firstError.empty()) firstError = parsed.error().message;
    }
    std::string detail = firstError;
    if (frame.payloads.size() > 1) {
        detail = std::to_string(frame.payloads.size()) + " codes read, none is a label payload; " +
                 "first: " + firstError;
    }
    verdict.reasons.push_back({ReasonCode::PayloadUnrecognised, std::move(detail)});
    if (context.markFound && !*context.markFound) {
        verdict.verdict = VerdictClass::NoLabel;  // some other code, and no mark: not our label
    } else {
        verdict.verdict = cache_ ? VerdictClass::Invalid : VerdictClass::Unverified;
    }
    return verdict;
}

Status Verifier::recordScan(const Verdict& verdict, std::string_view session) const {
    if (scanLog_ == nullptr || verdict.itemCode.empty()) return {};
    ScanRecord record;
    record.itemCode = verdict.itemCode;
    record.scannedAtMs = clock_.nowUnixSeconds() * 1000;
    record.session = std::string(session);
    record.verdict = verdict.name();
    if (verdict.certificate) record.certNo = verdict.certificate->certNo;
    return scanLog_->record(record);
}

}  // namespace mengscan::sync
