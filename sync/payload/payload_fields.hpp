// Internal: the parsers for each payload kind and the field setters they share, so every
// kind validates item codes, certificate numbers, GTINs and signatures the same way.
#pragma once

#include <string_view>

#include "mengscan/sync/payload.hpp"

namespace mengscan::sync::detail {

// Field setters: validate, then store into `out`. `where` names the source in messages
// ("path segment 3", "AI 21", ...).
Status setItemCode(ParsedPayload& out, std::string_view digits, const PayloadRules& rules,
                   std::string_view where);
Status setCertNumber(ParsedPayload& out, std::string_view text, const PayloadRules& rules);
// AI 7230 value: "<certReferencePrefix><cert_no>" sets the certificate; another scheme's
// reference is kept as attribute "7230".
Status setCertReference(ParsedPayload& out, std::string_view value, const PayloadRules& rules);
Status setGtin(ParsedPayload& out, std::string_view digits, std::string_view where);
Status setKeyId(ParsedPayload& out, std::string_view text);
Status setSignature(ParsedPayload& out, std::string_view text);
// GS1 AI value check (length, character set, dates); `ai` must be known.
Status checkAiValue(std::string_view ai, std::string_view value);
// Length of the GS1 AI at the start of `data` (2-4), or 0 if no known AI starts there.
std::size_t gs1AiLength(std::string_view data);
// GS1 kinds: a serial that is a valid item code on a label naming a certificate is the
// item code (the 追溯码 carried as AI 21). Then sets signedMessage.
void finishPayload(ParsedPayload& out, const PayloadRules& rules);

// Per-kind parsers. `text` is the payload without its symbology identifier.
Status parseUrl(ParsedPayload& out, std::string_view text, const PayloadRules& rules);
Status parseElementString(ParsedPayload& out, std::string_view text, const PayloadRules& rules);
// "(01)09501101530003(21)SN1(7230)MZ...": the form printed under a barcode or typed.
Status parseHriElementString(ParsedPayload& out, std::string_view text, const PayloadRules& rules);
Status parseItemCodePayload(ParsedPayload& out, std::string_view text, const PayloadRules& rules);

}  // namespace mengscan::sync::detail
