// Runs the real `mengscan` binary and checks the `scan` contract of docs/cli.md.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/json_lines.hpp"
#include "common/test_support.hpp"

using namespace mengscan;
using nlohmann::json;

namespace {

using test::jsonLines;

const std::string kCorpus = (test::sharedRoot() / "corpus" / "qr-real").string();

}  // namespace

TEST_CASE("scan --json prints one object per image with the contract's fields") {
    const auto out = test::runCommand({"mengscan", "scan", "--json", kCorpus + "/qrcode-1/1.webp",
                                       kCorpus + "/qrcode-1/13.webp"});
    REQUIRE_MESSAGE(out.exitCode == 0, out.err);
    const auto lines = jsonLines(out.out);
    REQUIRE(lines.size() == 2);
    const json& first = lines[0];
    for (const char* key : {"source", "frame", "width", "height", "codes", "mark", "verdict",
                            "reasons", "elapsed_ms"})
        CHECK_MESSAGE(first.contains(key), key);
    CHECK(first["source"] == kCorpus + "/qrcode-1/1.webp");
    CHECK(first["frame"] == 0);
    CHECK(first["width"] == 358);
    CHECK(first["height"] == 310);
    CHECK(first["verdict"] == "unverified");
    CHECK(first["elapsed_ms"].get<double>() > 0.0);
    REQUIRE(first["codes"].size() == 1);
    const json& code = first["codes"][0];
    CHECK(code["format"] == "QRCode");
    CHECK(code["text"] == test::readFile(kCorpus + "/qrcode-1/1.txt"));
    REQUIRE(code["quad"].size() == 4);
    for (const auto& p : code["quad"]) {
        CHECK(p[0].get<double>() >= 0);
        CHECK(p[0].get<double>() <= 358);
        CHECK(p[1].get<double>() <= 310);
    }
    CHECK(lines[1]["codes"][0]["text"] == test::readFile(kCorpus + "/qrcode-1/13.txt"));
}

TEST_CASE("scan of a folder goes recursively in sorted order") {
    const auto out = test::runCommand({"mengscan", "scan", "--json", kCorpus + "/qrcode-1"});
    REQUIRE(out.exitCode == 0);
    const auto lines = jsonLines(out.out);
    REQUIRE(lines.size() == 8);
    for (size_t i = 1; i < lines.size(); ++i)
        CHECK(lines[i - 1]["source"].get<std::string>() < lines[i]["source"].get<std::string>());
    for (const auto& l : lines) CHECK(l["codes"].size() >= 1);
}

TEST_CASE("unreadable and missing files give an error object, the scan goes on, exit 1") {
    test::TempDir dir;
    test::writeFile(dir / "broken.png", "not an image");
    const auto out =
        test::runCommand({"mengscan", "scan", "--json", (dir / "broken.png").string(),
                          (dir / "missing.jpg").string(), kCorpus + "/qrcode-1/13.webp"});
    CHECK(out.exitCode == 1);
    const auto lines = jsonLines(out.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].contains("error"));
    CHECK(lines[0]["codes"].empty());
    CHECK(lines[1]["error"].get<std::string>().find("missing.jpg") != std::string::npos);
    CHECK_FALSE(lines[2].contains("error"));
    CHECK(lines[2]["codes"].size() == 1);
}

TEST_CASE("nothing is read from a photo without codes") {
    const auto out =
        test::runCommand({"mengscan", "scan", "--json", kCorpus + "/falsepositives-1/#245.png"});
    REQUIRE(out.exitCode == 0);
    const auto lines = jsonLines(out.out);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["codes"].empty());
}

TEST_CASE("--formats restricts what is read; bad usage exits 2") {
    const auto dmOnly = test::runCommand(
        {"mengscan", "scan", "--json", "--formats", "DataMatrix", kCorpus + "/qrcode-1/13.webp"});
    REQUIRE(dmOnly.exitCode == 0);
    CHECK(jsonLines(dmOnly.out).at(0)["codes"].empty());

    CHECK(test::runCommand({"mengscan", "scan", "--formats", "Aztec", "x.png"}).exitCode == 2);
    CHECK(test::runCommand({"mengscan", "scan"}).exitCode == 2);
    CHECK(test::runCommand({"mengscan", "scan", "--no-such-flag", "x.png"}).exitCode == 2);
    CHECK(test::runCommand({"mengscan"}).exitCode == 2);
}

TEST_CASE("the human-readable form prints one line per image") {
    const auto out = test::runCommand({"mengscan", "scan", kCorpus + "/qrcode-1/13.webp"});
    REQUIRE(out.exitCode == 0);
    CHECK(out.out.find("13.webp: 1 code(s) [QRCode \"http://google.com/gwt/n?u=bluenile.com\"]") !=
          std::string::npos);
}
