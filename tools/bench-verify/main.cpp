// mengscan-bench-verify: latency of one label verification against a large certificate
// cache (default 10,000 certificates, 10 million issued item codes), with and without the
// Ed25519 signature check. Builds the cache once (deterministic) and reuses it.
#include <openssl/evp.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <random>

#include "bench_dataset.hpp"
#include "bench_stats.hpp"
#include "mengscan/platform/clock.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/cache_scan_log.hpp"
#include "mengscan/sync/signature.hpp"
#include "mengscan/sync/verdict_engine.hpp"

namespace fs = std::filesystem;
using namespace mengscan;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    std::string cachePath = (fs::temp_directory_path() / "mengscan-bench-verify/cache.sqlite");
    bench::DatasetSpec spec;
    int samples = 200000;
    int scanLogEntries = 20000;
    bool rebuild = false;
};

using bench::percentile;

void report(const std::string& name, std::vector<double> micros) {
    std::sort(micros.begin(), micros.end());
    double sum = 0;
    for (double m : micros) sum += m;
    std::printf("%-46s n=%-7zu mean=%7.2f p50=%7.2f p90=%7.2f p99=%7.2f p99.9=%7.2f max=%8.1f us\n",
                name.c_str(), micros.size(), sum / static_cast<double>(micros.size()),
                percentile(micros, 0.50), percentile(micros, 0.90), percentile(micros, 0.99),
                percentile(micros, 0.999), micros.back());
    std::fflush(stdout);
}

double threadCpuMicros() {
    return bench::threadCpuMs() * 1e3;
}

// Times fn(i) for every i, after a warm-up pass over the first tenth: wall time (steady
// clock) and this thread's CPU time (excludes time preempted by other processes, which
// dominates the wall-time tail on a shared 2-core machine).
void timeEach(const std::string& name, int count, const std::function<void(int)>& fn) {
    for (int i = 0; i < count / 10; ++i) fn(i);
    std::vector<double> wall(static_cast<std::size_t>(count)), cpu(wall.size());
    for (int i = 0; i < count; ++i) {
        const double cpuStart = threadCpuMicros();
        const auto start = Clock::now();
        fn(i);
        const auto end = Clock::now();
        cpu[static_cast<std::size_t>(i)] = threadCpuMicros() - cpuStart;
        wall[static_cast<std::size_t>(i)] =
            std::chrono::duration<double, std::micro>(end - start).count();
    }
    report(name + " [wall]", std::move(wall));
    report(name + " [cpu]", std::move(cpu));
}

bool buildCache(const Args& args) {
    const std::string want = args.spec.fingerprint();
    if (!args.rebuild && fs::exists(args.cachePath)) {
        auto existing = sync::CertificateCache::open(args.cachePath);
        if (existing && (*existing)->getMeta("bench_dataset").hasValue() &&
            *(*existing)->getMeta("bench_dataset") == want) {
            std::printf("reusing %s (%s)\n", args.cachePath.c_str(), want.c_str());
            return true;
        }
    }
    fs::create_directories(fs::path(args.cachePath).parent_path());
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(args.cachePath + suffix);
    fs::remove(sync::scanLogPathFor(args.cachePath));
    sync::OpenOptions rw;
    rw.mode = sync::OpenMode::ReadWrite;
    auto cache = sync::CertificateCache::open(args.cachePath, rw);
    if (!cache) {
        std::cerr << cache.error().describe() << "\n";
        return false;
    }
    std::printf("building %s: %s ...\n", args.cachePath.c_str(), want.c_str());
    std::fflush(stdout);
    auto stream = bench::openDatasetStream(args.spec);
    auto counts = (*cache)->importStream(*stream, "bench-dataset.jsonl");
    if (!counts) {
        std::cerr << counts.error().describe() << "\n";
        return false;
    }
    std::printf("imported %lld certificates, %lld item codes in %.1f s, file %lld bytes\n",
                static_cast<long long>(counts->certificates),
                static_cast<long long>(counts->itemCodes), counts->seconds,
                static_cast<long long>(fs::file_size(args.cachePath)));
    return (*cache)->setMeta("bench_dataset", want).hasValue();
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    CLI::App app{"Latency of label verification against a large certificate cache"};
    app.add_option("--cache", args.cachePath, "cache file (built when missing or different)");
    app.add_option("--certs", args.spec.certificates, "certificates");
    app.add_option("--codes", args.spec.itemCodes, "issued item codes");
    app.add_option("--samples", args.samples, "verifications per scenario")
        ->check(CLI::PositiveNumber);
    app.add_option("--scan-log", args.scanLogEntries, "scans pre-recorded in the scan log");
    app.add_option("--seed", args.spec.seed, "data set seed");
    app.add_flag("--rebuild", args.rebuild, "rebuild the cache even when it matches");
    CLI11_PARSE(app, argc, argv);
    if (args.spec.certificates <= args.spec.listedCertificates()) {
        std::cerr << "need more certificates than listed ones\n";
        return 2;
    }

    if (!buildCache(args)) return 1;
    auto cache = sync::CertificateCache::open(args.cachePath);  // read-only, like the device
    auto log = sync::ScanLog::open(sync::scanLogPathFor(args.cachePath));
    if (!cache || !log) {
        std::cerr << "cannot open the cache or scan log\n";
        return 1;
    }
    (void)(*cache)->getMeta("last_import");

    const auto& spec = args.spec;
    std::mt19937_64 rng(spec.seed);
    const int listed = spec.listedCertificates();
    auto pickListed = [&](int& cert, std::string& code) {
        cert = static_cast<int>(rng() % static_cast<uint64_t>(listed));
        code =
            bench::itemCode(spec, cert, static_cast<int>(rng() % spec.codesPerListedCertificate));
    };

    // Scan log with earlier scans, so the duplicate rule reads a populated index.
    auto total = (*log)->total();
    if (total && *total < args.scanLogEntries) {
        std::vector<double> recordMicros;
        for (int64_t i = *total; i < args.scanLogEntries; ++i) {
            int cert;
            std::string code;
            pickListed(cert, code);
            sync::ScanRecord record{code, 1700000000000LL + i * 1000,
                                    "bench-" + std::to_string(i % 97), "genuine",
                                    bench::certNumber(spec, cert)};
            const auto start = Clock::now();
            if (!(*log)->record(record)) return 1;
            recordMicros.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        }
        report("scan log: record one scan", recordMicros);
    }

    std::vector<std::vector<uint8_t>> keys;
    for (int b = 0; b < spec.bodies; ++b) keys.push_back(bench::privateKey(spec, b));
    auto traceUrl = [](const std::string& cert, const std::string& code) {
        return "https://trace.mzb.example/t/" + cert + "/" + code;
    };
    auto signedUrl = [&](int cert, const std::string& code) {
        const std::string certNo = bench::certNumber(spec, cert);
        const int body = cert % spec.bodies;
        return traceUrl(certNo, code) + "?k=" + bench::keyId(body) + "&s=" +
               sync::encodeBase64Url(
                   bench::sign(keys[static_cast<std::size_t>(body)], certNo + "|" + code));
    };

    const int n = args.samples;
    std::vector<std::string> unsignedListed, unsignedUnlisted, signedListed;
    for (int i = 0; i < n; ++i) {
        int cert;
        std::string code;
        pickListed(cert, code);
        unsignedListed.push_back(traceUrl(bench::certNumber(spec, cert), code));
        const int other =
            listed + static_cast<int>(rng() % static_cast<uint64_t>(spec.certificates - listed));
        unsignedUnlisted.push_back(traceUrl(bench::certNumber(spec, other),
                                            bench::itemCode(spec, other, static_cast<int>(i))));
        signedListed.push_back(signedUrl(cert, code));
    }
    sync::PayloadRules rules;
    auto parseAll = [&](const std::vector<std::string>& texts) {
        std::vector<sync::ParsedPayload> out;
        for (const auto& t : texts) out.push_back(*sync::parsePayload(t, rules));
        return out;
    };
    const auto pUnsignedListed = parseAll(unsignedListed);
    const auto pUnsignedUnlisted = parseAll(unsignedUnlisted);
    const auto pSignedListed = parseAll(signedListed);

    auto clock = platform::makeSystemClock();
    sync::VerifyOptions cachedKeys;
    sync::VerifyOptions uncachedKeys;
    uncachedKeys.cacheSignatureKeys = false;
    sync::Verifier verifier(cache->get(), log->get(), rules, *clock, cachedKeys);
    sync::Verifier verifierNoKeyCache(cache->get(), log->get(), rules, *clock, uncachedKeys);
    sync::LabelContext context;
    context.session = "bench";

    std::printf("\nverification, %d samples each (warm cache: a tenth is run first, untimed)\n", n);
    timeEach("verify: unsigned, certificate with code list", n,
             [&](int i) { verifier.verify(pUnsignedListed[i], context); });
    timeEach("verify: unsigned, certificate without list", n,
             [&](int i) { verifier.verify(pUnsignedUnlisted[i], context); });
    timeEach("verify: signed, key object cached", n,
             [&](int i) { verifier.verify(pSignedListed[i], context); });
    timeEach("verify: signed, key object rebuilt per check", n,
             [&](int i) { verifierNoKeyCache.verify(pSignedListed[i], context); });
    timeEach("parse + verify: unsigned trace URL", n,
             [&](int i) { verifier.verifyText(unsignedListed[i], context); });
    timeEach("parse + verify: signed trace URL (cached key)", n,
             [&](int i) { verifier.verifyText(signedListed[i], context); });

    // What the samples were (so the timings are not of a short-cut path).
    std::map<std::string, int> classes;
    for (int i = 0; i < n; i += 10) {
        ++classes[std::string("listed ") + verifier.verify(pUnsignedListed[i], context).name()];
        ++classes[std::string("signed ") + verifier.verify(pSignedListed[i], context).name()];
        ++classes[std::string("unlisted ") + verifier.verify(pUnsignedUnlisted[i], context).name()];
    }
    std::printf("verdicts of every 10th sample:");
    for (const auto& [name, number] : classes) std::printf(" %s=%d", name.c_str(), number);
    std::printf("\n");

    // The signature check alone, for reference.
    sync::SignatureVerifier ed(true);
    const auto pub = bench::publicKey(keys[0]);
    const std::string message = "0011-MZB-20-00000|001120000000000000";
    const auto signature = bench::sign(keys[0], message);
    timeEach("Ed25519 verify alone (OpenSSL 3, cached key)", n / 4,
             [&](int) { (void)ed.verify("k", pub, message, signature); });
    sync::SignatureVerifier edUncached(false);
    timeEach("Ed25519 verify alone (key rebuilt)", n / 4,
             [&](int) { (void)edUncached.verify("k", pub, message, signature); });
    return 0;
}
