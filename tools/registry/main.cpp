// mengscan-registry: the reference upstream registry (docs/protocol.md). Admin commands
// edit a SQLite registry and publish a new signed version each time; `serve` serves it.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "http_server.hpp"
#include "registry.hpp"
#include "reports_store.hpp"

namespace {

using namespace mengscan;
using namespace mengscan::registry;

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2;

struct Paths {
    std::string db, key, trust;
    PublishOptions publish;
    void resolve() {
        if (db.empty()) {
            const char* env = std::getenv("MENGSCAN_REGISTRY_DB");
            db = env && *env ? env : "registry.sqlite";
        }
        if (key.empty()) key = db + ".signing-key.pem";
        if (trust.empty()) trust = db + ".trust-anchor.pem";
    }
};

int fail(const Error& error) {
    std::cerr << "mengscan-registry: " << error.message << "\n";
    return error.category == ErrorCategory::Usage ? kExitUsage : kExitFailed;
}

int64_t now() {
    return static_cast<int64_t>(std::time(nullptr));
}

// Opens the registry, runs one edit as a new published version, prints the result.
int runChange(Paths& paths, const std::string& what, const Registry::Edit& edit) {
    paths.resolve();
    auto registry = Registry::open(paths.db, paths.key);
    if (!registry) return fail(registry.error());
    (*registry)->setPublishOptions(paths.publish);
    auto summary = (*registry)->change(edit);
    if (!summary) return fail(summary.error());
    std::cout << what << ": " << summary->records << " record(s), published version "
              << summary->version << "\n";
    return kExitOk;
}

int runServe(Paths& paths, ServerOptions options, const std::string& listen,
             const std::vector<std::string>& faultSpecs, const std::string& portFile) {
    paths.resolve();
    options.dbPath = paths.db;
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        std::cerr << "mengscan-registry: --listen wants HOST:PORT\n";
        return kExitUsage;
    }
    options.host = listen.substr(0, colon);
    try {
        options.port = std::stoi(listen.substr(colon + 1));
    } catch (const std::exception&) {
        std::cerr << "mengscan-registry: bad port in --listen " << listen << "\n";
        return kExitUsage;
    }
    for (const auto& spec : faultSpecs) {
        auto rule = parseFaultSpec(spec);
        if (!rule) return fail(rule.error());
        options.faults.push_back(*rule);
    }
    // Signals are taken by one thread that stops the server cleanly.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto server = RegistryServer::create(options);
    if (!server) return fail(server.error());
    const std::string scheme = options.plainHttp ? "http" : "https";
    std::cout << "listening on " << scheme << "://" << options.host << ":" << (*server)->port()
              << std::endl;
    if (!portFile.empty()) {
        std::ofstream(portFile + ".tmp") << (*server)->port() << "\n";
        std::rename((portFile + ".tmp").c_str(), portFile.c_str());
    }
    RegistryServer* raw = server->get();
    std::thread waiter([raw, signals] {
        int sig = 0;
        sigwait(&signals, &sig);
        raw->stop();
    });
    auto ran = (*server)->run();
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return ran ? kExitOk : fail(ran.error());
}

int listReportsCommand(Store& store, bool asJson, int64_t limit) {
    auto reports = listReports(store, limit);
    if (!reports) return fail(reports.error());
    for (const auto& r : *reports) {
        if (asJson) {
            nlohmann::json line{{"event_id", r.eventId},
                                {"device_id", r.deviceId},
                                {"received_at", isoTime(r.receivedAt)},
                                {"verdict", r.verdict},
                                {"event", nlohmann::json::parse(r.event, nullptr, false)}};
            std::cout << line.dump() << "\n";
        } else {
            std::cout << isoTime(r.receivedAt) << "  " << r.deviceId << "  " << r.eventId << "  "
                      << (r.verdict.empty() ? "-" : r.verdict) << "\n";
        }
    }
    if (!asJson) std::cerr << reports->size() << " report(s)\n";
    return kExitOk;
}

int statusCommand(Store& store) {
    auto version = currentVersion(store);
    if (!version) return fail(version.error());
    std::cout << "version " << *version << "\n";
    auto files =
        store.prepare("SELECT name, size, records, sha256 FROM files ORDER BY version, name");
    if (!files) return fail(files.error());
    while (files->step()) {
        std::cout << "  " << files->text(0) << "  " << files->integer(1) << " bytes  "
                  << files->integer(2) << " records  sha256 " << files->text(3) << "\n";
    }
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"mengscan-registry: reference upstream registry for mengscan devices"};
    app.require_subcommand(1);
    app.fallthrough();
    Paths paths;
    app.add_option("--db", paths.db,
                   "registry database (default $MENGSCAN_REGISTRY_DB or registry.sqlite)");
    app.add_option("--key", paths.key, "manifest signing key (default DB.signing-key.pem)");
    app.add_option("--keep-deltas", paths.publish.keepDeltas,
                   "publish: keep deltas for clients up to N versions behind")
        ->check(CLI::Range(1, 100000));
    app.add_option("--source", paths.publish.source, "publish: source name in file headers");
    int exitCode = kExitOk;

    auto* init = app.add_subcommand("init", "create a registry and its manifest signing key");
    init->add_option("--trust-out", paths.trust,
                     "where to write the devices' trust anchor (public key)");

    std::string importPath;
    auto* import = app.add_subcommand("import", "apply a JSON Lines file (docs/cache-format.md)");
    import->add_option("file", importPath)->required();

    auto* cert = app.add_subcommand("cert", "certificate commands");
    cert->require_subcommand(1);
    std::string certNo, status, reason;
    auto* setStatus = cert->add_subcommand("set-status", "change a certificate's status");
    setStatus->add_option("cert", certNo)->required();
    setStatus->add_option("status", status, "valid, suspended, revoked, withdrawn, expired")
        ->required();
    setStatus->add_option("--reason", reason);

    std::string code;
    auto* flag = app.add_subcommand("flag", "flag an item code (reported clone, recall)");
    flag->add_option("code", code)->required();
    flag->add_option("--reason", reason)->required();
    auto* unflag = app.add_subcommand("unflag", "remove a flag");
    unflag->add_option("code", code)->required();

    auto* reports = app.add_subcommand("reports", "received anomaly reports");
    reports->require_subcommand(1);
    bool json = false;
    int64_t limit = 1000;
    auto* list = reports->add_subcommand("list", "list received reports, oldest first");
    list->add_flag("--json", json, "one JSON object per line");
    list->add_option("--limit", limit);

    std::string deviceId;
    auto* device = app.add_subcommand("device", "device credentials");
    device->require_subcommand(1);
    auto* deviceAdd = device->add_subcommand("add", "add a device; prints its bearer token once");
    deviceAdd->add_option("id", deviceId)->required();

    auto* status_ = app.add_subcommand("status", "current version, counts and files");

    ServerOptions serverOptions;
    std::string listen = "127.0.0.1:8443", portFile;
    std::vector<std::string> faultSpecs;
    auto* serve = app.add_subcommand("serve", "serve manifests, files and report upload");
    serve->add_option("--listen", listen, "HOST:PORT (port 0 = any free port)");
    serve->add_option("--cert", serverOptions.certFile, "TLS certificate (PEM)");
    serve->add_option("--key-file,--tls-key", serverOptions.keyFile, "TLS private key (PEM)");
    serve->add_flag("--plain-http", serverOptions.plainHttp, "serve without TLS (tests, loopback)");
    serve->add_flag("--admin", serverOptions.adminEndpoints,
                    "enable /v1/admin/faults and /v1/admin/stats (loopback clients only)");
    serve->add_option("--fault", faultSpecs, "inject a fault: kind[:arg][@times]");
    serve->add_option("--port-file", portFile, "write the bound port to this file");
    serve->add_flag("--quiet", serverOptions.quiet, "no access log");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : kExitUsage;
    }
    if (init->parsed()) {
        paths.resolve();
        auto ok = Registry::init(paths.db, paths.key, paths.trust);
        if (!ok) return fail(ok.error());
        std::cout << "created " << paths.db << "\nsigning key " << paths.key
                  << " (keep private)\ntrust anchor " << paths.trust << "\n";
        return kExitOk;
    }
    if (import->parsed()) {
        return runChange(paths, "import", [&](Store& store, int64_t v) {
            return importJsonLines(store, importPath, v);
        });
    }
    if (setStatus->parsed()) {
        return runChange(paths, "cert set-status", [&](Store& store, int64_t v) {
            return setCertificateStatus(store, certNo, status, reason, v, now());
        });
    }
    if (flag->parsed()) {
        return runChange(paths, "flag", [&](Store& store, int64_t v) {
            return flagCode(store, code, reason, v, now());
        });
    }
    if (unflag->parsed()) {
        return runChange(paths, "unflag",
                         [&](Store& store, int64_t v) { return unflagCode(store, code, v); });
    }
    if (serve->parsed()) return runServe(paths, serverOptions, listen, faultSpecs, portFile);
    paths.resolve();
    auto store = Store::open(paths.db, false);
    if (!store) return fail(store.error());
    if (list->parsed()) return listReportsCommand(**store, json, limit);
    if (deviceAdd->parsed()) {
        auto token = addDevice(**store, deviceId, now());
        if (!token) return fail(token.error());
        std::cout << *token << "\n";
        return kExitOk;
    }
    if (status_->parsed()) return statusCommand(**store);
    return exitCode;
}
