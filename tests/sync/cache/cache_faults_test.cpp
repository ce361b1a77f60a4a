// Write failures mid-import keep the old cache; a read-only connection reads while an
// import is writing.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <functional>
#include <streambuf>

#include "cache_fixtures.hpp"
#include "fault_vfs.hpp"
#include "mengscan/sync/read_scope.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;

namespace {

// A delta touching every table with enough item codes to span many pages.
std::string bigDelta(int codes) {
    std::string text =
        R"({"type":"header","kind":"delta","version":43,"base_version":42}
{"type":"body","code":"0030","name":"Second body"}
{"type":"certificate","cert_no":"0030-MZB-25-00001","body":"0030","holder":"Oats Co.","product":"oats","issued":"2025-01-01","expires":"2028-01-01","status":"valid"}
{"type":"status","cert_no":"0021-MZB-24-00057","status":"revoked","at":"2026-01-01T00:00:00Z"}
{"op":"delete","type":"flag","code":"002124583920175535"}
)";
    std::string line = R"({"type":"item_codes","cert_no":"0030-MZB-25-00001","codes":[)";
    for (int i = 0; i < codes; ++i) {
        char code[32];
        std::snprintf(code, sizeof code, "\"00302500%010d\"", i * 7919);
        line += (i ? "," : "") + std::string(code);
    }
    return text + line + "]}\n";
}

std::string integrity(const std::string& path) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
    std::string result = sqlite3_step(stmt) == SQLITE_ROW
                             ? reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))
                             : "no result";
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
}

// Serves text line by line and calls `hook` just before line `hookLine` (1-based).
class HookedLines : public std::streambuf {
public:
    HookedLines(std::vector<std::string> lines, size_t hookLine, std::function<void()> hook)
        : lines_(std::move(lines)), hookLine_(hookLine), hook_(std::move(hook)) {}

protected:
    int_type underflow() override {
        if (next_ >= lines_.size()) return traits_type::eof();
        if (next_ + 1 == hookLine_) hook_();
        current_ = lines_[next_++] + "\n";
        setg(current_.data(), current_.data(), current_.data() + current_.size());
        return traits_type::to_int_type(current_[0]);
    }

private:
    std::vector<std::string> lines_;
    size_t hookLine_;
    std::function<void()> hook_;
    size_t next_ = 0;
    std::string current_;
};

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("a write failure at any point of an import keeps the old cache") {
    TempDir dir;
    const auto path = (dir / "cache.sqlite").string();
    {
        auto cache = openCache(path, OpenMode::ReadWrite);
        importText(*cache, sampleSnapshotJsonl());
    }
    const std::string delta = bigDelta(20000);
    for (int errorCode : {SQLITE_FULL, SQLITE_IOERR_WRITE}) {
        CAPTURE(errorCode);
        bool succeeded = false;
        int failures = 0;
        for (int n = 0; n < 2000 && !succeeded; n += 1 + n / 8) {
            CAPTURE(n);
            {
                failWritesAfter(-1, errorCode);
                auto cache = openCache(path, OpenMode::ReadWrite, faultyVfsName());
                failWritesAfter(n, errorCode);
                std::istringstream in(delta);
                auto counts = cache->importStream(in, "delta.jsonl");
                failWritesAfter(-1, errorCode);
                if (counts) {
                    succeeded = true;
                } else {
                    ++failures;
                    CHECK(counts.error().code == "write_failed");
                    CHECK(counts.error().message.find("cache.sqlite") != std::string::npos);
                }
            }
            // Reopened normally, the cache is exactly the old or the new version.
            CHECK(integrity(path) == "ok");
            auto cache = openCache(path, OpenMode::ReadOnly);
            auto stats = cache->stats();
            REQUIRE(stats);
            if (succeeded) {
                CHECK(stats->cacheVersion == "43");
                CHECK(stats->itemCodes == 3 + 20000);
                CHECK(stats->bodies == 2);
            } else {
                CHECK(stats->cacheVersion == "42");
                CHECK(stats->itemCodes == 3);
                CHECK(stats->bodies == 1);
                CHECK(stats->flags == 1);
                CHECK(std::string(toString(
                          (*cache->findCertificate("0021-MZB-24-00057"))->status)) == "valid");
            }
        }
        CHECK(succeeded);
        CHECK(failures >= 5);  // the loop really failed at several points
        // Back to version 42 for the next error kind.
        auto cache = openCache(path, OpenMode::ReadWrite);
        importText(*cache, sampleSnapshotJsonl());
    }
}

TEST_CASE("verification reads the old cache while an import is writing, then the new one") {
    TempDir dir;
    const auto path = (dir / "cache.sqlite").string();
    auto writer = openCache(path, OpenMode::ReadWrite);
    importText(*writer, sampleSnapshotJsonl());
    auto reader = openCache(path, OpenMode::ReadOnly);

    // A snapshot that first wipes everything, then defines other data. Halfway through,
    // the reader (another connection) must still see the complete old version, unblocked.
    std::string snapshot = R"({"type":"header","kind":"snapshot","version":60}
{"type":"body","code":"0030","name":"Second body"}
{"type":"certificate","cert_no":"0030-MZB-25-00001","body":"0030","holder":"Oats Co.","product":"oats","issued":"2025-01-01","expires":"2028-01-01","status":"valid"}
)";
    std::string codes = R"({"type":"item_codes","cert_no":"0030-MZB-25-00001","codes":[)";
    for (int i = 0; i < 50000; ++i)
        codes += (i ? ",\"" : "\"") + std::to_string(3025000000000000LL + i) + "\"";
    snapshot +=
        codes + "]}\n{\"type\":\"flag\",\"code\":\"3025000000000001\",\"reason\":\"recall\"}\n";

    int hookRuns = 0;
    HookedLines lines(splitLines(snapshot), 5, [&] {
        ++hookRuns;
        auto cert = reader->findCertificate("0021-MZB-24-00057");
        REQUIRE(cert);
        CHECK(cert->has_value());
        CHECK_FALSE(reader->findCertificate("0030-MZB-25-00001")->has_value());
        CHECK(reader->findItemCode("002124583920175534")->has_value());
        CHECK_FALSE(reader->findItemCode("3025000000000001")->has_value());
        auto stats = reader->stats();
        REQUIRE(stats);
        CHECK(stats->cacheVersion == "42");
        CHECK(stats->itemCodes == 3);
        // A second, freshly opened read-only connection is not blocked either.
        auto another = openCache(path, OpenMode::ReadOnly);
        CHECK(*another->getMeta(kMetaCacheVersion) == "42");
    });
    std::istream in(&lines);
    auto counts = writer->importStream(in, "snapshot.jsonl", ImportFormat::JsonLines);
    REQUIRE_MESSAGE(counts, (counts ? "" : counts.error().describe()));
    CHECK(hookRuns == 1);

    // After the commit the same reader sees the new version.
    CHECK_FALSE(reader->findCertificate("0021-MZB-24-00057")->has_value());
    CHECK(reader->findItemCode("3025000000000001")->has_value());
    CHECK(reader->findFlag("3025000000000001")->has_value());
    CHECK(reader->stats()->cacheVersion == "60");
    CHECK(reader->stats()->itemCodes == 50000);
}

TEST_CASE("a second writer waits for the first and fails clearly when it cannot get the lock") {
    TempDir dir;
    const auto path = (dir / "cache.sqlite").string();
    auto first = openCache(path, OpenMode::ReadWrite);
    OpenOptions options;
    options.mode = OpenMode::ReadWrite;
    options.busyTimeoutMs = 100;
    auto second = CertificateCache::open(path, options);
    REQUIRE(second);
    HookedLines lines(splitLines(sampleSnapshotJsonl()), 3, [&] {
        std::istringstream in("{\"type\":\"body\",\"code\":\"0099\",\"name\":\"x\"}\n");
        auto counts = (*second)->importStream(in, "other.jsonl");
        REQUIRE_FALSE(counts);
        CHECK(counts.error().message.find("locked") != std::string::npos);
    });
    std::istream in(&lines);
    REQUIRE(first->importStream(in, "snapshot.jsonl", ImportFormat::JsonLines));
    CHECK(first->stats()->certificates == 2);
    CHECK_FALSE(first->findBody("0099")->has_value());
}

TEST_CASE("beginRead keeps one consistent snapshot across a commit until endRead") {
    TempDir dir;
    const auto path = (dir / "cache.sqlite").string();
    auto writer = openCache(path, OpenMode::ReadWrite);
    importText(*writer, sampleSnapshotJsonl());
    auto reader = openCache(path, OpenMode::ReadOnly);
    REQUIRE(reader->beginRead());
    REQUIRE(reader->beginRead());  // nested: still the same snapshot
    CHECK(*reader->getMeta(kMetaCacheVersion) == "42");
    importText(*writer, R"({"type":"header","kind":"delta","version":43,"base_version":42}
{"type":"status","cert_no":"0021-MZB-24-00057","status":"revoked","at":"2026-01-01T00:00:00Z"}
)");
    CHECK(*reader->getMeta(kMetaCacheVersion) == "42");
    CHECK(std::string(toString((*reader->findCertificate("0021-MZB-24-00057"))->status)) ==
          "valid");
    reader->endRead();
    CHECK(*reader->getMeta(kMetaCacheVersion) == "43");
    CHECK(std::string(toString((*reader->findCertificate("0021-MZB-24-00057"))->status)) ==
          "revoked");
    reader->endRead();  // harmless without an open snapshot
}

TEST_CASE("ReadScope holds one snapshot, ends only the one it began, and sees commits after") {
    TempDir dir;
    const auto path = (dir / "cache.sqlite").string();
    auto writer = openCache(path, OpenMode::ReadWrite);
    importText(*writer, sampleSnapshotJsonl());
    auto reader = openCache(path, OpenMode::ReadOnly);
    CHECK_FALSE(reader->inRead());
    {
        ReadScope<CertificateCache> outer(reader.get());
        CHECK(reader->inRead());
        CHECK(*reader->getMeta(kMetaCacheVersion) == "42");
        {
            ReadScope<CertificateCache> inner(reader.get());  // nested: begins nothing
        }
        CHECK(reader->inRead());  // the inner scope did not end the outer snapshot
        importText(*writer, R"({"type":"header","kind":"delta","version":43,"base_version":42}
)");
        CHECK(*reader->getMeta(kMetaCacheVersion) == "42");
    }
    CHECK_FALSE(reader->inRead());
    {
        ReadScope<CertificateCache> next(reader.get());
        CHECK(*reader->getMeta(kMetaCacheVersion) == "43");
    }
    ReadScope<CertificateCache> none(nullptr);  // no cache: nothing to do
}
