// What a synthetic Meng-mark label says: certificate number, item code, and the text of its
// 2D code in one of the payload kinds of ../shared/domain/README.md. Either made up from
// the scene's random stream, or taken from a signed labels.jsonl (tools/gen-cache).
#pragma once

#include <string>
#include <vector>

#include "mengscan/expected.hpp"
#include "rng.hpp"

namespace mengscan::scenes {

enum class PayloadKind { TraceUrl, Gs1DigitalLink, Gs1ElementString, ItemCode };
// Same names as mengscan::sync::toString(PayloadKind): "trace_url", "gs1_digital_link", ...
const char* toString(PayloadKind kind);

struct LabelData {
    std::string certNo;    // BBBB-MZB-YY-NNNNN
    std::string itemCode;  // 17 or 18 digits, as text
    PayloadKind kind = PayloadKind::TraceUrl;
    std::string payload;      // exactly the text put into the 2D code
    std::string printedLine;  // "证书编号 <cert>  追溯码 <item>"
    bool asciiOnly = true;    // DataMatrix (ZXing-cpp 1.4 writer) takes ASCII only
    std::string signature;    // "none", "random" (well-formed, not verifiable), "signed"
    // Known only for labels from labels.jsonl: the verdict the device must reach.
    std::string expectedVerdict;
    std::vector<std::string> expectedReasons;
    std::string origin;  // "random" or "labels.jsonl:<line>"
};

// GS1 mod-10 check digit for `digits` (the digits before the check digit).
int gs1CheckDigit(const std::string& digits);

// A made-up label of the given kind. `asciiOnly` avoids the Chinese prefixes (DataMatrix).
LabelData randomLabel(Rng& rng, PayloadKind kind, bool asciiOnly);

// Reads labels from a JSON Lines file (one object per line). Recognised fields:
// "payload" (or "text"/"code"), "cert_no", "item_code", "printed_line", "kind",
// "expected_verdict" (or "verdict", or "expected": {"verdict", "reasons"}), "reasons".
Expected<std::vector<LabelData>> loadLabels(const std::string& path);

}  // namespace mengscan::scenes
