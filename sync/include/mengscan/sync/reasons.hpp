// The catalogue of verdict classes and reason codes of ../shared/domain/README.md, each
// with a zh-CN and an en message. Codes are stable machine strings (JSON, logs, tests);
// messages are for people and may be reworded.
#pragma once

#include <optional>
#include <string_view>

namespace mengscan::sync {

enum class VerdictClass { Genuine, Invalid, Suspect, Unreadable, NoLabel, Unverified };

enum class ReasonCode {
    CertificateUnknown,
    CertificateSuspended,
    CertificateRevoked,
    CertificateWithdrawn,
    CertificateExpired,
    ItemCodeUnknown,
    ItemCodeFlagged,
    SignatureInvalid,
    SignatureKeyUnknown,
    PayloadUnrecognised,
    BodyMismatch,
    ScopeMismatch,
    MarkMissing,
    CodeMissing,
    PrintedTextMismatch,
    DuplicateScans,
    CacheStale,
};

// Every reason, in catalogue order (for docs, tests and iteration).
inline constexpr ReasonCode kAllReasonCodes[] = {
    ReasonCode::CertificateUnknown,  ReasonCode::CertificateSuspended,
    ReasonCode::CertificateRevoked,  ReasonCode::CertificateWithdrawn,
    ReasonCode::CertificateExpired,  ReasonCode::ItemCodeUnknown,
    ReasonCode::ItemCodeFlagged,     ReasonCode::SignatureInvalid,
    ReasonCode::SignatureKeyUnknown, ReasonCode::PayloadUnrecognised,
    ReasonCode::BodyMismatch,        ReasonCode::ScopeMismatch,
    ReasonCode::MarkMissing,         ReasonCode::CodeMissing,
    ReasonCode::PrintedTextMismatch, ReasonCode::DuplicateScans,
    ReasonCode::CacheStale,
};

inline constexpr VerdictClass kAllVerdictClasses[] = {
    VerdictClass::Genuine,    VerdictClass::Invalid, VerdictClass::Suspect,
    VerdictClass::Unreadable, VerdictClass::NoLabel, VerdictClass::Unverified,
};

// What a reason does to the verdict of a label that could be checked (see docs/verdicts.md):
// Invalid reasons make the verdict `invalid`, Suspect reasons make it `suspect` unless an
// Invalid reason is also present.
enum class ReasonSeverity { Invalid, Suspect };

struct ReasonInfo {
    ReasonCode code;
    const char* name;  // "certificate_revoked"
    ReasonSeverity severity;
    const char* zh;  // zh-CN message
    const char* en;  // en message
};

const ReasonInfo& reasonInfo(ReasonCode code);
const char* toString(ReasonCode code);
std::optional<ReasonCode> reasonCodeFromString(std::string_view name);

struct VerdictClassInfo {
    VerdictClass verdict;
    const char* name;  // "genuine"
    const char* zh;
    const char* en;
};

const VerdictClassInfo& verdictClassInfo(VerdictClass verdict);
const char* toString(VerdictClass verdict);
std::optional<VerdictClass> verdictClassFromString(std::string_view name);

}  // namespace mengscan::sync
