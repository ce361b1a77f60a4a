// `mengscan scan --cache`: real label images (QR codes written by ZXing-cpp, read back by
// the real binary) verified against a real cache imported through the cache library.
#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "common/json_lines.hpp"
#include "common/qr_image.hpp"
#include "verify_fixture.hpp"

using namespace mengscan;
using json = nlohmann::json;

namespace {

void writeLabel(const std::string& text, const std::string& path) {
    REQUIRE(test::writeQrPng(text, path));
}

// Certificates valid until 2099 so that the test does not depend on today's date.
std::string cliCacheJsonl() {
    return R"({"type":"body","code":"0021","name":"Inner Mongolia Certification Centre"}
{"type":"certificate","cert_no":"0021-MZB-24-00057","body":"0021","holder":"Xilingol Grassland Beef Co.","product":"beef","issued":"2024-03-01","expires":"2099-12-31","status":"valid"}
{"type":"certificate","cert_no":"0021-MZB-24-00059","body":"0021","holder":"Hulunbuir Dairy","product":"fresh milk","issued":"2024-03-01","expires":"2099-12-31","status":"revoked"}
{"type":"item_codes","cert_no":"0021-MZB-24-00057","codes":["002124583920175534"]}
)";
}

using test::jsonLines;

int64_t realNow() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("scan --cache fills verdict, reasons and certificate for every frame") {
    test::VerifyFixture fx(cliCacheJsonl());
    fx.setUpdatedAt(realNow() - 60);
    const std::string genuine = (fx.dir / "1-genuine.png").string();
    const std::string revoked = (fx.dir / "2-revoked.png").string();
    const std::string other = (fx.dir / "3-other.png").string();
    writeLabel(test::traceUrl("0021-MZB-24-00057", "002124583920175534"), genuine);
    writeLabel(test::traceUrl("0021-MZB-24-00059", "002124583920170001"), revoked);
    writeLabel("https://shop.example/promo?id=7", other);
    cv::Mat blank(200, 200, CV_8UC1, cv::Scalar(255));
    const std::string empty = (fx.dir / "4-blank.png").string();
    REQUIRE(cv::imwrite(empty, blank));

    const auto out = test::runCommand(
        {"mengscan", "scan", "--json", "--cache", fx.cachePath, genuine, revoked, other, empty});
    CAPTURE(out.err);
    REQUIRE(out.exitCode == 0);
    const auto lines = jsonLines(out.out);
    REQUIRE(lines.size() == 4);

    // If mark detection runs in the pipeline, an image without the mark adds mark_missing
    // (suspect); the certificate findings must be there either way.
    const bool markChecked = !lines[0]["mark"].is_null();
    CHECK(lines[0]["verdict"] == (markChecked ? "suspect" : "genuine"));
    CHECK(lines[0]["certificate"]["number"] == "0021-MZB-24-00057");
    CHECK(lines[0]["certificate"]["holder"] == "Xilingol Grassland Beef Co.");
    CHECK(lines[0]["cache"]["stale"] == false);

    CHECK(lines[1]["verdict"] == "invalid");
    const auto reasons = lines[1]["reasons"];
    CHECK(std::find(reasons.begin(), reasons.end(), "certificate_revoked") != reasons.end());
    CHECK(lines[1]["certificate"]["status"] == "revoked");
    REQUIRE(lines[1]["reason_details"].size() == reasons.size());
    CHECK(lines[1]["reason_details"][0]["zh"].get<std::string>().size() > 3);

    CHECK(lines[2]["verdict"] == (markChecked ? "no_label" : "invalid"));
    CHECK(lines[2]["reasons"][0] == "payload_unrecognised");
    CHECK(lines[2]["certificate"].is_null());

    CHECK(lines[3]["verdict"] == "no_label");
    CHECK(lines[3]["reasons"].empty());
}

TEST_CASE("scan without --cache leaves every verdict unverified") {
    test::TempDir dir;
    const std::string genuine = (dir / "genuine.png").string();
    writeLabel(test::traceUrl("0021-MZB-24-00057", "002124583920175534"), genuine);
    const auto out = test::runCommand({"mengscan", "scan", "--json", genuine});
    REQUIRE(out.exitCode == 0);
    const auto lines = jsonLines(out.out);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["verdict"] == "unverified");
    CHECK(lines[0]["reasons"].empty());
    CHECK(lines[0]["certificate"].is_null());
    CHECK(lines[0]["cache"].is_null());
}

TEST_CASE("scan --cache with a missing cache creates it empty: unverified, cache_stale") {
    test::TempDir dir;
    const std::string genuine = (dir / "genuine.png").string();
    writeLabel(test::traceUrl("0021-MZB-24-00057", "002124583920175534"), genuine);
    const std::string cachePath = (dir / "new" / "cache.sqlite").string();
    std::filesystem::create_directories(dir / "new");
    const auto out =
        test::runCommand({"mengscan", "scan", "--json", "--cache", cachePath, genuine});
    REQUIRE(out.exitCode == 0);
    const auto lines = jsonLines(out.out);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["verdict"] == "unverified");
    CHECK(lines[0]["reasons"][0] == "cache_stale");
    CHECK(std::filesystem::exists(cachePath));
}

TEST_CASE("scan --record-scans appends verified item codes to the scan log") {
    test::VerifyFixture fx(cliCacheJsonl());
    fx.setUpdatedAt(realNow() - 60);
    const std::string genuine = (fx.dir / "genuine.png").string();
    writeLabel(test::traceUrl("0021-MZB-24-00057", "002124583920175534"), genuine);
    const auto before = *fx.scanLog->total();
    const auto out = test::runCommand({"mengscan", "scan", "--json", "--cache", fx.cachePath,
                                       "--session", "till-7", "--record-scans", genuine, genuine});
    REQUIRE(out.exitCode == 0);
    CHECK(*fx.scanLog->total() == before + 2);
    CHECK(*fx.scanLog->countInWindow("002124583920175534", 0, (realNow() + 60) * 1000, "till-7") ==
          0);
    CHECK(*fx.scanLog->countInWindow("002124583920175534", 0, (realNow() + 60) * 1000) == 2);
}

TEST_CASE("cache lookup prints the verdict with reasons beside the parsed fields") {
    test::VerifyFixture fx(cliCacheJsonl());
    fx.setUpdatedAt(realNow() - 60);
    auto lookup = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> argv = {"mengscan", "cache",   "lookup",
                                         "--json",   "--cache", fx.cachePath};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const auto out = test::runCommand(argv);
        CAPTURE(out.err);
        return json::parse(out.out);
    };
    const auto genuine = lookup({test::traceUrl("0021-MZB-24-00057", "002124583920175534")});
    CHECK(genuine["verdict"]["verdict"] == "genuine");
    CHECK(genuine["verdict"]["certificate"]["holder"] == "Xilingol Grassland Beef Co.");

    const auto revoked = lookup({test::traceUrl("0021-MZB-24-00059", "002124583920170001")});
    CHECK(revoked["verdict"]["verdict"] == "invalid");
    CHECK(revoked["verdict"]["reasons"][0]["code"] == "certificate_revoked");

    const auto printed =
        lookup({"--printed-text", "证书编号 0021-MZB-24-00057 追溯码 0021245839201755",
                test::traceUrl("0021-MZB-24-00057", "002124583920175534")});
    CHECK(printed["verdict"]["verdict"] == "suspect");
    CHECK(printed["verdict"]["reasons"][0]["code"] == "printed_text_mismatch");

    const auto garbage = lookup({"not a label"});
    CHECK(garbage["verdict"]["verdict"] == "invalid");
    CHECK(garbage["verdict"]["reasons"][0]["code"] == "payload_unrecognised");
}
