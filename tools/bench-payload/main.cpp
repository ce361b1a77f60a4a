// mengscan-bench-payload: time parsePayload on one payload of each kind (and on rejected
// ones), call by call, with the default rules or a rules JSON file.
//
//   mengscan-bench-payload [--calls N] [--rules FILE.json] [PAYLOAD...]
//
// Without PAYLOAD arguments a built-in set covers every kind. Prints per payload the
// median, p99 and mean time of one call in microseconds, and whether it was accepted.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench_stats.hpp"
#include "mengscan/sync/payload.hpp"

using namespace mengscan;
using namespace mengscan::sync;

namespace {

using bench::percentile;

std::vector<std::pair<std::string, std::string>> builtinPayloads() {
    const std::string cert = "0021-MZB-24-00057";
    const std::string item = "002124583920175534";
    const std::string gtin = "09501101530003";
    // 64 bytes as base64url: stands in for an Ed25519 signature (parsing only decodes it).
    const std::string sig(86, 'A');
    const char gs = 29;
    return {
        {"trace_url", "https://trace.mzb.example/t/" + cert + "/" + item},
        {"trace_url_signed",
         "https://trace.mzb.example/t/" + cert + "/" + item + "?k=body0021-2024&s=" + sig},
        {"digital_link", "https://id.mzb.example/01/" + gtin + "/10/LOT7/21/" + item + "?7230=MZ" +
                             cert + "&k=k1&s=" + sig},
        {"element_string",
         "]Q3" + std::string("01") + gtin + "21" + item + gs + "10LOT7" + gs + "7230MZ" + cert},
        {"item_code_prefixed", "追溯码：" + item},
        {"item_code_bare", item},
        {"rejected_gtin", "https://id.mzb.example/01/09501101530007?7230=MZ" + cert},
        {"rejected_garbage", "javascript:alert(document.cookie)"},
    };
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Time label payload parsing"};
    int calls = 100000;
    std::string rulesFile;
    std::vector<std::string> payloads;
    app.add_option("--calls", calls, "timed calls per payload")->check(CLI::PositiveNumber);
    app.add_option("--rules", rulesFile, "payload rules JSON file")->check(CLI::ExistingFile);
    app.add_option("payloads", payloads, "payloads to time instead of the built-in set");
    CLI11_PARSE(app, argc, argv);

    PayloadRules rules;
    if (!rulesFile.empty()) {
        std::ifstream in(rulesFile);
        auto json = nlohmann::json::parse(in, nullptr, false);
        auto r = payloadRulesFromJson(json);
        if (json.is_discarded() || !r) {
            std::fprintf(stderr, "bad rules file %s: %s\n", rulesFile.c_str(),
                         json.is_discarded() ? "not JSON" : r.error().describe().c_str());
            return 2;
        }
        rules = std::move(r.value());
    }
    std::vector<std::pair<std::string, std::string>> set;
    if (payloads.empty())
        set = builtinPayloads();
    else
        for (const auto& p : payloads) set.emplace_back("arg", p);

    std::printf("%-20s %8s %8s %8s  %s\n", "payload", "p50_us", "p99_us", "mean_us", "result");
    for (const auto& [name, payload] : set) {
        std::vector<double> us;
        us.reserve(std::size_t(calls));
        bool ok = false;
        for (int i = 0; i < calls; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            auto p = parsePayload(payload, rules);
            const auto t1 = std::chrono::steady_clock::now();
            ok = p.hasValue();
            us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        }
        double mean = 0;
        for (double v : us) mean += v;
        mean /= double(us.size());
        std::printf("%-20s %8.2f %8.2f %8.2f  %s\n", name.c_str(), percentile(us, 0.5),
                    percentile(us, 0.99), mean, ok ? "accepted" : "rejected");
    }
    return 0;
}
