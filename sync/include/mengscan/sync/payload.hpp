// Label payload parsing: turns the text decoded from a label's 2D code (or typed in) into
// structured fields, offline and in microseconds. Every payload kind of
// ../shared/domain/README.md is accepted; anything else is Payload/payload_unrecognised
// with a precise message. Never throws on any input.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mengscan/expected.hpp"
#include "mengscan/sync/payload_rules.hpp"

namespace mengscan::sync {

enum class PayloadKind { TraceUrl, Gs1DigitalLink, Gs1ElementString, ItemCode };

struct ParsedPayload {
    PayloadKind kind = PayloadKind::ItemCode;
    std::string raw;  // exactly as decoded (symbology prefix and control characters kept)

    std::string host;  // URL kinds, lower-cased

    std::string certNumber;                          // "0021-MZB-24-00057" or empty
    std::string certBodyCode, certYear, certSerial;  // parts of certNumber

    // 17/18 digits as text, or empty. GS1 kinds naming a certificate also take it from a
    // serial (AI 21) that is a valid item code; `serial` keeps it too.
    std::string itemCode;
    std::string itemBodyCode;  // 3 or 4 digit body code from itemCode
    std::string itemYear;      // 2 digit year from itemCode

    std::string gtin;           // 14 digits (8/12/13 are zero-padded), check digit verified
    std::string serial, batch;  // GS1 AI 21 / 10 (also trace path {serial}/{batch})

    std::string keyId;               // k=
    std::vector<uint8_t> signature;  // s= decoded (64 bytes) or empty
    // "<cert_no>|<item_code or serial>" (UTF-8): the bytes the Ed25519 signature covers.
    // Set whenever certNumber and (itemCode or serial) are known, signed or not.
    std::string signedMessage;

    std::string symbologyId;  // "]Q3", "]d2", "]C1" ... when present in the payload
    // Other GS1 AIs ("17" -> "261231") and other query attributes ("lang" -> "zh").
    std::map<std::string, std::string> attributes;

    bool hasSignature() const { return !signature.empty(); }
};

Expected<ParsedPayload> parsePayload(std::string_view raw, const PayloadRules& rules);

// "trace_url", "gs1_digital_link", "gs1_element_string", "item_code"
const char* toString(PayloadKind kind);

// GS1 helpers shared with cache import and the label generator.
// True when `digits` (8, 12, 13 or 14 digits) ends in the right GS1 mod-10 check digit.
bool gtinCheckDigitValid(std::string_view digits);
// The GS1 mod-10 check digit for the digits before it (0-9), or -1 for non-digits.
int gs1CheckDigit(std::string_view digitsWithoutCheck);
// A GTIN-8/12/13/14 as GTIN-14 (zero-padded), check digit verified; error otherwise.
Expected<std::string> normaliseGtin(std::string_view digits);

}  // namespace mengscan::sync
