// The bounded outbox: images dropped lowest priority and oldest first, events never.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/test_support.hpp"
#include "mengscan/sync/outbox.hpp"
#include "outbox_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;

namespace {

std::unique_ptr<Outbox> openBounded(const std::string& path, int64_t maxBytes, int64_t maxEvents) {
    OutboxOptions o;
    o.deviceId = "msd-test-device-0001";
    o.maxBytes = maxBytes;
    o.maxEvents = maxEvents;
    auto outbox = Outbox::open(path, o);
    REQUIRE_MESSAGE(outbox, (outbox ? "" : outbox.error().describe()));
    return std::move(*outbox);
}

// Item codes of events that still hold / lost their image, in insertion order.
std::vector<std::string> codes(const std::string& path, bool dropped) {
    return queryTexts(path, std::string("SELECT json_extract(body, '$.item_code') FROM "
                                        "outbox_events WHERE image_dropped = ") +
                                (dropped ? "1" : "0") + " ORDER BY seq");
}

}  // namespace

TEST_CASE("over the byte bound, the oldest suspect images go before any invalid one") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    const int64_t maxBytes = 5 * 20000 + 8000;  // room for about five 20 KB images
    auto outbox = openBounded(path, maxBytes, 1000);
    int64_t t = 1;
    for (int i = 0; i < 3; ++i) {
        REQUIRE(outbox->recordEvent(makeEvent("invalid", "i" + std::to_string(i), t,
                                              noiseJpeg(20000, static_cast<unsigned>(t)))));
        ++t;
    }
    for (int i = 0; i < 6; ++i) {
        REQUIRE(outbox->recordEvent(makeEvent("suspect", "s" + std::to_string(i), t,
                                              noiseJpeg(20000, static_cast<unsigned>(t)))));
        ++t;
        auto st = outbox->stats();
        REQUIRE(st);
        CHECK(st->storedBytes <= maxBytes);  // the bound holds after every insert
    }
    // Every event is still there; only images went, oldest suspects first.
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events") == 9);
    const auto dropped = codes(path, true);
    const auto kept = codes(path, false);
    REQUIRE(dropped.size() >= 3);
    const std::vector<std::string> suspects = {"s0", "s1", "s2", "s3", "s4", "s5"};
    CHECK(dropped == std::vector<std::string>(
                         suspects.begin(), suspects.begin() + static_cast<long>(dropped.size())));
    CHECK(kept.front() == "i0");
    CHECK(std::count(kept.begin(), kept.end(), std::string("i2")) == 1);
    auto st = outbox->stats();
    REQUIRE(st);
    CHECK(st->droppedImages == static_cast<int64_t>(dropped.size()));
    CHECK(st->pending == 9);
    CHECK(st->pendingImages == static_cast<int64_t>(kept.size()));

    // A dropped image still tells the server what was seen: its hash and size.
    auto batch = outbox->nextBatch(100, 64 << 20);
    REQUIRE(batch);
    bool sawDropped = false;
    for (const auto& e : *batch) {
        const auto j = nlohmann::json::parse(e.json);
        if (j["item_code"] == "s0") {
            sawDropped = true;
            CHECK(j["evidence_dropped"] == true);
            CHECK_FALSE(j.contains("evidence_jpeg"));
            CHECK(j["evidence_sha256"].get<std::string>().size() == 64);
            CHECK(j["evidence_bytes"].get<int64_t>() > 15000);
        }
    }
    CHECK(sawDropped);

    // More invalid events: once no suspect image is left, the oldest invalid ones go.
    for (int i = 3; i < 9; ++i) {
        REQUIRE(outbox->recordEvent(makeEvent("invalid", "i" + std::to_string(i), t,
                                              noiseJpeg(20000, static_cast<unsigned>(t)))));
        ++t;
    }
    const auto keptNow = codes(path, false);
    CHECK(keptNow.size() <= 5);
    for (const auto& code : keptNow) CHECK(code[0] == 'i');
    CHECK(keptNow.back() == "i8");
    const auto droppedNow = codes(path, true);
    for (const auto& s : suspects) {
        CHECK(std::count(droppedNow.begin(), droppedNow.end(), s) == 1);
    }
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events") == 15);
}

TEST_CASE("over the event bound, only the newest high-priority events keep their images") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    auto outbox = openBounded(path, 64 << 20, 4);
    int64_t t = 1;
    for (const char* v :
         {"suspect", "invalid", "suspect", "unreadable", "invalid", "suspect", "invalid"}) {
        REQUIRE(outbox->recordEvent(
            makeEvent(v, std::string(1, v[0]) + std::to_string(t), t, noiseJpeg(2000, t))));
        ++t;
    }
    // Drop order: unreadable u4, then suspects s1, s3 (oldest first); s6 keeps its image.
    CHECK(codes(path, false) == std::vector<std::string>{"i2", "i5", "s6", "i7"});
    CHECK(codes(path, true) == std::vector<std::string>{"s1", "s3", "u4"});
    auto st = outbox->stats();
    REQUIRE(st);
    CHECK(st->pending == 7);
    CHECK(st->droppedImages == 3);
}

TEST_CASE("events are never dropped, even when the bound cannot be met") {
    TempDir dir;
    const auto path = (dir / "scanlog.sqlite").string();
    auto outbox = openBounded(path, 100, 1000);  // smaller than one event text
    for (int i = 0; i < 20; ++i) {
        REQUIRE(outbox->recordScan(
            makeScan("c" + std::to_string(i), i + 1, "suspect"),
            makeEvent("suspect", "c" + std::to_string(i), i + 1, noiseJpeg(3000, i))));
    }
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events") == 20);
    CHECK(queryInt(path, "SELECT count(*) FROM scans") == 20);
    CHECK(queryInt(path, "SELECT count(*) FROM outbox_events WHERE image IS NULL") == 20);
    auto st = outbox->stats();
    REQUIRE(st);
    CHECK(st->droppedImages == 20);
    CHECK(st->pending == 20);
    // The trigger-maintained totals match the rows exactly.
    CHECK(st->storedBytes == queryInt(path,
                                      "SELECT sum(length(body) + coalesce(length(image), 0)) FROM "
                                      "outbox_events"));
}
