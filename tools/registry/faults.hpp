// Fault injection for the sync tests: the registry can misbehave on purpose in each way
// a real network or a broken upstream can (docs/protocol.md, "Fault switch").
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::registry {

// kind: slow (arg ms per response), status (arg HTTP code, default 503), cut (arg bytes of a
// file body, then the connection is closed), wrong-hash (a flipped byte in file bodies),
// truncated (file bodies cut to half, with a matching Content-Length), wrong-signature,
// older-version (the previous version's manifest), garbage-manifest.
// times: how many responses it applies to (-1 = all).
struct FaultRule {
    std::string kind;
    int64_t arg = 0;
    int64_t times = -1;
};

// "kind[:arg][@times]", e.g. "cut:4096@1", "status:503", "slow:1500".
Expected<FaultRule> parseFaultSpec(const std::string& spec);

class Faults {
public:
    void set(std::vector<FaultRule> rules);
    // Consumes one application of the first rule of this kind, if any is active.
    std::optional<FaultRule> take(const std::string& kind);
    std::string describe() const;

private:
    mutable std::mutex mutex_;
    std::vector<FaultRule> rules_;
};

}  // namespace mengscan::registry
