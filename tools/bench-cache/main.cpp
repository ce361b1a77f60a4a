// mengscan-bench-cache: import benchmark of the certificate cache. Generates a snapshot
// (default 10,000 certificates + 10 million item codes) with the gen-cache generator,
// imports it into a fresh cache, and reports time, file size, bytes per item code and
// lookup latencies. Numbers go to docs/benchmarks.md ("Certificate cache").
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bench_stats.hpp"
#include "generator.hpp"
#include "mengscan/sync/cache.hpp"

namespace fs = std::filesystem;
using namespace mengscan;
using Clock = std::chrono::steady_clock;

namespace {

using bench::secondsSince;

struct Percentiles {
    double p50 = 0, p99 = 0, max = 0;
};

Percentiles percentiles(std::vector<double> us) {
    std::sort(us.begin(), us.end());
    if (us.empty()) return {};
    return {us[us.size() / 2], us[us.size() * 99 / 100], us.back()};
}

std::unique_ptr<sync::CertificateCache> open(const std::string& path, sync::OpenMode mode) {
    sync::OpenOptions options;
    options.mode = mode;
    auto cache = sync::CertificateCache::open(path, options);
    if (!cache) throw std::runtime_error(cache.error().describe());
    return std::move(*cache);
}

}  // namespace

int main(int argc, char** argv) {
    gencache::Options options;
    options.certificates = 10000;
    options.itemCodes = 10000000;
    options.labels = 0;
    std::string workdir = (fs::temp_directory_path() / "mengscan-bench-cache").string();
    int samples = 100000;
    bool keep = false;
    CLI::App app{"mengscan-bench-cache: certificate cache import and lookup benchmark"};
    app.add_option("--certificates", options.certificates, "certificates");
    app.add_option("--item-codes", options.itemCodes, "issued item codes");
    app.add_option("--seed", options.seed, "generator seed");
    app.add_option("--workdir", workdir, "folder for the generated file and the cache");
    app.add_option("--samples", samples, "lookups per latency measurement");
    app.add_flag("--keep", keep, "keep the generated file and cache");
    CLI11_PARSE(app, argc, argv);

    try {
        fs::create_directories(workdir);
        const fs::path file = fs::path(workdir) / "cache.jsonl";
        const fs::path cachePath = fs::path(workdir) / "bench.sqlite";
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(cachePath.string() + suffix);

        auto start = Clock::now();
        gencache::Registry registry = gencache::buildRegistry(options);
        {
            std::ofstream out(file, std::ios::binary);
            gencache::writeCacheJsonl(registry, out);
        }
        const double generateSeconds = secondsSince(start);
        const auto fileBytes = static_cast<int64_t>(fs::file_size(file));

        sync::ImportCounts counts;
        start = Clock::now();
        const double cpuBefore = bench::processCpuSeconds();
        {
            auto cache = open(cachePath.string(), sync::OpenMode::ReadWrite);
            auto result = cache->importFile(file.string());
            if (!result) throw std::runtime_error(result.error().describe());
            counts = *result;
        }  // closing the last connection checkpoints the WAL into the database file
        const double importSeconds = secondsSince(start);
        const double importCpuSeconds = bench::processCpuSeconds() - cpuBefore;
        const auto dbBytes = static_cast<int64_t>(fs::file_size(cachePath));

        // Lookup latencies on the read-only connection verification uses.
        auto cache = open(cachePath.string(), sync::OpenMode::ReadOnly);
        gencache::Rng rng(options.seed + 99);
        std::vector<std::pair<std::string, const gencache::Cert*>> listed;
        for (const auto& c : registry.certs) {
            if (c.listCount > 0)
                listed.push_back({registry.bodies[static_cast<size_t>(c.body)].code, &c});
        }
        std::vector<double> hitUs, missUs, certUs, snapshotUs;
        int64_t hits = 0;
        const double lookupCpuBefore = bench::processCpuSeconds();
        for (int i = 0; i < samples && !listed.empty(); ++i) {
            const auto& [body, c] = listed[rng.below(listed.size())];
            const std::string code = registry.itemCode(
                body, c->year,
                c->listStart +
                    static_cast<int64_t>(rng.below(static_cast<uint64_t>(c->listCount))));
            const std::string unknown = registry.itemCode(body, c->year, registry.nextCounter + i);
            auto t0 = Clock::now();
            auto found = cache->findItemCode(code);
            auto t1 = Clock::now();
            auto missing = cache->findItemCode(unknown);
            auto t2 = Clock::now();
            auto cert = cache->findCertificate(c->certNo);
            auto t3 = Clock::now();
            if (found && *found && missing && !*missing && cert && *cert) ++hits;
            hitUs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
            missUs.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
            certUs.push_back(std::chrono::duration<double, std::micro>(t3 - t2).count());
        }
        const double lookupCpuUs =
            (bench::processCpuSeconds() - lookupCpuBefore) * 1e6 / std::max(1, samples);
        // The same three lookups inside one read snapshot (beginRead/endRead), as one
        // verification would do them.
        for (int i = 0; i < samples && !listed.empty(); ++i) {
            const auto& [body, c] = listed[rng.below(listed.size())];
            const std::string code = registry.itemCode(
                body, c->year,
                c->listStart +
                    static_cast<int64_t>(rng.below(static_cast<uint64_t>(c->listCount))));
            auto t0 = Clock::now();
            (void)cache->beginRead();
            auto found = cache->findItemCode(code);
            auto flag = cache->findFlag(code);
            auto cert = cache->findCertificate(c->certNo);
            cache->endRead();
            snapshotUs.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
            if (!(found && *found && flag && cert && *cert)) --hits;
        }
        const auto hit = percentiles(hitUs), miss = percentiles(missUs),
                   certP = percentiles(certUs), snap = percentiles(snapshotUs);
        const double perCode = counts.itemCodes > 0 ? static_cast<double>(dbBytes) /
                                                          static_cast<double>(counts.itemCodes)
                                                    : 0;

        nlohmann::ordered_json report = {
            {"certificates", counts.certificates},
            {"item_codes", counts.itemCodes},
            {"generate_seconds", generateSeconds},
            {"import_file_bytes", fileBytes},
            {"import_seconds", importSeconds},
            {"import_seconds_in_transaction", counts.seconds},
            {"import_cpu_seconds", importCpuSeconds},
            {"item_codes_per_second", static_cast<double>(counts.itemCodes) / importSeconds},
            {"cache_file_bytes", dbBytes},
            {"bytes_per_item_code", perCode},
            {"lookups", samples},
            {"lookups_correct", hits},
            {"item_code_hit_us", {{"p50", hit.p50}, {"p99", hit.p99}, {"max", hit.max}}},
            {"item_code_miss_us", {{"p50", miss.p50}, {"p99", miss.p99}, {"max", miss.max}}},
            {"certificate_us", {{"p50", certP.p50}, {"p99", certP.p99}, {"max", certP.max}}},
            {"lookup_triple_cpu_us_mean", lookupCpuUs},
            {"code_flag_cert_in_one_snapshot_us",
             {{"p50", snap.p50}, {"p99", snap.p99}, {"max", snap.max}}},
        };
        std::cout << report.dump(2) << "\n";
        cache.reset();
        if (!keep) {
            fs::remove(file);
            for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(cachePath.string() + suffix);
        }
        return hits == samples || listed.empty() ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "mengscan-bench-cache: " << e.what() << "\n";
        return 1;
    }
}
