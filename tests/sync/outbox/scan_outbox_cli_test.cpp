// End to end: `mengscan scan --cache` queues an anomaly event (with its scan row and an
// evidence crop) for a revoked label, and `mengscan reports --upload` delivers it to the
// real registry.
#include <doctest/doctest.h>

#include "common/qr_image.hpp"

#include <ctime>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "common/test_support.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/client/crypto.hpp"
#include "outbox_fixture.hpp"
#include "registry_fixture.hpp"

using namespace mengscan;
using namespace mengscan::test;
using json = nlohmann::json;

namespace {

void writeLabel(const std::string& text, const std::string& path) {
    REQUIRE(test::writeQrPng(text, path));
}

void makeCache(const std::string& path) {
    sync::OpenOptions rw;
    rw.mode = sync::OpenMode::ReadWrite;
    auto cache = sync::CertificateCache::open(path, rw);
    REQUIRE(cache);
    std::istringstream in(
        R"({"type":"body","code":"0021","name":"Inner Mongolia Certification Centre"}
{"type":"certificate","cert_no":"0021-MZB-24-00057","body":"0021","holder":"Xilingol Grassland Beef Co.","product":"beef","issued":"2024-03-01","expires":"2099-12-31","status":"valid"}
{"type":"certificate","cert_no":"0021-MZB-24-00059","body":"0021","holder":"Hulunbuir Dairy","product":"fresh milk","issued":"2024-03-01","expires":"2099-12-31","status":"revoked"}
)");
    auto imported = (*cache)->importStream(in, "test.jsonl");
    REQUIRE_MESSAGE(imported, (imported ? "" : imported.error().describe()));
    char now[32];
    const std::time_t t = std::time(nullptr) - 60;
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    REQUIRE((*cache)->setMeta(sync::kMetaLastSync, now));
}

}  // namespace

TEST_CASE("scan --cache queues the revoked label's event; reports --upload delivers it") {
    TempDir dir;
    const std::string cache = (dir / "device" / "cache.sqlite").string();
    std::filesystem::create_directories(dir / "device");
    makeCache(cache);
    const std::string revoked = (dir / "revoked.png").string();
    const std::string genuine = (dir / "genuine.png").string();
    writeLabel("https://trace.mzb.example/t/0021-MZB-24-00059/002124583920170001", revoked);
    writeLabel("https://trace.mzb.example/t/0021-MZB-24-00057/002124583920175534", genuine);

    const auto scan = runCommand({"mengscan", "scan", "--json", "--cache", cache, "--record-scans",
                                  "--location", "Hohhot stall 12", revoked, genuine});
    REQUIRE_MESSAGE(scan.exitCode == 0, scan.err);
    std::vector<json> lines;
    std::istringstream out(scan.out);
    for (std::string line; std::getline(out, line);) lines.push_back(json::parse(line));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["verdict"] == "invalid");
    // The valid label is genuine, or suspect when mark detection is on (no mark drawn).
    const std::string second = lines[1]["verdict"];
    CHECK((second == "genuine" || second == "suspect"));
    const int64_t expectedEvents = second == "genuine" ? 1 : 2;

    // Both scans are in the scan log; every non-genuine verdict is an event.
    const std::string log = sync::scanLogPathFor(cache);
    CHECK(queryInt(log, "SELECT count(*) FROM scans") == 2);
    CHECK(queryInt(log, "SELECT count(*) FROM outbox_events") == expectedEvents);
    CHECK(queryInt(log, "SELECT min(length(image)) FROM outbox_events") > 1000);
    const std::string deviceId = readFile(dir / "device" / "device-id");
    REQUIRE(deviceId.size() > 8);

    RegistryProcess registry("msd-scan-cli-0001", true);
    registry.start();
    const auto upload =
        runCommand({"mengscan", "reports", "--upload", "--server", registry.url(), "--token",
                    registry.token(), "--ca-file", registry.caFile(), "--cache", cache, "--json"});
    REQUIRE_MESSAGE(upload.exitCode == 0, upload.err);
    const auto events = registry.storedEvents();
    REQUIRE(static_cast<int64_t>(events.size()) == expectedEvents);
    json e;
    for (const auto& text : events) {
        if (json::parse(text)["verdict"] == "invalid") e = json::parse(text);
    }
    REQUIRE(e.is_object());
    CHECK(e["verdict"] == "invalid");
    CHECK(e["reasons"][0] == "certificate_revoked");
    CHECK(e["cert_no"] == "0021-MZB-24-00059");
    CHECK(e["item_code"] == "002124583920170001");
    CHECK(e["location"]["text"] == "Hohhot stall 12");
    CHECK(e["device_id"].get<std::string>() + "\n" == deviceId);
    auto jpeg = sync::client::base64UrlDecode(e["evidence_jpeg"].get<std::string>());
    REQUIRE(jpeg);
    const cv::Mat evidence =
        cv::imdecode(std::vector<uint8_t>(jpeg->begin(), jpeg->end()), cv::IMREAD_GRAYSCALE);
    REQUIRE_FALSE(evidence.empty());
    CHECK(evidence.cols > 100);  // the code with its margin

    // --no-reports: verdicts without queued events.
    const auto quiet =
        runCommand({"mengscan", "scan", "--json", "--cache", cache, "--no-reports", revoked});
    REQUIRE(quiet.exitCode == 0);
    CHECK(queryInt(log, "SELECT count(*) FROM outbox_events") == 0);
}
