// libFuzzer entry point for parsePayload (clang only; see sync/payload/CMakeLists.txt).
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DMENGSCAN_PAYLOAD_FUZZ=ON
//   cmake --build build-fuzz --target mengscan-payload-fuzz
//   build-fuzz/bin/mengscan-payload-fuzz -max_total_time=60 -max_len=1100
// Aborts when a result is inconsistent, so the fuzzer reports it as a crash.
#include <cstdint>
#include <cstdlib>

#include "mengscan/sync/payload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const mengscan::sync::PayloadRules rules;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    auto p = mengscan::sync::parsePayload(input, rules);
    if (!p) {
        if (p.error().code != "payload_unrecognised" || p.error().message.empty()) std::abort();
        return 0;
    }
    if (p->raw != input) std::abort();
    if (!p->gtin.empty() && !mengscan::sync::gtinCheckDigitValid(p->gtin)) std::abort();
    if (!p->itemCode.empty() && p->itemCode.size() != 17 && p->itemCode.size() != 18) std::abort();
    if (!p->signature.empty() && p->signature.size() != 64) std::abort();
    if (!p->certNumber.empty() && !mengscan::sync::parseCertNumber(p->certNumber, rules))
        std::abort();
    return 0;
}
