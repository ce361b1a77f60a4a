#include "http_server.hpp"

#include <httplib.h>
#include <openssl/rand.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "mengscan/sync/client/crypto.hpp"
#include "registry.hpp"
#include "reports_store.hpp"

namespace mengscan::registry {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxReportBatchBytes = 32u << 20;

struct Stats {
    std::atomic<int64_t> requests{0}, manifestRequests{0}, fileRequests{0}, rangeRequests{0},
        fileBodyBytes{0}, notModified{0}, faultsApplied{0}, reportsStored{0}, reportsDuplicate{0};
    json toJson() const {
        return json{{"requests", requests.load()},
                    {"manifest_requests", manifestRequests.load()},
                    {"file_requests", fileRequests.load()},
                    {"range_requests", rangeRequests.load()},
                    {"file_body_bytes", fileBodyBytes.load()},
                    {"not_modified", notModified.load()},
                    {"faults_applied", faultsApplied.load()},
                    {"reports_stored", reportsStored.load()},
                    {"reports_duplicate", reportsDuplicate.load()}};
    }
};

void sendJson(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
    sendJson(res, status, json{{"error", code}, {"message", message}});
}

bool isLoopback(const std::string& addr) {
    return addr == "127.0.0.1" || addr == "::1" || addr.rfind("::ffff:127.", 0) == 0;
}

bool etagMatches(const httplib::Request& req, const std::string& etag) {
    if (!req.has_header("If-None-Match")) return false;
    const std::string value = req.get_header_value("If-None-Match");
    return value == etag || value == "*" || value.find(etag) != std::string::npos;
}

std::string bearerToken(const httplib::Request& req) {
    const std::string auth = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    return auth.rfind(prefix, 0) == 0 ? auth.substr(prefix.size()) : std::string();
}

}  // namespace

struct RegistryServer::Impl {
    ServerOptions options;
    std::unique_ptr<Store> store;
    std::unique_ptr<httplib::Server> server;
    Faults faults;
    Stats stats;
    int port = 0;

    // slow and status faults; true when the response is already decided.
    bool commonFaults(httplib::Response& res) {
        if (auto slow = faults.take("slow")) {
            ++stats.faultsApplied;
            std::this_thread::sleep_for(std::chrono::milliseconds(slow->arg));
        }
        if (auto status = faults.take("status")) {
            ++stats.faultsApplied;
            sendError(res, static_cast<int>(status->arg), "injected_fault", "injected fault");
            return true;
        }
        return false;
    }

    void manifest(const httplib::Request& req, httplib::Response& res) {
        ++stats.manifestRequests;
        if (commonFaults(res)) return;
        res.set_header("Cache-Control", "no-cache");
        if (faults.take("garbage-manifest")) {
            ++stats.faultsApplied;
            std::string garbage(512, '\0');
            RAND_bytes(reinterpret_cast<unsigned char*>(garbage.data()), 512);
            res.set_content(garbage, "application/json");
            return;
        }
        int64_t version = 0;
        if (faults.take("older-version")) {
            ++stats.faultsApplied;
            auto current = currentVersion(*store);
            version = current && *current > 1 ? *current - 1 : 1;
        }
        auto envelope = manifestEnvelope(*store, version);
        if (!envelope) return sendError(res, 500, "registry_error", envelope.error().message);
        if (envelope->empty()) return sendError(res, 404, "no_version", "nothing published yet");
        std::string body = *envelope;
        if (faults.take("wrong-signature")) {
            ++stats.faultsApplied;
            auto j = json::parse(body);
            auto sig = sync::client::base64UrlDecode(j["signature"].get<std::string>());
            if (sig && !sig->empty()) (*sig)[10] = static_cast<char>((*sig)[10] ^ 0x01);
            j["signature"] = sync::client::base64UrlEncode(sig ? *sig : "");
            body = j.dump();
        }
        const std::string etag = "\"m-" + sync::client::sha256Hex(body).substr(0, 32) + "\"";
        res.set_header("ETag", etag);
        if (etagMatches(req, etag)) {
            ++stats.notModified;
            res.status = 304;
            return;
        }
        res.set_content(body, "application/json");
    }

    void file(const httplib::Request& req, httplib::Response& res) {
        ++stats.fileRequests;
        if (req.has_header("Range")) ++stats.rangeRequests;
        if (commonFaults(res)) return;
        auto stored = readFile(*store, req.matches[1]);
        if (!stored) return sendError(res, 500, "registry_error", stored.error().message);
        if (!*stored)
            return sendError(res, 404, "no_such_file", "no file " + std::string(req.matches[1]));
        std::string content = std::move((*stored)->content);
        const std::string etag = "\"" + (*stored)->sha256 + "\"";
        res.set_header("ETag", etag);
        res.set_header("Cache-Control", "public, max-age=31536000, immutable");
        res.set_header("Accept-Ranges", "bytes");
        if (etagMatches(req, etag)) {
            ++stats.notModified;
            res.status = 304;
            return;
        }
        if (faults.take("wrong-hash")) {
            ++stats.faultsApplied;
            if (!content.empty()) content[content.size() / 2] ^= 0x20;
        }
        if (faults.take("truncated")) {
            ++stats.faultsApplied;
            content.resize(content.size() / 2);
        }
        if (!req.ranges.empty()) {
            const auto& range = req.ranges.front();
            if (range.first >= 0 && static_cast<size_t>(range.first) >= content.size()) {
                res.set_header("Content-Range", "bytes */" + std::to_string(content.size()));
                return sendError(res, 416, "range_not_satisfiable", "range beyond the file");
            }
        }
        auto cut = faults.take("cut");
        if (cut) ++stats.faultsApplied;
        auto shared = std::make_shared<std::string>(std::move(content));
        const int64_t limit = cut ? cut->arg : -1;
        auto sent = std::make_shared<int64_t>(0);
        Stats* statsPtr = &stats;
        // A content provider lets the server announce the full length and then (for the
        // cut fault) stop mid-body, which the client sees as a connection cut.
        res.set_content_provider(
            shared->size(), "application/gzip",
            [shared, limit, sent, statsPtr](size_t offset, size_t length, httplib::DataSink& sink) {
                size_t n = std::min<size_t>(length, 64 * 1024);
                if (limit >= 0) {
                    if (*sent >= limit) return false;
                    n = std::min<size_t>(n, static_cast<size_t>(limit - *sent));
                }
                if (!sink.write(shared->data() + offset, n)) return false;
                *sent += static_cast<int64_t>(n);
                statsPtr->fileBodyBytes += static_cast<int64_t>(n);
                return true;
            });
    }

    void reports(const httplib::Request& req, httplib::Response& res) {
        auto device = deviceForToken(*store, bearerToken(req));
        if (!device) return sendError(res, 500, "registry_error", device.error().message);
        if (device->empty()) {
            res.set_header("WWW-Authenticate", "Bearer");
            return sendError(res, 401, "unauthorized", "unknown or missing device token");
        }
        auto results =
            storeReportBatch(*store, *device, req.body, static_cast<int64_t>(std::time(nullptr)));
        if (!results) {
            const int status = results.error().category == ErrorCategory::Usage ? 400 : 503;
            return sendError(res, status, results.error().code, results.error().message);
        }
        json out = json::array();
        for (const auto& r : *results) {
            if (r.status == "stored") ++stats.reportsStored;
            if (r.status == "duplicate") ++stats.reportsDuplicate;
            json item{{"event_id", r.eventId}, {"status", r.status}};
            if (!r.error.empty()) item["error"] = r.error;
            out.push_back(item);
        }
        sendJson(res, 200, json{{"device_id", *device}, {"results", out}});
    }

    void admin(httplib::Server& s) {
        auto guard = [this](const httplib::Request& req, httplib::Response& res) {
            if (!options.adminEndpoints || !isLoopback(req.remote_addr)) {
                sendError(res, 404, "not_found", "no such endpoint");
                return false;
            }
            return true;
        };
        s.Put("/v1/admin/faults",
              [this, guard](const httplib::Request& req, httplib::Response& res) {
                  if (!guard(req, res)) return;
                  std::vector<FaultRule> rules;
                  try {
                      const json body = json::parse(req.body);
                      for (const auto& spec : body.at("faults")) {
                          auto rule = parseFaultSpec(spec.get<std::string>());
                          if (!rule) return sendError(res, 400, "bad_fault", rule.error().message);
                          rules.push_back(*rule);
                      }
                  } catch (const std::exception& e) {
                      return sendError(res, 400, "bad_fault", e.what());
                  }
                  faults.set(std::move(rules));
                  sendJson(res, 200, json{{"faults", faults.describe()}});
              });
        s.Get("/v1/admin/stats",
              [this, guard](const httplib::Request& req, httplib::Response& res) {
                  if (!guard(req, res)) return;
                  sendJson(res, 200, stats.toJson());
              });
    }

    void routes() {
        httplib::Server& s = *server;
        s.Get("/v1/manifest",
              [this](const httplib::Request& req, httplib::Response& res) { manifest(req, res); });
        s.Get(R"(/v1/files/([A-Za-z0-9][A-Za-z0-9._-]{0,127}))",
              [this](const httplib::Request& req, httplib::Response& res) { file(req, res); });
        s.Post("/v1/reports",
               [this](const httplib::Request& req, httplib::Response& res) { reports(req, res); });
        s.Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) {
            auto version = currentVersion(*store);
            sendJson(res, 200, json{{"status", "ok"}, {"version", version ? *version : -1}});
        });
        admin(s);
        s.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
            ++stats.requests;
            return httplib::Server::HandlerResponse::Unhandled;
        });
        s.set_payload_max_length(kMaxReportBatchBytes);
        s.set_read_timeout(15, 0);
        s.set_write_timeout(15, 0);
        if (!options.quiet) {
            // Method, path, status, size: never headers (bearer tokens stay out of logs).
            s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
                std::cerr << "registry: " << req.method << " " << req.path << " " << res.status
                          << (req.has_header("Range") ? " range" : "") << "\n";
            });
        }
    }
};

RegistryServer::RegistryServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RegistryServer::~RegistryServer() = default;
int RegistryServer::port() const {
    return impl_->port;
}

Expected<std::unique_ptr<RegistryServer>> RegistryServer::create(const ServerOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    auto store = Store::open(options.dbPath, false);
    if (!store) return Unexpected(store.error());
    impl->store = std::move(*store);
    impl->faults.set(options.faults);
    if (options.plainHttp) {
        impl->server = std::make_unique<httplib::Server>();
    } else {
        if (options.certFile.empty() || options.keyFile.empty()) {
            return makeUnexpected(ErrorCategory::Usage, "tls_required",
                                  "serve needs --cert and --key (or --plain-http explicitly)");
        }
        auto tls =
            std::make_unique<httplib::SSLServer>(options.certFile.c_str(), options.keyFile.c_str());
        if (!tls->is_valid()) {
            return makeUnexpected(
                ErrorCategory::Usage, "tls_setup_failed",
                "cannot load TLS certificate/key " + options.certFile + " / " + options.keyFile);
        }
        impl->server = std::move(tls);
    }
    impl->routes();
    if (options.port == 0) {
        impl->port = impl->server->bind_to_any_port(options.host);
    } else {
        impl->port = impl->server->bind_to_port(options.host, options.port) ? options.port : -1;
    }
    if (impl->port <= 0) {
        return makeUnexpected(
            ErrorCategory::Network, "bind_failed",
            "cannot listen on " + options.host + ":" + std::to_string(options.port));
    }
    return std::unique_ptr<RegistryServer>(new RegistryServer(std::move(impl)));
}

Status RegistryServer::run() {
    if (!impl_->server->listen_after_bind()) {
        return makeUnexpected(ErrorCategory::Network, "listen_failed",
                              "the server stopped with an error");
    }
    return {};
}

void RegistryServer::stop() {
    impl_->server->stop();
}

}  // namespace mengscan::registry
