// Field checks for registry records: the registry refuses what a device's cache import
// would refuse (docs/cache-format.md), so one bad record can never block every device.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mengscan::registry {

bool isDigits(std::string_view text, size_t minLen, size_t maxLen);
bool isDate(std::string_view text);     // YYYY-MM-DD, a real calendar day
bool isIsoTime(std::string_view text);  // YYYY-MM-DDTHH:MM:SSZ
bool isStatus(std::string_view text);   // valid, suspended, revoked, withdrawn, expired
// GTIN-8/12/13/14 with a valid check digit, as GTIN-14; nullopt otherwise.
std::optional<std::string> gtin14(std::string_view digits);
// Ed25519 raw key in base64url (standard base64 and padding accepted) -> base64url.
std::optional<std::string> normalisePublicKey(std::string_view text);

}  // namespace mengscan::registry
