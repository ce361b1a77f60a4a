// The outbox as storage: scan + event in one transaction, policy, priority, bounds.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "common/test_support.hpp"
#include "mengscan/sync/outbox.hpp"
#include "outbox_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;

namespace {

OutboxOptions baseOptions() {
    OutboxOptions o;
    o.deviceId = "msd-test-device-0001";
    o.location.text = "Hohhot, stall 12";
    return o;
}

std::unique_ptr<Outbox> openOutbox(const std::string& path, OutboxOptions o = baseOptions()) {
    auto outbox = Outbox::open(path, std::move(o));
    REQUIRE_MESSAGE(outbox, (outbox ? "" : outbox.error().describe()));
    return std::move(*outbox);
}

}  // namespace

TEST_CASE("event ids are lower-case UUID v4 and unique") {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto id = newEventId();
        REQUIRE(id);
        CHECK(isValidEventId(*id));
        CHECK((*id)[14] == '4');
        CHECK(std::string("89ab").find((*id)[19]) != std::string::npos);
        seen.insert(*id);
    }
    CHECK(seen.size() == 1000);
    CHECK_FALSE(isValidEventId("not-a-uuid"));
    CHECK_FALSE(isValidEventId("A0000000-0000-4000-8000-000000000000"));
}

TEST_CASE("a non-genuine scan stores its scan row and its event together") {
    TempDir dir;
    const auto path = scanLogPathFor((dir / "cache.sqlite").string());
    auto outbox = openOutbox(path);
    const auto jpeg = noiseJpeg(5000, 1);
    auto id = outbox->recordScan(makeScan("002124583920175534", 1700000000123, "invalid"),
                                 makeEvent("invalid", "002124583920175534", 0, jpeg));
    REQUIRE_MESSAGE(id, (id ? "" : id.error().describe()));
    CHECK(isValidEventId(*id));
    CHECK(queryInt(path, "SELECT count(*) FROM scans") == 1);
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events") == 1);

    // The scan log's own API sees the row written through the outbox.
    auto log = ScanLog::open(path);
    REQUIRE(log);
    CHECK(*(*log)->countInWindow("002124583920175534", 0, 1800000000000) == 1);

    auto batch = outbox->nextBatch(10, 1 << 20);
    REQUIRE(batch);
    REQUIRE(batch->size() == 1);
    const auto j = nlohmann::json::parse(batch->front().json);
    CHECK(j["event_id"] == *id);
    CHECK(j["device_id"] == "msd-test-device-0001");
    CHECK(j["location"]["text"] == "Hohhot, stall 12");
    CHECK(j["verdict"] == "invalid");
    CHECK(j["reasons"][0] == "certificate_revoked");
    CHECK(j["cert_no"] == "0021-MZB-24-00057");
    CHECK(j["item_code"] == "002124583920175534");  // text, leading zeros kept
    CHECK(j["time_ms"] == 1700000000123);           // the scan's time when the event has none
    CHECK(j["time"] == "2023-11-14T22:13:20.123Z");
    CHECK(j["evidence_bytes"] == jpeg.size());
    CHECK(j["evidence_jpeg"].get<std::string>().size() == (jpeg.size() * 4 + 2) / 3);
    CHECK(j["evidence_sha256"].get<std::string>().size() == 64);
}

TEST_CASE("genuine verdicts are not reported unless configured") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    {
        auto outbox = openOutbox(path);
        auto id = outbox->recordScan(makeScan("002124583920175534", 1000, "genuine"),
                                     makeEvent("genuine", "002124583920175534", 1000));
        REQUIRE(id);
        CHECK(id->empty());
        CHECK(queryInt(path, "SELECT count(*) FROM scans") == 1);
        CHECK(queryInt(path, "SELECT count(*) FROM outbox_events") == 0);
        for (const char* v : {"suspect", "unreadable", "no_label", "unverified"}) {
            CHECK(outbox->wantsEvent(v));
        }
        CHECK_FALSE(outbox->wantsEvent("genuine"));
    }
    auto options = baseOptions();
    options.reportGenuine = true;
    auto outbox = openOutbox(path, options);
    auto id = outbox->recordScan(makeScan("002124583920175534", 2000, "genuine"),
                                 makeEvent("genuine", "002124583920175534", 2000));
    REQUIRE(id);
    CHECK_FALSE(id->empty());
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events") == 1);
}

TEST_CASE("a failure between the two inserts leaves neither row") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    auto outbox = openOutbox(path);
    REQUIRE(outbox->recordScan(makeScan("002124583920175530", 500, "suspect"),
                               makeEvent("suspect", "002124583920175530", 500)));

    SUBCASE("the test seam fails") {
        outbox->setBetweenInsertsHook([] {
            return Status(makeUnexpected(ErrorCategory::Io, "injected", "injected failure"));
        });
        auto id = outbox->recordScan(makeScan("002124583920175534", 1000, "invalid"),
                                     makeEvent("invalid", "002124583920175534", 1000));
        REQUIRE_FALSE(id);
        CHECK(id.error().code == "injected");
    }
    SUBCASE("SQLite itself refuses the event row") {
        // A trigger written by another connection: a real failure inside SQLite.
        execSql(path,
                "CREATE TRIGGER refuse_events BEFORE INSERT ON outbox_events BEGIN "
                "SELECT RAISE(ABORT, 'injected by test'); END");
        auto id = outbox->recordScan(makeScan("002124583920175534", 1000, "invalid"),
                                     makeEvent("invalid", "002124583920175534", 1000));
        REQUIRE_FALSE(id);
        CHECK(id.error().message.find("injected by test") != std::string::npos);
        execSql(path, "DROP TRIGGER refuse_events");
    }
    CHECK(queryInt(path, "SELECT count(*) FROM scans WHERE item_code='002124583920175534'") == 0);
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events") == 1);
    CHECK(queryInt(path, "SELECT count(*) FROM scans") == 1);
    // The outbox keeps working after the failure.
    outbox->setBetweenInsertsHook({});
    REQUIRE(outbox->recordScan(makeScan("002124583920175534", 2000, "invalid"),
                               makeEvent("invalid", "002124583920175534", 2000)));
    CHECK(queryInt(path, "SELECT count(*) FROM scans") == 2);
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events") == 2);
}

TEST_CASE("batches come invalid first, then suspect, then the rest, oldest first") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    auto outbox = openOutbox(path);
    const std::vector<std::pair<std::string, std::string>> order = {
        {"suspect", "s1"}, {"unreadable", "u1"}, {"invalid", "i1"}, {"suspect", "s2"},
        {"invalid", "i2"}, {"no_label", "n1"},   {"suspect", "s3"}, {"invalid", "i3"},
    };
    int64_t t = 1000;
    for (const auto& [verdict, code] : order) {
        REQUIRE(outbox->recordEvent(makeEvent(verdict, code, t++)));
    }
    std::vector<std::string> got;
    while (true) {
        auto batch = outbox->nextBatch(3, 1 << 20);
        REQUIRE(batch);
        if (batch->empty()) break;
        CHECK(batch->size() <= 3);
        std::vector<std::string> ids;
        for (const auto& e : *batch) {
            got.push_back(nlohmann::json::parse(e.json)["item_code"]);
            ids.push_back(e.eventId);
        }
        REQUIRE(outbox->acknowledge(ids, {}, 5000));
    }
    CHECK(got == std::vector<std::string>{"i1", "i2", "i3", "s1", "s2", "s3", "u1", "n1"});
    auto st = outbox->stats();
    REQUIRE(st);
    CHECK(st->pending == 0);
    CHECK(st->sent == 8);
    CHECK(st->lastUploadMs == 5000);
}

TEST_CASE("acknowledgements: duplicates counted once, rejected events kept but not resent") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    auto outbox = openOutbox(path);
    auto a = outbox->recordEvent(makeEvent("invalid", "a", 1));
    auto b = outbox->recordEvent(makeEvent("suspect", "b", 2));
    auto c = outbox->recordEvent(makeEvent("suspect", "c", 3));
    REQUIRE((a && b && c));
    REQUIRE(outbox->acknowledge({*a}, {*b}, 10));
    REQUIRE(outbox->acknowledge({*a}, {}, 11));  // the same answer again (a retried batch)
    auto st = outbox->stats();
    REQUIRE(st);
    CHECK(st->sent == 1);
    CHECK(st->rejected == 1);
    CHECK(st->pending == 1);
    auto batch = outbox->nextBatch(10, 1 << 20);
    REQUIRE(batch);
    REQUIRE(batch->size() == 1);
    CHECK(batch->front().eventId == *c);
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events WHERE state = 1") == 1);
}

TEST_CASE("batches respect the byte limit but always carry at least one event") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    auto outbox = openOutbox(path);
    for (int i = 0; i < 6; ++i) {
        REQUIRE(outbox->recordEvent(
            makeEvent("suspect", "c" + std::to_string(i), 1 + i, noiseJpeg(20000, i))));
    }
    auto small = outbox->nextBatch(100, 1000);  // smaller than one event
    REQUIRE(small);
    CHECK(small->size() == 1);
    auto some = outbox->nextBatch(100, 3 * 28000);  // 20 KB image -> ~27 KB base64url
    REQUIRE(some);
    CHECK(some->size() >= 2);
    CHECK(some->size() <= 3);
    size_t bytes = 0;
    for (const auto& e : *some) bytes += e.json.size();
    CHECK(bytes <= 3 * 28000);
}

TEST_CASE("pending events and state survive reopening") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    {
        auto outbox = openOutbox(path);
        REQUIRE(outbox->recordEvent(makeEvent("invalid", "a", 1)));
        REQUIRE(outbox->noteUploadError(
            Error(ErrorCategory::Network, "server_unreachable", "http://x: refused"), 77));
    }
    auto outbox = openOutbox(path);
    auto st = outbox->stats();
    REQUIRE(st);
    CHECK(st->pending == 1);
    CHECK(st->pendingInvalid == 1);
    CHECK(st->lastErrorMs == 77);
    CHECK(st->lastError.find("server_unreachable") != std::string::npos);
}

TEST_CASE("an event without a device id or with a malformed id is refused") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    OutboxOptions o;  // no device id
    auto outbox = openOutbox(path, o);
    auto r = outbox->recordScan(makeScan("1", 1, "invalid"), makeEvent("invalid", "1", 1));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "no_device_id");
    CHECK(queryInt(path, "SELECT count(*) FROM scans") == 0);  // nothing half-stored
    auto e = makeEvent("invalid", "1", 1);
    e.deviceId = "msd-explicit-0001";
    e.eventId = "not-a-uuid";
    auto bad = outbox->recordEvent(e);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == "bad_event_id");
}
