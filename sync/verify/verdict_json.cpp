#include "mengscan/sync/verdict_json.hpp"

#include <sstream>

namespace mengscan::sync {

nlohmann::ordered_json toJson(const Reason& reason) {
    return {{"code", reason.name()},
            {"severity", reason.severity() == ReasonSeverity::Invalid ? "invalid" : "suspect"},
            {"zh", reason.zh()},
            {"en", reason.en()},
            {"detail", reason.detail}};
}

nlohmann::ordered_json toJson(const CertificateSummary& certificate) {
    return {{"number", certificate.certNo},   {"holder", certificate.holder},
            {"product", certificate.product}, {"category", certificate.category},
            {"body", certificate.bodyCode},   {"body_name", certificate.bodyName},
            {"issued", certificate.issued},   {"expires", certificate.expires},
            {"status", certificate.status},   {"stored_status", certificate.storedStatus}};
}

nlohmann::ordered_json toJson(const CacheFreshness& freshness) {
    nlohmann::ordered_json json;
    json["updated_at"] = freshness.known ? nlohmann::ordered_json(freshness.updatedAt)
                                         : nlohmann::ordered_json(nullptr);
    json["age_hours"] = freshness.known ? nlohmann::ordered_json(freshness.ageSeconds / 3600)
                                        : nlohmann::ordered_json(nullptr);
    json["badge_zh"] = freshness.badgeZh;
    json["badge_en"] = freshness.badgeEn;
    json["stale"] = freshness.stale;
    return json;
}

nlohmann::ordered_json toJson(const Verdict& verdict) {
    const auto& info = verdictClassInfo(verdict.verdict);
    nlohmann::ordered_json json;
    json["verdict"] = info.name;
    json["message"] = {{"zh", info.zh}, {"en", info.en}};
    auto reasons = nlohmann::ordered_json::array();
    for (const auto& reason : verdict.reasons) reasons.push_back(toJson(reason));
    json["reasons"] = std::move(reasons);
    json["certificate"] =
        verdict.certificate ? toJson(*verdict.certificate) : nlohmann::ordered_json(nullptr);
    json["cache"] =
        verdict.freshness ? toJson(*verdict.freshness) : nlohmann::ordered_json(nullptr);
    json["item_code"] = verdict.itemCode;
    if (verdict.error) json["error"] = verdict.error.describe();
    return json;
}

std::string toText(const Verdict& verdict) {
    const auto& info = verdictClassInfo(verdict.verdict);
    std::ostringstream out;
    out << "verdict: " << info.name << "  " << info.zh << " / " << info.en << "\n";
    for (const auto& reason : verdict.reasons) {
        out << "  - " << reason.name() << ": " << reason.zh() << " / " << reason.en();
        if (!reason.detail.empty()) out << " [" << reason.detail << "]";
        out << "\n";
    }
    if (verdict.certificate) {
        const auto& c = *verdict.certificate;
        out << "certificate: " << c.certNo << " (" << c.status << ")\n"
            << "  holder: " << c.holder << "\n"
            << "  product: " << c.product << (c.category.empty() ? "" : " / " + c.category) << "\n"
            << "  body: " << c.bodyCode << (c.bodyName.empty() ? "" : " " + c.bodyName) << "\n"
            << "  valid: " << c.issued << " .. " << c.expires << "\n";
    }
    if (verdict.freshness) {
        const auto& f = *verdict.freshness;
        out << "cache: " << (f.known ? "updated " + f.updatedAt : std::string("never filled"));
        if (f.showBadge) out << " (" << f.badgeEn << " / " << f.badgeZh << ")";
        if (f.stale) out << " STALE";
        out << "\n";
    }
    if (verdict.error) out << "error: " << verdict.error.describe() << "\n";
    return out.str();
}

}  // namespace mengscan::sync
