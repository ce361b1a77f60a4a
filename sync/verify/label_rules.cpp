// Rules about the scan itself rather than the certificate: duplicate scans from the local
// scan log, the printed text, and the cache's freshness.
#include <cctype>

#include "calendar.hpp"
#include "rules.hpp"

namespace mengscan::sync::verify {
namespace {

// Upper-case ASCII letters and digits only: "0021-MZB-24-00057" -> "0021MZB2400057".
std::string alnumUpper(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && std::isalnum(u)) out.push_back(static_cast<char>(std::toupper(u)));
    }
    return out;
}

std::string ageText(int64_t seconds, bool zh) {
    const int64_t hours = seconds / 3600;
    if (hours < 48) {
        return zh ? std::to_string(hours) + " 小时前更新"
                  : "updated " + std::to_string(hours) + " h ago";
    }
    const int64_t days = hours / 24;
    return zh ? std::to_string(days) + " 天前更新"
              : "updated " + std::to_string(days) + " days ago";
}

}  // namespace

Status checkDuplicates(ScanLog& log, std::string_view code, std::string_view session,
                       int64_t nowSeconds, const VerifyOptions& options, Reasons& reasons) {
    if (code.empty()) return {};
    const int64_t fromMs = (nowSeconds - options.duplicateWindowSeconds) * 1000;
    const int64_t toMs = (nowSeconds - options.duplicateDebounceSeconds) * 1000;
    if (toMs < fromMs) return {};
    // Cheapest first: most codes have never been seen before.
    auto scans = log.countInWindow(code, fromMs, toMs);
    if (!scans) return Unexpected(scans.error());
    if (*scans == 0) return {};
    auto sessions = log.sessionsInWindow(code, fromMs, toMs);
    if (!sessions) return Unexpected(sessions.error());
    int64_t others = *sessions;
    if (!session.empty()) {
        auto otherScans = log.countInWindow(code, fromMs, toMs, session);
        if (!otherScans) return Unexpected(otherScans.error());
        if (*otherScans < *scans) --others;  // the current session scanned it before
    }
    const int64_t sightings = others + 1;
    if (sightings > options.duplicateMaxSightings) {
        reasons.push_back(
            {ReasonCode::DuplicateScans,
             std::string(code) + " seen by " + std::to_string(others) +
                 " other scanning session(s) in the last " +
                 std::to_string(options.duplicateWindowSeconds / 86400) + " day(s) (more than " +
                 std::to_string(options.duplicateMaxSightings) + " sightings is suspicious)"});
    }
    return {};
}

void checkPrintedText(const ParsedPayload& payload, std::string_view printedText,
                      Reasons& reasons) {
    if (printedText.empty()) return;
    const std::string printed = alnumUpper(printedText);
    auto require = [&](const std::string& value, const char* what) {
        if (value.empty()) return;
        if (printed.find(alnumUpper(value)) == std::string::npos) {
            reasons.push_back(
                {ReasonCode::PrintedTextMismatch,
                 std::string("the printed text does not contain the ") + what + " " + value});
        }
    };
    require(payload.certNumber, "certificate number");
    require(payload.itemCode.empty() ? payload.serial : payload.itemCode,
            payload.itemCode.empty() ? "serial" : "item code");
}

CacheFreshness freshnessOf(std::string_view updatedAt, int64_t nowSeconds,
                           const VerifyOptions& options) {
    CacheFreshness fresh;
    const auto at = unixFromIsoTime(updatedAt);
    if (!at) {
        fresh.stale = true;  // never filled, or an unreadable time: never a silent pass
        return fresh;
    }
    fresh.known = true;
    fresh.updatedAt = std::string(updatedAt);
    fresh.ageSeconds = nowSeconds > *at ? nowSeconds - *at : 0;
    fresh.showBadge = fresh.ageSeconds > options.badgeAfterSeconds;
    if (fresh.showBadge) {
        fresh.badgeZh = ageText(fresh.ageSeconds, true);
        fresh.badgeEn = ageText(fresh.ageSeconds, false);
    }
    fresh.stale = fresh.ageSeconds > options.staleAfterSeconds;
    return fresh;
}

}  // namespace mengscan::sync::verify
