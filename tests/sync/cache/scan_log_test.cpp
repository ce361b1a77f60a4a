// The local scan log: recording scans and counting them in a time window.
#include <doctest/doctest.h>

#include "common/test_support.hpp"
#include "mengscan/sync/cache_scan_log.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;

TEST_CASE("scan log counts scans of one code in a window, per session") {
    TempDir dir;
    const auto path = (dir / "data" / "scanlog.sqlite").string();
    CHECK(scanLogPathFor((dir / "data" / "cache.sqlite").string()) == path);
    auto log = ScanLog::open(path);
    REQUIRE_MESSAGE(log, (log ? "" : log.error().describe()));
    auto& l = **log;
    const std::string code = "002124583920175534";
    REQUIRE(l.record({code, 1000, "s1", "genuine", "0021-MZB-24-00057"}));
    REQUIRE(l.record({code, 2000, "s1", "genuine", ""}));
    REQUIRE(l.record({code, 5000, "s2", "suspect", ""}));
    REQUIRE(l.record({code, 9000, "s3", "", ""}));
    REQUIRE(l.record({"002124583920175535", 3000, "s1", "", ""}));

    CHECK(*l.countInWindow(code, 0, 10000) == 4);
    CHECK(*l.countInWindow(code, 1000, 5000) == 3);  // both ends inclusive
    CHECK(*l.countInWindow(code, 1001, 4999) == 1);
    CHECK(*l.countInWindow(code, 0, 10000, "s1") == 2);
    CHECK(*l.countInWindow("02124583920175534", 0, 10000) == 0);  // leading zero matters
    CHECK(*l.sessionsInWindow(code, 0, 10000) == 3);
    CHECK(*l.sessionsInWindow(code, 0, 2500) == 1);
    CHECK(*l.total() == 5);
    CHECK(*l.prune(2500) == 2);
    CHECK(*l.total() == 3);

    // Reopening keeps the log (and its schema).
    log->reset();
    auto again = ScanLog::open(path);
    REQUIRE(again);
    CHECK(*(*again)->countInWindow(code, 0, 10000) == 2);
}
