// mengscan-bench-reports: anomaly report upload throughput over loopback. Starts the real
// reference registry (mengscan-registry beside this binary) on 127.0.0.1 with a throwaway
// TLS certificate, fills an outbox with N events carrying ~20 KB JPEG evidence images,
// then uploads them all and reports events per second (docs/benchmarks.md, "Reports").
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "bench_stats.hpp"
#include "mengscan/sync/outbox_uploader.hpp"

namespace fs = std::filesystem;
using namespace mengscan;
using Clock = std::chrono::steady_clock;

namespace {

using bench::secondsSince;

// Runs a command line (arguments are paths we made; no user input) and returns stdout.
std::string capture(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe)) out += buffer;
    if (pclose(pipe) != 0) throw std::runtime_error("command failed: " + command);
    return out;
}

// A JPEG of about `bytes` bytes: textured noise (what a label crop costs after JPEG).
std::vector<uint8_t> evidenceImage(int bytes, int seed) {
    std::vector<uint8_t> jpeg;
    if (bytes <= 0) return jpeg;  // events without evidence
    int side = static_cast<int>(std::sqrt(bytes / 0.9));
    for (int tries = 0; tries < 6; ++tries) {
        cv::Mat image(side, side, CV_8UC1);
        cv::RNG rng(static_cast<uint64_t>(seed) * 7919u + 1u);
        rng.fill(image, cv::RNG::UNIFORM, 0, 256);
        cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
        const double ratio = static_cast<double>(bytes) / static_cast<double>(jpeg.size());
        if (ratio > 0.97 && ratio < 1.03) break;
        side = std::max(8, static_cast<int>(side * std::sqrt(ratio)));
    }
    return jpeg;
}

struct Registry {
    fs::path dir, bin;
    pid_t pid = -1;
    int port = 0;
    std::string token;
    ~Registry() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
    }
    std::string db() const { return (dir / "registry.sqlite").string(); }
};

void startRegistry(Registry& r, bool plainHttp) {
    const std::string db = r.db();
    capture(r.bin.string() + " --db " + db + " init > /dev/null");
    r.token = capture(r.bin.string() + " --db " + db + " device add msd-bench-0001");
    r.token = r.token.substr(0, r.token.find('\n'));
    if (!plainHttp) {
        capture(
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
            "-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
            (r.dir / "key.pem").string() + " -out " + (r.dir / "cert.pem").string() +
            " 2>/dev/null");
    }
    const std::string portFile = (r.dir / "port").string();
    std::vector<std::string> argv = {r.bin.string(), "--db",        db,       "serve",  "--listen",
                                     "127.0.0.1:0",  "--port-file", portFile, "--quiet"};
    if (plainHttp) {
        argv.push_back("--plain-http");
    } else {
        argv.insert(argv.end(), {"--cert", (r.dir / "cert.pem").string(), "--key-file",
                                 (r.dir / "key.pem").string()});
    }
    r.pid = fork();
    if (r.pid == 0) {
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        freopen("/dev/null", "w", stdout);
        execv(args[0], args.data());
        _exit(127);
    }
    for (int i = 0; i < 1000 && !fs::exists(portFile); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::ifstream in(portFile);
    if (!(in >> r.port)) throw std::runtime_error("registry did not start");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"mengscan-bench-reports: report upload throughput over loopback"};
    int events = 1000, imageBytes = 20000;
    size_t batch = 100;
    bool plainHttp = false;
    std::string registryPath;
    app.add_option("--events", events, "events to upload")->check(CLI::PositiveNumber);
    app.add_option("--image-bytes", imageBytes, "evidence JPEG size per event");
    app.add_option("--batch", batch, "events per batch")->check(CLI::PositiveNumber);
    app.add_flag("--plain-http", plainHttp, "no TLS (default: TLS with a throwaway cert)");
    app.add_option("--registry", registryPath, "mengscan-registry binary (default: beside me)");
    CLI11_PARSE(app, argc, argv);

    Registry registry;
    char templ[] = "/tmp/mengscan-bench-reports-XXXXXX";
    if (!mkdtemp(templ)) return 1;
    registry.dir = templ;
    registry.bin = registryPath.empty()
                       ? fs::canonical("/proc/self/exe").parent_path() / "mengscan-registry"
                       : fs::path(registryPath);
    int rc = 0;
    try {
        startRegistry(registry, plainHttp);
        sync::OutboxOptions outboxOptions;
        outboxOptions.deviceId = "msd-bench-0001";
        outboxOptions.maxBytes = 4ll << 30;  // no drops: measure the full payload
        outboxOptions.maxEvents = events + 1;
        auto outbox = sync::Outbox::open((registry.dir / "scanlog.sqlite").string(), outboxOptions);
        if (!outbox) throw std::runtime_error(outbox.error().describe());

        std::vector<std::vector<uint8_t>> images;
        for (int i = 0; i < 16; ++i) images.push_back(evidenceImage(imageBytes, i));
        size_t imageTotal = 0;
        const auto recordStart = Clock::now();
        for (int i = 0; i < events; ++i) {
            sync::ScanRecord scan{std::to_string(100000000000000000LL + i), 1700000000000 + i,
                                  "bench", i % 4 ? "suspect" : "invalid", "0021-MZB-24-00057"};
            sync::ReportEvent e;
            e.verdict = scan.verdict;
            e.reasons = {i % 4 ? "item_code_unknown" : "certificate_revoked"};
            e.payload = "https://trace.mzb.example/t/0021-MZB-24-00057/" + scan.itemCode;
            e.certNo = scan.certNo;
            e.itemCode = scan.itemCode;
            e.evidenceJpeg = images[static_cast<size_t>(i) % images.size()];
            imageTotal += e.evidenceJpeg.size();
            auto id = (*outbox)->recordScan(scan, e);
            if (!id) throw std::runtime_error(id.error().describe());
        }
        const double recordSeconds = secondsSince(recordStart);

        sync::UploaderOptions options;
        options.serverUrl = std::string(plainHttp ? "http" : "https") +
                            "://127.0.0.1:" + std::to_string(registry.port);
        options.token = registry.token;
        options.transfer.caFile = plainHttp ? "" : (registry.dir / "cert.pem").string();
        options.transfer.allowPlainHttp = plainHttp;
        options.batchEvents = batch;
        options.batchBytes = 64u << 20;
        const auto uploadStart = Clock::now();
        auto done = sync::Uploader(**outbox, options).uploadAll();
        const double uploadSeconds = secondsSince(uploadStart);
        if (!done) throw std::runtime_error(done.error().describe());
        auto st = (*outbox)->stats();
        const std::string listed = capture(registry.bin.string() + " --db " + registry.db() +
                                           " reports list --limit 10000000 2>/dev/null | wc -l");

        std::printf("events            %d (%s, batch %zu, mean image %zu bytes)\n", events,
                    plainHttp ? "plain HTTP" : "TLS", batch, imageTotal / events);
        std::printf("record (scan+event, one transaction each): %.0f events/s\n",
                    events / recordSeconds);
        std::printf(
            "upload: %.2f s, %.0f events/s, %.1f MB/s of evidence, %lld batches, "
            "%lld retries\n",
            uploadSeconds, events / uploadSeconds, imageTotal / uploadSeconds / 1e6,
            static_cast<long long>(done->batches), static_cast<long long>(done->retries));
        std::printf("server stored %s", listed.c_str());
        std::printf("outbox pending %lld, sent %lld\n",
                    st ? static_cast<long long>(st->pending) : -1LL,
                    st ? static_cast<long long>(st->sent) : -1LL);
        if (!st || st->pending != 0 || done->stored != events) rc = 1;
    } catch (const std::exception& ex) {
        std::cerr << "mengscan-bench-reports: " << ex.what() << "\n";
        rc = 1;
    }
    if (registry.pid > 0) {
        kill(registry.pid, SIGTERM);
        waitpid(registry.pid, nullptr, 0);
        registry.pid = -1;
    }
    fs::remove_all(registry.dir);
    return rc;
}
