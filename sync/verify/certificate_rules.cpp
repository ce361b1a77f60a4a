// Rules that compare the label with the certificate record: status and dates, body,
// GTIN scope, issued item codes and flags.
#include <algorithm>

#include "calendar.hpp"
#include "rules.hpp"

namespace mengscan::sync::verify {

std::string normaliseBodyCode(std::string_view code) {
    if (code.size() == 3) return "0" + std::string(code);
    return std::string(code);
}

namespace {

bool pastEnd(const Certificate& cert, int64_t today) {
    const auto end = daysFromDate(cert.expires);
    // An unreadable end date cannot prove validity: treat it as expired.
    return !end || today > *end;
}

}  // namespace

std::string effectiveStatus(const Certificate& cert, int64_t today) {
    if (pastEnd(cert, today)) return toString(CertificateStatus::Expired);
    return toString(cert.status);
}

void checkCertificateStatus(const Certificate& cert, int64_t today, Reasons& reasons) {
    const std::string since = cert.statusAt.empty() ? "" : " since " + cert.statusAt;
    const std::string why = cert.statusReason.empty() ? "" : " (" + cert.statusReason + ")";
    switch (cert.status) {
        case CertificateStatus::Valid:
            break;
        case CertificateStatus::Suspended:
            reasons.push_back(
                {ReasonCode::CertificateSuspended, cert.certNo + " suspended" + since + why});
            break;
        case CertificateStatus::Revoked:
            reasons.push_back(
                {ReasonCode::CertificateRevoked, cert.certNo + " revoked" + since + why});
            break;
        case CertificateStatus::Withdrawn:
            reasons.push_back(
                {ReasonCode::CertificateWithdrawn, cert.certNo + " withdrawn" + since + why});
            break;
        case CertificateStatus::Expired:
            if (!pastEnd(cert, today)) {
                reasons.push_back({ReasonCode::CertificateExpired,
                                   cert.certNo + " marked expired by the registry" + since});
            }
            break;
    }
    if (pastEnd(cert, today)) {
        reasons.push_back({ReasonCode::CertificateExpired,
                           cert.certNo + " valid until " + cert.expires + ", now past"});
    }
    const auto start = daysFromDate(cert.issued);
    if (start && today < *start) {
        // Not in force yet: the registry does not know it as a valid certificate today.
        reasons.push_back({ReasonCode::CertificateUnknown,
                           cert.certNo + " is not in force before " + cert.issued});
    }
}

void checkBody(const ParsedPayload& payload, const Certificate& cert, Reasons& reasons) {
    if (payload.itemBodyCode.empty()) return;
    const std::string itemBody = normaliseBodyCode(payload.itemBodyCode);
    const std::string certBody = normaliseBodyCode(cert.bodyCode);
    if (itemBody != certBody) {
        reasons.push_back(
            {ReasonCode::BodyMismatch, "item code " + payload.itemCode + " names body " + itemBody +
                                           ", " + cert.certNo + " is certified by " + certBody});
    }
}

void checkScope(const ParsedPayload& payload, const Certificate& cert, Reasons& reasons) {
    if (payload.gtin.empty() || cert.gtins.empty()) return;
    if (std::find(cert.gtins.begin(), cert.gtins.end(), payload.gtin) == cert.gtins.end()) {
        reasons.push_back({ReasonCode::ScopeMismatch,
                           "GTIN " + payload.gtin + " is not in the scope of " + cert.certNo});
    }
}

void checkIssued(const ParsedPayload& payload, const Certificate& cert,
                 const std::optional<ItemCodeRecord>& issued, Reasons& reasons) {
    if (!cert.hasItemList || payload.itemCode.empty()) return;
    if (!issued) {
        reasons.push_back(
            {ReasonCode::ItemCodeUnknown,
             "item code " + payload.itemCode + " was not issued under " + cert.certNo});
    } else if (issued->certNo != cert.certNo) {
        reasons.push_back({ReasonCode::ItemCodeUnknown, "item code " + payload.itemCode +
                                                            " was issued under " + issued->certNo +
                                                            ", not " + cert.certNo});
    }
}

void checkFlag(const std::optional<FlaggedCode>& flag, Reasons& reasons) {
    if (!flag) return;
    std::string detail = flag->code + " flagged";
    if (!flag->reason.empty()) detail += ": " + flag->reason;
    if (!flag->flaggedAt.empty()) detail += " (" + flag->flaggedAt + ")";
    reasons.push_back({ReasonCode::ItemCodeFlagged, std::move(detail)});
}

}  // namespace mengscan::sync::verify
