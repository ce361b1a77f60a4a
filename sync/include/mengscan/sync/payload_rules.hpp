// Configurable rules for label payload parsing: host allow-lists, trace path patterns with
// named fields, the certificate-number format, item-code prefixes and the length limit.
// Defaults match ../shared/domain/README.md; a deployer overrides them from the device's
// JSON config (see docs/payloads.md) because the real platform's URLs may differ.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::sync {

// Fields a trace path pattern may name, e.g. "/t/{cert_no}/{item_code}".
enum class TraceField { Literal, CertNo, ItemCode, Serial, Gtin, Batch, KeyId, Ignore };

// One segment of a compiled trace path pattern: either a literal segment or a named field.
struct TracePathSegment {
    TraceField field = TraceField::Literal;
    std::string literal;  // for Literal segments (compared exactly)
};

struct TracePathPattern {
    std::string text;                        // as configured
    std::vector<TracePathSegment> segments;  // compiled; matched segment by segment
};

// Certificate-number format such as "{body:4}-MZB-{year:2}-{serial:5}": literal text plus
// digit fields body/year/serial, each with a digit count or a range "{body:3-4}".
struct CertNumberPiece {
    enum class Kind { Literal, Body, Year, Serial } kind = Kind::Literal;
    std::string literal;
    int minDigits = 0, maxDigits = 0;
};

struct CertNumberFormat {
    std::string text;
    std::vector<CertNumberPiece> pieces;
};

// Parts of a certificate number that matched the configured format.
struct CertNumberParts {
    std::string bodyCode, year, serial;
};

class PayloadRules {
public:
    // Defaults from the domain README.
    PayloadRules();

    // Hosts accepted for trace URLs and for GS1 Digital Links (compared case-insensitively).
    // "*" accepts any host; "*.example.org" accepts sub-domains of example.org.
    std::vector<std::string> traceHosts{"trace.mzb.example"};
    std::vector<std::string> digitalLinkHosts{"trace.mzb.example", "id.mzb.example", "id.gs1.org"};
    // Plain http:// is refused unless this is set (a test rig's local server, for example).
    bool allowHttp = false;
    // Prefixes accepted before a bare item code ("有机码 0021...", "追溯码：0021...").
    std::vector<std::string> itemCodePrefixes{"有机码", "追溯码"};
    // Item code digit counts accepted (17 = 3-digit body, 18 = 4-digit body).
    bool acceptItemCode17 = true;
    bool acceptItemCode18 = true;
    // Prefix of the GS1 AI 7230 certification reference that marks a Meng certificate.
    std::string certReferencePrefix = "MZ";
    // Longest payload accepted, in bytes (before any decoding).
    std::size_t maxPayloadBytes = 1024;

    // Trace path patterns, tried in order. Each segment is a literal or one of
    // {cert_no} {item_code} {serial} {gtin} {batch} {key_id} {_}; a pattern must name
    // {cert_no} and one of {item_code}/{serial}.
    Status setTracePaths(const std::vector<std::string>& patterns);
    const std::vector<TracePathPattern>& tracePaths() const { return tracePaths_; }

    // Certificate-number format, default "{body:4}-MZB-{year:2}-{serial:5}".
    Status setCertNumberFormat(const std::string& format);
    const CertNumberFormat& certNumberFormat() const { return certFormat_; }

private:
    std::vector<TracePathPattern> tracePaths_;
    CertNumberFormat certFormat_;
};

// Reads rules from the device's JSON config object. Every key is optional; missing keys
// keep their defaults; unknown keys and wrong types are errors (Usage / bad_payload_rules).
// Keys: trace_hosts, digital_link_hosts, allow_http, trace_paths, cert_number_format,
// item_code_prefixes, item_code_lengths ([17,18]), cert_reference_prefix, max_payload_bytes.
Expected<PayloadRules> payloadRulesFromJson(const nlohmann::json& config);

// Matches a certificate number against the rules' format. Payload/payload_unrecognised
// with a precise message on mismatch. Used by the parser and by cache import.
Expected<CertNumberParts> parseCertNumber(std::string_view text, const PayloadRules& rules);

}  // namespace mengscan::sync
