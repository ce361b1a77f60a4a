// `mengscan cache import|stats|lookup` run as the real binary.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cache_fixtures.hpp"

using namespace mengscan::test;
using nlohmann::json;

namespace {

json statsOf(const std::string& cache) {
    auto out = runCommand({"mengscan", "cache", "stats", "--json", "--cache", cache});
    REQUIRE_MESSAGE(out.exitCode == 0, out.err);
    return json::parse(out.out);
}

}  // namespace

TEST_CASE("cache import, stats and lookup on the real binary") {
    TempDir dir;
    const auto cache = (dir / "new" / "cache.sqlite").string();
    // A path that does not exist yet is created empty.
    auto empty = statsOf(cache);
    CHECK(empty["certificates"] == 0);
    CHECK(empty["cache_version"] == "");

    writeFile(dir / "snap.jsonl", sampleSnapshotJsonl());
    auto import = runCommand(
        {"mengscan", "cache", "import", (dir / "snap.jsonl").string(), "--cache", cache, "--json"});
    REQUIRE_MESSAGE(import.exitCode == 0, import.err);
    auto counts = json::parse(import.out);
    CHECK(counts["kind"] == "snapshot");
    CHECK(counts["version"] == 42);
    CHECK(counts["item_codes"] == 3);

    auto stats = statsOf(cache);
    CHECK(stats["cache_version"] == "42");
    CHECK(stats["certificates"] == 2);
    CHECK(stats["certificates_by_status"]["valid"] == 2);
    CHECK(stats["item_codes"] == 3);
    CHECK(stats["flags"] == 1);
    CHECK(stats["schema_version"] == 1);

    auto text = runCommand({"mengscan", "cache", "stats", "--cache", cache});
    CHECK(text.exitCode == 0);
    CHECK(text.out.find("item codes:     3") != std::string::npos);

    {  // lookup of a trace URL finds certificate, item code, flag and key
        auto out = runCommand({"mengscan", "cache", "lookup", "--json", "--cache", cache,
                               "https://trace.mzb.example/t/0021-MZB-24-00057/"
                               "002124583920175535?k=0021-k1"});
        REQUIRE_MESSAGE(out.exitCode == 0, out.err);
        auto j = json::parse(out.out);
        CHECK(j["payload"]["kind"] == "trace_url");
        CHECK(j["payload"]["item_code"] == "002124583920175535");
        CHECK(j["certificate"]["cert_no"] == "0021-MZB-24-00057");
        CHECK(j["certificate"]["holder"] == "Xilingol Grassland Beef Co.");
        CHECK(j["found_by"] == "cert_no");
        CHECK(j["item_code"]["listed"] == true);
        CHECK(j["flag"]["reason"] == "reported clone");
        CHECK(j["key"]["known"] == true);
    }
    {  // lookup reads the payload from stdin exactly, control characters included
        const std::string gs1 =
            "0106901234567892"
            "21002124583920175534\x1d"
            "10LOT7\x1d"
            "7230MZ0021-MZB-24-00057";
        auto out = runCommand({"mengscan", "cache", "lookup", "--json", "--cache", cache, "-"},
                              gs1 + "\n");
        REQUIRE_MESSAGE(out.exitCode == 0, out.err);
        auto j = json::parse(out.out);
        CHECK(j["payload"]["raw"] == gs1);
        CHECK(j["payload"]["kind"] == "gs1_element_string");
        CHECK(j["payload"]["batch"] == "LOT7");
        CHECK(j["certificate"]["cert_no"] == "0021-MZB-24-00057");
    }
    {  // a bare item code finds its certificate through the item list
        auto out = runCommand(
            {"mengscan", "cache", "lookup", "--cache", cache, "有机码02124583920175534"});
        REQUIRE_MESSAGE(out.exitCode == 0, out.err);
        CHECK(out.out.find("certificate 0021-MZB-24-00057 (found by item_code)") !=
              std::string::npos);
        CHECK(out.out.find("item code 02124583920175534: listed") != std::string::npos);
    }
    {  // an unknown certificate and garbage
        auto out = runCommand({"mengscan", "cache", "lookup", "--json", "--cache", cache,
                               "https://trace.mzb.example/t/0021-MZB-24-99999/002124583920175534"});
        REQUIRE(out.exitCode == 0);
        auto j = json::parse(out.out);
        CHECK(j["certificate"].is_null());  // not borrowed from the listed item code
        CHECK(j["item_code"]["listed"] == true);
        auto bad = runCommand({"mengscan", "cache", "lookup", "--json", "--cache", cache,
                               std::string("\x01\x02 not a label")});
        CHECK(bad.exitCode == 1);
        auto b = json::parse(bad.out);
        CHECK(b["payload"].is_null());
        CHECK(b["error"]["code"] == "payload_unrecognised");
    }
    {  // a bad import file: exit 1, line number, nothing applied
        writeFile(dir / "bad.csv", "body,0030,Second body\nitem_code,0021-MZB-24-00057,12x\n");
        auto out = runCommand(
            {"mengscan", "cache", "import", (dir / "bad.csv").string(), "--cache", cache});
        CHECK(out.exitCode == 1);
        CHECK(out.err.find("bad.csv:2: item code \"12x\" is not 1-18 digits") != std::string::npos);
        auto after = statsOf(cache);
        CHECK(after["bodies"] == 1);
        CHECK(after["last_import"] == stats["last_import"]);
    }
    {  // usage errors exit 2
        CHECK(runCommand({"mengscan", "cache", "import"}).exitCode == 2);
        CHECK(runCommand({"mengscan", "cache", "import", "x", "--format", "xml"}).exitCode == 2);
        auto missing = runCommand(
            {"mengscan", "cache", "import", (dir / "nope.jsonl").string(), "--cache", cache});
        CHECK(missing.exitCode == 1);
        CHECK(missing.err.find("cannot open") != std::string::npos);
    }
}

TEST_CASE("the OS refusing to write (file size limit) fails the import and keeps the cache") {
    TempDir dir;
    const auto cache = (dir / "cache.sqlite").string();
    writeFile(dir / "snap.jsonl", sampleSnapshotJsonl());
    REQUIRE(
        runCommand({"mengscan", "cache", "import", (dir / "snap.jsonl").string(), "--cache", cache})
            .exitCode == 0);
    std::string delta =
        "{\"type\":\"header\",\"kind\":\"delta\",\"version\":43,\"base_version\":42}\n"
        "{\"type\":\"item_codes\",\"cert_no\":\"0021-MZB-23-00002\",\"codes\":[";
    for (int i = 0; i < 200000; ++i)
        delta += (i ? ",\"" : "\"") + std::to_string(2123000000000000LL + i * 13) + "\"";
    writeFile(dir / "delta.jsonl", delta + "]}\n");
    // Files may not grow past 1 MB (write() fails with EFBIG, like a full disk); SIGXFSZ is
    // ignored so the process sees the error instead of dying.
    const std::string script =
        "trap '' XFSZ; ulimit -f 2048; exec \"$0\" cache import \"$1\" --cache \"$2\"";
    auto out = runCommand({"/bin/sh", "-c", script, (binDir() / "mengscan").string(),
                           (dir / "delta.jsonl").string(), cache});
    CHECK(out.exitCode == 1);
    CHECK(out.err.find("cache.sqlite") != std::string::npos);
    CAPTURE(out.err);
    auto stats = statsOf(cache);
    CHECK(stats["cache_version"] == "42");
    CHECK(stats["item_codes"] == 3);
    // Without the limit the same file applies.
    auto ok = runCommand(
        {"mengscan", "cache", "import", (dir / "delta.jsonl").string(), "--cache", cache});
    REQUIRE_MESSAGE(ok.exitCode == 0, ok.err);
    CHECK(statsOf(cache)["item_codes"] == 200003);
}
