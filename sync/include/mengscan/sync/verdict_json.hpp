// The JSON form of a Verdict, shared by `mengscan scan --json` and `mengscan cache lookup
// --json` (field list in docs/verdicts.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "mengscan/sync/verdict.hpp"

namespace mengscan::sync {

// {"verdict","message":{"zh","en"},"reasons":[{"code","severity","zh","en","detail"}],
//  "certificate":{...}|null,"cache":{...}|null,"item_code","error"?}
nlohmann::ordered_json toJson(const Verdict& verdict);
nlohmann::ordered_json toJson(const Reason& reason);
nlohmann::ordered_json toJson(const CertificateSummary& certificate);
nlohmann::ordered_json toJson(const CacheFreshness& freshness);

// Multi-line human-readable text (both languages), for `cache lookup` without --json.
std::string toText(const Verdict& verdict);

}  // namespace mengscan::sync
