#include "mengscan/sync/reasons.hpp"

#include <cassert>
#include <iterator>

namespace mengscan::sync {
namespace {

using S = ReasonSeverity;

// Indexed by ReasonCode; the static_assert below keeps it in step with the enum.
constexpr ReasonInfo kReasons[] = {
    {ReasonCode::CertificateUnknown, "certificate_unknown", S::Invalid, "证书编号不在证书库中",
     "The certificate number is not in the certificate database"},
    {ReasonCode::CertificateSuspended, "certificate_suspended", S::Invalid,
     "证书已被暂停，暂停期间不得使用蒙字标", "The certificate is suspended"},
    {ReasonCode::CertificateRevoked, "certificate_revoked", S::Invalid, "证书已被撤销",
     "The certificate has been revoked"},
    {ReasonCode::CertificateWithdrawn, "certificate_withdrawn", S::Invalid, "证书已被注销",
     "The certificate has been withdrawn (cancelled)"},
    {ReasonCode::CertificateExpired, "certificate_expired", S::Invalid, "证书已超过有效期",
     "The certificate has expired"},
    {ReasonCode::ItemCodeUnknown, "item_code_unknown", S::Suspect,
     "追溯码不在该证书已发放的编码清单中",
     "The item code is not in the list of codes issued under this certificate"},
    {ReasonCode::ItemCodeFlagged, "item_code_flagged", S::Invalid,
     "该追溯码已被标记（仿冒举报或召回）",
     "This item code has been flagged (reported clone or recall)"},
    {ReasonCode::SignatureInvalid, "signature_invalid", S::Invalid, "防伪签名无效",
     "The anti-forgery signature is invalid"},
    {ReasonCode::SignatureKeyUnknown, "signature_key_unknown", S::Suspect,
     "签名密钥未知或不在有效期内，无法核验签名",
     "The signing key is unknown or outside its validity; the signature cannot be checked"},
    {ReasonCode::PayloadUnrecognised, "payload_unrecognised", S::Invalid,
     "二维码内容不是可识别的蒙字标标签格式",
     "The code's content is not a recognised Meng-mark label format"},
    {ReasonCode::BodyMismatch, "body_mismatch", S::Invalid,
     "追溯码中的认证机构代码与证书的认证机构不符",
     "The certification body in the item code does not match the certificate's body"},
    {ReasonCode::ScopeMismatch, "scope_mismatch", S::Invalid,
     "商品条码（GTIN）不在证书的认证范围内",
     "The product's GTIN is not covered by the certificate"},
    {ReasonCode::MarkMissing, "mark_missing", S::Suspect, "发现二维码，但旁边没有蒙字标",
     "A code was found but no Meng mark beside it"},
    {ReasonCode::CodeMissing, "code_missing", S::Suspect, "发现蒙字标，但旁边没有二维码",
     "The Meng mark was found but no code beside it"},
    {ReasonCode::PrintedTextMismatch, "printed_text_mismatch", S::Suspect,
     "标签上印刷的文字与二维码内容不一致", "The printed text does not match the code"},
    {ReasonCode::DuplicateScans, "duplicate_scans", S::Suspect,
     "该追溯码被扫描的次数异常，可能是复制的标签",
     "This item code has been seen unusually often (possible cloned label)"},
    {ReasonCode::CacheStale, "cache_stale", S::Suspect, "证书库长时间未更新，结果可能已过时",
     "The certificate database has not been updated for too long; the result may be out "
     "of date"},
};
static_assert(std::size(kReasons) == std::size(kAllReasonCodes), "one entry per reason");

constexpr VerdictClassInfo kVerdicts[] = {
    {VerdictClass::Genuine, "genuine", "真品：证书有效，标签核验通过",
     "Genuine: valid certificate, label checks passed"},
    {VerdictClass::Invalid, "invalid", "无效：标签未通过核验",
     "Invalid: the label failed verification"},
    {VerdictClass::Suspect, "suspect", "可疑：请人工确认", "Suspect: please confirm by hand"},
    {VerdictClass::Unreadable, "unreadable", "无法读取：请重新扫描",
     "Unreadable: please scan again"},
    {VerdictClass::NoLabel, "no_label", "未发现蒙字标标签", "No Meng-mark label found"},
    {VerdictClass::Unverified, "unverified", "未核验：没有可用的证书库",
     "Not verified: no usable certificate database"},
};
static_assert(std::size(kVerdicts) == std::size(kAllVerdictClasses), "one entry per class");

}  // namespace

const ReasonInfo& reasonInfo(ReasonCode code) {
    const auto index = static_cast<std::size_t>(code);
    assert(index < std::size(kReasons) && kReasons[index].code == code);
    return kReasons[index];
}

const char* toString(ReasonCode code) {
    return reasonInfo(code).name;
}

std::optional<ReasonCode> reasonCodeFromString(std::string_view name) {
    for (const auto& info : kReasons) {
        if (name == info.name) return info.code;
    }
    return std::nullopt;
}

const VerdictClassInfo& verdictClassInfo(VerdictClass verdict) {
    const auto index = static_cast<std::size_t>(verdict);
    assert(index < std::size(kVerdicts) && kVerdicts[index].verdict == verdict);
    return kVerdicts[index];
}

const char* toString(VerdictClass verdict) {
    return verdictClassInfo(verdict).name;
}

std::optional<VerdictClass> verdictClassFromString(std::string_view name) {
    for (const auto& info : kVerdicts) {
        if (name == info.name) return info.verdict;
    }
    return std::nullopt;
}

}  // namespace mengscan::sync
