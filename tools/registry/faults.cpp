#include "faults.hpp"

#include <set>

namespace mengscan::registry {

Expected<FaultRule> parseFaultSpec(const std::string& spec) {
    static const std::set<std::string> kinds = {
        "slow",      "status",          "cut",           "wrong-hash",
        "truncated", "wrong-signature", "older-version", "garbage-manifest"};
    FaultRule rule;
    std::string rest = spec;
    try {
        if (auto at = rest.find('@'); at != std::string::npos) {
            rule.times = std::stoll(rest.substr(at + 1));
            rest = rest.substr(0, at);
        }
        if (auto colon = rest.find(':'); colon != std::string::npos) {
            rule.arg = std::stoll(rest.substr(colon + 1));
            rest = rest.substr(0, colon);
        }
    } catch (const std::exception&) {
        return makeUnexpected(ErrorCategory::Usage, "bad_fault", "bad fault spec '" + spec + "'");
    }
    rule.kind = rest;
    if (!kinds.count(rule.kind)) {
        return makeUnexpected(ErrorCategory::Usage, "bad_fault",
                              "unknown fault '" + rule.kind +
                                  "' (slow, status, cut, wrong-hash, truncated, wrong-signature, "
                                  "older-version, garbage-manifest)");
    }
    if (rule.kind == "status" && rule.arg == 0) rule.arg = 503;
    if (rule.kind == "status" && (rule.arg < 400 || rule.arg > 599)) {
        return makeUnexpected(ErrorCategory::Usage, "bad_fault", "status fault needs 400-599");
    }
    return rule;
}

void Faults::set(std::vector<FaultRule> rules) {
    std::lock_guard<std::mutex> lock(mutex_);
    rules_ = std::move(rules);
}

std::optional<FaultRule> Faults::take(const std::string& kind) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& rule : rules_) {
        if (rule.kind != kind || rule.times == 0) continue;
        if (rule.times > 0) --rule.times;
        return rule;
    }
    return std::nullopt;
}

std::string Faults::describe() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    for (const auto& r : rules_) {
        if (!out.empty()) out += ",";
        out += r.kind + ":" + std::to_string(r.arg) + "@" + std::to_string(r.times);
    }
    return out;
}

}  // namespace mengscan::registry
