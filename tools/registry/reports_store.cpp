#include "reports_store.hpp"

#include <openssl/rand.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "mengscan/sync/client/crypto.hpp"

namespace mengscan::registry {
namespace {

using json = nlohmann::json;
namespace client = sync::client;

constexpr size_t kMaxEventsPerBatch = 1000;

bool validEventId(const std::string& id) {
    static const std::regex uuid(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    return std::regex_match(id, uuid);
}

// Checks one event; "" when it may be stored.
std::string checkEvent(const json& e) {
    if (!e.is_object()) return "event is not an object";
    if (!e.contains("event_id") || !e["event_id"].is_string()) return "missing event_id";
    if (!validEventId(e["event_id"].get<std::string>())) return "event_id is not a UUID";
    if (e.contains("evidence_jpeg") && e["evidence_jpeg"].is_string()) {
        auto jpeg = client::base64UrlDecode(e["evidence_jpeg"].get<std::string>());
        if (!jpeg) return "evidence_jpeg is not base64url";
        if (!e.contains("evidence_sha256") || !e["evidence_sha256"].is_string() ||
            e["evidence_sha256"].get<std::string>() != client::sha256Hex(*jpeg)) {
            return "evidence_sha256 does not match evidence_jpeg";
        }
    }
    return {};
}

}  // namespace

Expected<std::string> addDevice(Store& store, const std::string& deviceId, int64_t nowUnix) {
    if (deviceId.empty() || deviceId.size() > 128) {
        return makeUnexpected(ErrorCategory::Usage, "bad_device_id",
                              "device id must be 1-128 characters");
    }
    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) {
        return makeUnexpected(ErrorCategory::Crypto, "rand_failed", "no randomness for a token");
    }
    const std::string token =
        client::base64UrlEncode(std::string_view(reinterpret_cast<char*>(random), sizeof random));
    auto stmt = store.prepare(
        "INSERT OR REPLACE INTO devices(device_id, token_sha256, created_at) "
        "VALUES(?,?,?)");
    if (!stmt) return Unexpected(stmt.error());
    stmt->bind(1, deviceId).bind(2, client::sha256Hex(token)).bind(3, nowUnix).step();
    if (!stmt->ok()) return Unexpected(store.error("add device"));
    return token;
}

Expected<std::string> deviceForToken(Store& store, const std::string& token) {
    if (token.empty()) return std::string();
    auto stmt = store.prepare("SELECT device_id FROM devices WHERE token_sha256 = ?");
    if (!stmt) return Unexpected(stmt.error());
    stmt->bind(1, client::sha256Hex(token));
    std::string device = stmt->step() ? stmt->text(0) : std::string();
    if (!stmt->ok()) return Unexpected(store.error("find device"));
    return device;
}

Expected<std::vector<EventResult>> storeReportBatch(Store& store, const std::string& deviceId,
                                                    const std::string& body, int64_t nowUnix) {
    json batch;
    try {
        batch = json::parse(body);
    } catch (const json::exception& e) {
        return makeUnexpected(ErrorCategory::Usage, "bad_batch",
                              std::string("not JSON: ") + e.what());
    }
    if (!batch.is_object() || !batch.contains("events") || !batch["events"].is_array()) {
        return makeUnexpected(ErrorCategory::Usage, "bad_batch", "expected {\"events\":[...]}");
    }
    if (batch["events"].size() > kMaxEventsPerBatch) {
        return makeUnexpected(
            ErrorCategory::Usage, "bad_batch",
            "at most " + std::to_string(kMaxEventsPerBatch) + " events per batch");
    }
    WriteTransaction tx(store);
    if (auto ok = tx.begin(); !ok) return Unexpected(ok.error());
    auto insert = store.prepare(
        "INSERT OR IGNORE INTO reports(event_id, device_id, received_at, "
        "verdict, event) VALUES(?,?,?,?,?)");
    if (!insert) return Unexpected(insert.error());
    std::vector<EventResult> results;
    for (const auto& e : batch["events"]) {
        EventResult r;
        if (e.is_object() && e.contains("event_id") && e["event_id"].is_string()) {
            r.eventId = e["event_id"].get<std::string>();
        }
        r.error = checkEvent(e);
        if (!r.error.empty()) {
            r.status = "rejected";
            results.push_back(std::move(r));
            continue;
        }
        const std::string verdict = e.contains("verdict") && e["verdict"].is_string()
                                        ? e["verdict"].get<std::string>()
                                        : "";
        insert->reset();
        insert->bind(1, r.eventId).bind(2, deviceId).bind(3, nowUnix).bindOptional(4, verdict);
        insert->bind(5, e.dump()).step();
        if (!insert->ok()) return Unexpected(store.error("store report"));
        r.status = sqlite3_changes(store.handle()) > 0 ? "stored" : "duplicate";
        results.push_back(std::move(r));
    }
    if (auto ok = tx.commit(); !ok) return Unexpected(ok.error());
    return results;
}

Expected<std::vector<StoredReport>> listReports(Store& store, int64_t limit) {
    auto stmt = store.prepare(
        "SELECT event_id, device_id, received_at, COALESCE(verdict,''), event "
        "FROM reports ORDER BY received_at, event_id LIMIT ?");
    if (!stmt) return Unexpected(stmt.error());
    stmt->bind(1, limit);
    std::vector<StoredReport> out;
    while (stmt->step()) {
        out.push_back(
            {stmt->text(0), stmt->text(1), stmt->text(3), stmt->text(4), stmt->integer(2)});
    }
    if (!stmt->ok()) return Unexpected(store.error("list reports"));
    return out;
}

}  // namespace mengscan::registry
