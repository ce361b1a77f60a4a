// The uploader against the real reference registry on loopback.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "common/test_support.hpp"
#include "mengscan/sync/client/crypto.hpp"
#include "mengscan/sync/outbox_uploader.hpp"
#include "outbox_fixture.hpp"
#include "registry_fixture.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;

namespace {

const char* const kDevice = "msd-upload-test-0001";

std::unique_ptr<Outbox> openOutbox(const std::string& path) {
    OutboxOptions o;
    o.deviceId = kDevice;
    auto outbox = Outbox::open(path, o);
    REQUIRE_MESSAGE(outbox, (outbox ? "" : outbox.error().describe()));
    return std::move(*outbox);
}

UploaderOptions uploaderFor(const RegistryProcess& registry) {
    UploaderOptions u;
    u.serverUrl = registry.url();
    u.token = registry.token();
    u.transfer.caFile = registry.caFile();
    u.transfer.connectTimeoutMs = 2000;
    u.transfer.requestTimeoutMs = 10000;
    u.transfer.backoffBaseMs = 20;
    u.transfer.backoffCapMs = 100;
    u.batchEvents = 7;
    return u;
}

std::set<std::string> asSet(const std::vector<std::string>& v) {
    return {v.begin(), v.end()};
}

}  // namespace

TEST_CASE("every pending event reaches the registry over TLS, invalid ones first") {
    RegistryProcess registry(kDevice, /*tls=*/true);
    registry.start();
    TempDir dir;
    auto outbox = openOutbox((dir / "scanlog.sqlite").string());
    std::vector<std::string> ids, invalidIds;
    for (int i = 0; i < 30; ++i) {
        const std::string verdict = i % 10 == 9 ? "invalid" : (i % 3 ? "suspect" : "unreadable");
        auto image =
            i % 6 == 0 ? noiseJpeg(20000, static_cast<unsigned>(i)) : std::vector<uint8_t>{};
        auto id = outbox->recordScan(makeScan("c" + std::to_string(i), 1000 + i, verdict),
                                     makeEvent(verdict, "c" + std::to_string(i), 1000 + i, image));
        REQUIRE(id);
        ids.push_back(*id);
        if (verdict == "invalid") invalidIds.push_back(*id);
    }
    REQUIRE(invalidIds.size() == 3);

    // One small batch first: it carries exactly the invalid events.
    auto options = uploaderFor(registry);
    options.batchEvents = 3;
    options.maxBatches = 1;
    auto first = Uploader(*outbox, options).uploadAll();
    REQUIRE_MESSAGE(first, (first ? "" : first.error().describe()));
    CHECK(first->stored == 3);
    CHECK(asSet(registry.storedEventIds()) == asSet(invalidIds));

    auto rest = Uploader(*outbox, uploaderFor(registry)).uploadAll();
    REQUIRE_MESSAGE(rest, (rest ? "" : rest.error().describe()));
    CHECK(rest->stored == 27);
    CHECK(rest->batches == 4);  // 27 events, 7 per batch
    CHECK(rest->duplicates == 0);
    const auto stored = registry.storedEventIds();
    CHECK(stored.size() == 30);
    CHECK(asSet(stored) == asSet(ids));
    auto st = outbox->stats();
    REQUIRE(st);
    CHECK(st->pending == 0);
    CHECK(st->sent == 30);
    CHECK(st->lastError.empty());
    CHECK(st->lastUploadMs > 0);

    // What arrived is what was recorded, image included and intact.
    int withImage = 0;
    for (const auto& text : registry.storedEvents()) {
        const auto e = nlohmann::json::parse(text);
        CHECK(e["device_id"] == kDevice);
        if (e.contains("evidence_jpeg")) {
            ++withImage;
            auto jpeg = client::base64UrlDecode(e["evidence_jpeg"].get<std::string>());
            REQUIRE(jpeg);
            CHECK(client::sha256Hex(*jpeg) == e["evidence_sha256"]);
            CHECK(jpeg->size() == e["evidence_bytes"].get<size_t>());
        }
    }
    CHECK(withImage == 5);
}

TEST_CASE("a batch sent again after a lost answer is stored once on the server") {
    RegistryProcess registry(kDevice, false);
    registry.start();
    TempDir dir;
    // Two outboxes holding the same events stand for "sent, answer lost, sent again".
    auto a = openOutbox((dir / "a" / "scanlog.sqlite").string());
    auto b = openOutbox((dir / "b" / "scanlog.sqlite").string());
    for (int i = 0; i < 10; ++i) {
        auto e = makeEvent("suspect", "c" + std::to_string(i), 100 + i);
        e.eventId = *newEventId();
        REQUIRE(a->recordEvent(e));
        REQUIRE(b->recordEvent(e));
    }
    auto options = uploaderFor(registry);
    options.transfer.allowPlainHttp = true;
    auto first = Uploader(*a, options).uploadAll();
    REQUIRE(first);
    CHECK(first->stored == 10);
    auto again = Uploader(*b, options).uploadAll();
    REQUIRE(again);
    CHECK(again->stored == 0);
    CHECK(again->duplicates == 10);
    CHECK(registry.storedEventIds().size() == 10);
    CHECK(b->stats()->pending == 0);  // duplicates count as delivered
    CHECK(b->stats()->sent == 10);
}

TEST_CASE("server down: jittered retries, events kept, error recorded; delivered later") {
    RegistryProcess registry(kDevice, true);
    registry.start();
    const int port = registry.port();
    registry.stop();  // nothing listens on the port now
    TempDir dir;
    auto outbox = openOutbox((dir / "scanlog.sqlite").string());
    for (int i = 0; i < 5; ++i) REQUIRE(outbox->recordEvent(makeEvent("invalid", "x", 1 + i)));

    auto options = uploaderFor(registry);
    options.transfer.maxAttempts = 4;
    Uploader uploader(*outbox, options);
    std::vector<long> delays;
    std::vector<int> attempts;
    uploader.setRetryObserver([&](int attempt, long delayMs, const Error& why) {
        attempts.push_back(attempt);
        delays.push_back(delayMs);
        CHECK(why.code == "server_unreachable");
    });
    auto failed = uploader.uploadAll();
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == "server_unreachable");
    CHECK(attempts == std::vector<int>{2, 3, 4});
    // Full jitter: each delay is random in [0, min(cap, base * 2^(n-2))].
    CHECK(delays[0] <= 20);
    CHECK(delays[1] <= 40);
    CHECK(delays[2] <= 80);
    auto st = outbox->stats();
    REQUIRE(st);
    CHECK(st->pending == 5);
    CHECK(st->lastError.find("server_unreachable") != std::string::npos);

    registry.start(port);
    auto ok = Uploader(*outbox, options).uploadAll();
    REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().describe()));
    CHECK(ok->stored == 5);
    CHECK(outbox->stats()->pending == 0);
    CHECK(outbox->stats()->lastError.empty());
}

TEST_CASE("refusals that retrying cannot fix are not retried: token, TLS trust, plain HTTP") {
    RegistryProcess registry(kDevice, true);
    registry.start();
    TempDir dir;
    auto outbox = openOutbox((dir / "scanlog.sqlite").string());
    REQUIRE(outbox->recordEvent(makeEvent("invalid", "x", 1)));
    int retries = 0;
    auto observe = [&](int, long, const Error&) { ++retries; };

    auto options = uploaderFor(registry);
    options.token = "not-the-token";
    Uploader wrongToken(*outbox, options);
    wrongToken.setRetryObserver(observe);
    auto r = wrongToken.uploadAll();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "http_401");
    CHECK(r.error().message.find("not-the-token") == std::string::npos);  // no secrets

    options = uploaderFor(registry);
    options.transfer.caFile.clear();  // the system CAs do not know our certificate
    Uploader untrusted(*outbox, options);
    untrusted.setRetryObserver(observe);
    r = untrusted.uploadAll();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "tls_verification_failed");

    options = uploaderFor(registry);
    options.serverUrl = "http://127.0.0.1:" + std::to_string(registry.port());
    r = Uploader(*outbox, options).uploadAll();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "plain_http_refused");

    CHECK(retries == 0);
    CHECK(outbox->stats()->pending == 1);
    CHECK(registry.storedEventIds().empty());
}
