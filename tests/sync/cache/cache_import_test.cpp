// Import of JSON Lines and CSV files into a real SQLite cache, and the lookups afterwards.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "cache_fixtures.hpp"

using namespace mengscan;
using namespace mengscan::sync;
using namespace mengscan::test;

TEST_CASE("item codes map to integer keys that keep leading zeros and length") {
    CHECK(itemCodeKey("002124583920175534").value() == 1002124583920175534LL);
    CHECK(itemCodeKey("02124583920175534").value() == 102124583920175534LL);
    CHECK(*itemCodeKey("002124583920175534") != *itemCodeKey("02124583920175534"));
    CHECK(itemCodeFromKey(*itemCodeKey("000000000000000001")) == "000000000000000001");
    CHECK(itemCodeFromKey(*itemCodeKey("999999999999999999")) == "999999999999999999");
    CHECK_FALSE(itemCodeKey("").has_value());
    CHECK_FALSE(itemCodeKey("0021245839201755341").has_value());  // 19 digits
    CHECK_FALSE(itemCodeKey("00212458392017553a").has_value());
}

TEST_CASE("a missing cache path is created empty with the current schema in WAL mode") {
    TempDir dir;
    const auto path = (dir / "sub" / "cache.sqlite").string();
    auto cache = openCache(path, OpenMode::ReadOnly);
    REQUIRE(std::filesystem::exists(path));
    auto stats = cache->stats();
    REQUIRE(stats);
    CHECK(stats->certificates == 0);
    CHECK(stats->itemCodes == 0);
    CHECK(stats->schemaVersion == kCacheSchemaVersion);
    CHECK(stats->cacheVersion.empty());

    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
    sqlite3_finalize(stmt);
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(sqlite3_column_int(stmt, 0) == kCacheSchemaVersion);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

TEST_CASE("a cache from a newer program is refused, not damaged") {
    TempDir dir;
    const auto path = (dir / "cache.sqlite").string();
    openCache(path, OpenMode::ReadWrite);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    OpenOptions rw;
    rw.mode = OpenMode::ReadWrite;
    auto cache = CertificateCache::open(path, rw);
    REQUIRE_FALSE(cache);
    CHECK(cache.error().code == "schema_too_new");
}

TEST_CASE("JSON Lines snapshot import and every lookup") {
    TempDir dir;
    auto cache = openCache((dir / "cache.sqlite").string(), OpenMode::ReadWrite);
    const auto counts = importText(*cache, sampleSnapshotJsonl());
    CHECK(counts.kind == "snapshot");
    CHECK(counts.version == 42);
    CHECK(counts.certificates == 2);
    CHECK(counts.itemCodes == 3);
    CHECK(counts.statusChanges == 2);
    CHECK(counts.lines == 10);

    auto cert = cache->findCertificate("0021-MZB-24-00057");
    REQUIRE(cert);
    REQUIRE(cert->has_value());
    const Certificate& c = **cert;
    CHECK(c.holder == "Xilingol Grassland Beef Co.");
    CHECK(c.product == "beef");
    CHECK(c.bodyCode == "0021");
    CHECK(c.issued == "2024-03-01");
    CHECK(c.expires == "2027-02-28");
    CHECK(std::string(toString(c.status)) == "valid");  // restored after the suspension
    CHECK(c.statusReason == "restored");
    CHECK(c.hasItemList);
    REQUIRE(c.gtins.size() == 2);
    CHECK(c.gtins[0] == "04006381333931");  // EAN-13 stored as GTIN-14
    CHECK(c.gtins[1] == "06901234567892");

    auto other = cache->findCertificate("0021-MZB-23-00002");
    REQUIRE(other);
    REQUIRE(other->has_value());
    CHECK_FALSE((*other)->hasItemList);
    CHECK((*other)->gtins.empty());
    CHECK_FALSE(cache->findCertificate("0021-MZB-24-99999")->has_value());

    auto history = cache->statusHistory("0021-MZB-24-00057");
    REQUIRE(history);
    REQUIRE(history->size() == 2);
    CHECK(std::string(toString((*history)[0].status)) == "suspended");
    CHECK((*history)[0].reason == "failed audit");

    auto item = cache->findItemCode("002124583920175534");
    REQUIRE(item);
    REQUIRE(item->has_value());
    CHECK((*item)->certNo == "0021-MZB-24-00057");
    CHECK(cache->findItemCode("02124583920175534")->has_value());  // the 17-digit one
    CHECK_FALSE(cache->findItemCode("002124583920175536")->has_value());
    CHECK_FALSE(cache->findItemCode("2124583920175534")->has_value());  // zeros matter
    CHECK_FALSE(cache->findItemCode("not a code")->has_value());

    auto byGtin = cache->certificatesForGtin("4006381333931");
    REQUIRE(byGtin);
    REQUIRE(byGtin->size() == 1);
    CHECK(byGtin->front().certNo == "0021-MZB-24-00057");
    CHECK(cache->certificatesForGtin("06901234567908")->empty());

    auto flag = cache->findFlag("002124583920175535");
    REQUIRE(flag);
    REQUIRE(flag->has_value());
    CHECK((*flag)->reason == "reported clone");
    CHECK((*flag)->flaggedAt == "2025-05-01T08:00:00Z");
    CHECK_FALSE(cache->findFlag("002124583920175534")->has_value());

    auto key = cache->findKey("0021-k1");
    REQUIRE(key);
    REQUIRE(key->has_value());
    CHECK((*key)->publicKey.size() == 32);
    CHECK((*key)->publicKey[0] == 0xd7);
    CHECK((*key)->validTo == "2027-12-31");
    CHECK(cache->keysOfBody("0021")->size() == 1);
    CHECK(cache->keysOfBody("0099")->empty());
    CHECK((*cache->findBody("0021"))->name == "Inner Mongolia Certification Centre");

    CHECK(*cache->getMeta(kMetaCacheVersion) == "42");
    CHECK(*cache->getMeta(kMetaSource) == "test-registry");
    CHECK_FALSE(cache->getMeta(kMetaLastImport)->empty());
    REQUIRE(cache->setMeta(kMetaLastSync, "2026-03-02T00:00:00Z"));
    auto stats = cache->stats();
    REQUIRE(stats);
    CHECK(stats->lastSync == "2026-03-02T00:00:00Z");
    CHECK(stats->bodies == 1);
    CHECK(stats->keys == 1);
    CHECK(stats->certificates == 2);
    CHECK(stats->itemCodes == 3);
    CHECK(stats->flags == 1);
    CHECK(stats->certificatesWithItemList == 1);
    CHECK(stats->byStatus[static_cast<int>(CertificateStatus::Valid)] == 2);
    CHECK(stats->fileBytes > 0);
}

TEST_CASE("CSV import gives the same cache as JSON Lines") {
    TempDir dir;
    auto cache = openCache((dir / "cache.sqlite").string(), OpenMode::ReadWrite);
    const std::string csv = std::string("# comment line\n") +
                            "header,snapshot,7,,2026-03-01T00:00:00Z,csv-source\n"
                            "body,0021,\"Inner Mongolia, Certification \"\"Centre\"\"\"\n"
                            "key,0021-k1,0021," +
                            kPublicKey +
                            ",2024-01-01,2027-12-31\n"
                            "certificate,0021-MZB-24-00057,0021,Xilingol Beef,beef,livestock,"
                            "06901234567892;4006381333931,2024-03-01,2027-02-28,revoked,"
                            "2025-06-01T00:00:00Z,fraud\r\n"
                            "status,0021-MZB-24-00057,suspended,2025-01-10T00:00:00Z,audit\n"
                            "item_code,0021-MZB-24-00057,002124583920175534\n"
                            "item_code,0021-MZB-24-00057,002124583920175599\n"
                            "flag,002124583920175534,\"recall\nsecond line\",\n"
                            "delete,item_code,002124583920175599\n";
    const auto counts = importText(*cache, csv, "cache.csv");
    CHECK(counts.kind == "snapshot");
    CHECK(counts.version == 7);
    CHECK(counts.deletes == 1);
    CHECK((*cache->findBody("0021"))->name == "Inner Mongolia, Certification \"Centre\"");
    auto cert = *cache->findCertificate("0021-MZB-24-00057");
    REQUIRE(cert.has_value());
    // The older suspension goes into the history; the newer revocation stays current.
    CHECK(std::string(toString(cert->status)) == "revoked");
    CHECK(cert->statusReason == "fraud");
    CHECK(cache->statusHistory("0021-MZB-24-00057")->size() == 2);
    CHECK(cert->gtins.size() == 2);
    CHECK(cache->findItemCode("002124583920175534")->has_value());
    CHECK_FALSE(cache->findItemCode("002124583920175599")->has_value());
    CHECK((*cache->findFlag("002124583920175534"))->reason == "recall\nsecond line");
    CHECK(*cache->getMeta(kMetaSource) == "csv-source");
}

TEST_CASE("a snapshot replaces everything; a delta upserts and deletes on its base") {
    TempDir dir;
    auto cache = openCache((dir / "cache.sqlite").string(), OpenMode::ReadWrite);
    importText(*cache, sampleSnapshotJsonl());

    const std::string delta =
        R"({"type":"header","kind":"delta","version":43,"base_version":42,"counts":{"certificates":2,"item_codes":2,"flags":0}}
{"type":"status","cert_no":"0021-MZB-23-00002","status":"revoked","at":"2026-02-01T00:00:00Z","reason":"fraud"}
{"op":"delete","type":"flag","code":"002124583920175535"}
{"op":"delete","type":"item_codes","codes":["002124583920175535","002124583920175000"]}
{"type":"item_codes","cert_no":"0021-MZB-23-00002","codes":["002123000000000001"]}
{"op":"delete","type":"item_code","code":"02124583920175534"}
)";
    auto counts = importText(*cache, delta);
    CHECK(counts.kind == "delta");
    CHECK(std::string(toString((*cache->findCertificate("0021-MZB-23-00002"))->status)) ==
          "revoked");
    CHECK((*cache->findCertificate("0021-MZB-23-00002"))->hasItemList);
    CHECK_FALSE(cache->findFlag("002124583920175535")->has_value());
    CHECK(cache->stats()->itemCodes == 2);
    CHECK(*cache->getMeta(kMetaCacheVersion) == "43");

    // The same delta again no longer matches the base: refused, nothing changes.
    const auto error = importError(*cache, delta);
    CHECK(error.find("delta_base_mismatch") == 0);
    CHECK(error.find("holds 43") != std::string::npos);
    CHECK(*cache->getMeta(kMetaCacheVersion) == "43");

    // Deleting a certificate removes its item codes, GTIN scope and history.
    importText(*cache, R"({"type":"header","kind":"delta","version":44,"base_version":43}
{"op":"delete","type":"certificate","cert_no":"0021-MZB-24-00057"}
{"op":"delete","type":"certificate","cert_no":"0021-MZB-99-00000"}
)");
    CHECK_FALSE(cache->findCertificate("0021-MZB-24-00057")->has_value());
    CHECK_FALSE(cache->findItemCode("002124583920175534")->has_value());
    CHECK(cache->certificatesForGtin("06901234567892")->empty());
    CHECK(cache->statusHistory("0021-MZB-24-00057")->empty());
    CHECK(cache->stats()->itemCodes == 1);

    // A snapshot starts from nothing.
    importText(*cache, R"({"type":"header","kind":"snapshot","version":50}
{"type":"body","code":"0030","name":"Other body"}
)");
    auto stats = cache->stats();
    CHECK(stats->bodies == 1);
    CHECK(stats->certificates == 0);
    CHECK(stats->itemCodes == 0);
    CHECK(stats->cacheVersion == "50");
    CHECK_FALSE(cache->findBody("0021")->has_value());
}

TEST_CASE("bad import files fail with the line number and apply nothing") {
    TempDir dir;
    auto cache = openCache((dir / "cache.sqlite").string(), OpenMode::ReadWrite);
    importText(*cache, sampleSnapshotJsonl());
    const auto before = *cache->stats();

    struct Case {
        const char* text;
        const char* expected;
    } cases[] = {
        {"{\"type\":\"body\",\"code\":\"0022\",\"name\":\"x\"}\n{not json\n",
         "bad.jsonl:2: not valid JSON"},
        {"{\"type\":\"item_code\",\"cert_no\":\"0021-MZB-24-00057\",\"code\":2124583920175534}\n",
         "bad.jsonl:1: field \"code\" must be a string"},
        {"{\"type\":\"certificate\",\"cert_no\":\"X-1\",\"body\":\"0021\",\"holder\":\"h\","
         "\"product\":\"p\",\"issued\":\"2024-01-01\",\"expires\":\"2027-02-30\",\"status\":"
         "\"valid\"}\n",
         "bad.jsonl:1: certificate \"X-1\": expires \"2027-02-30\" is not a date"},
        {"{\"type\":\"certificate\",\"cert_no\":\"X-1\",\"body\":\"0099\",\"holder\":\"h\","
         "\"product\":\"p\",\"issued\":\"2024-01-01\",\"expires\":\"2027-01-30\",\"status\":"
         "\"valid\"}\n",
         "unknown body \"0099\""},
        {"{\"type\":\"certificate\",\"cert_no\":\"X-1\",\"body\":\"0021\",\"holder\":\"h\","
         "\"product\":\"p\",\"gtins\":[\"06901234567893\"],\"issued\":\"2024-01-01\","
         "\"expires\":\"2027-01-30\",\"status\":\"valid\"}\n",
         "has a wrong length or check digit"},
        {"{\"type\":\"certificate\",\"cert_no\":\"X-1\",\"body\":\"0021\",\"holder\":\"h\","
         "\"product\":\"p\",\"issued\":\"2024-01-01\",\"expires\":\"2027-01-30\",\"status\":"
         "\"paused\"}\n",
         "status \"paused\" is not valid"},
        {"{\"type\":\"item_codes\",\"cert_no\":\"0021-MZB-24-00057\",\"codes\":["
         "\"0021245839201755\",\"12a\"]}\n",
         "bad.jsonl:1: item code \"12a\" is not 1-18 digits"},
        {"\n\n{\"type\":\"item_code\",\"cert_no\":\"0021-MZB-24-77777\",\"code\":\"1\"}\n",
         "bad.jsonl:3: unknown certificate \"0021-MZB-24-77777\""},
        {"{\"type\":\"key\",\"key_id\":\"k2\",\"body\":\"0021\",\"public_key\":\"AAAA\"}\n",
         "not a base64 Ed25519 key of 32 bytes"},
        {"{\"type\":\"gizmo\"}\n", "unknown record type \"gizmo\""},
        {"{\"type\":\"body\",\"code\":\"0022\",\"name\":\"x\"}\n{\"type\":\"header\",\"kind\":"
         "\"delta\",\"version\":1}\n",
         "bad.jsonl:2: the header must be the first record"},
        {"{\"type\":\"header\",\"kind\":\"snapshot\",\"version\":99,\"counts\":{\"bodies\":5}}\n"
         "{\"type\":\"body\",\"code\":\"0022\",\"name\":\"x\"}\n",
         "count check failed: bodies is 1 after applying, the header expects 5"},
        {"{\"op\":\"delete\",\"type\":\"body\",\"code\":\"0021\"}\n",
         "certificates or keys use it"},
        {"[1,2]\n", "a line must be one JSON object"},
        {"{\"type\":\"flag\",\"code\":\"12\",\"reason\":\"r\",\"at\":\"yesterday\"}\n",
         "is not a time"},
    };
    for (const auto& c : cases) {
        const std::string text = c.text;
        const std::string error = importError(*cache, text);
        CAPTURE(text);
        CAPTURE(error);
        CHECK(error.find(c.expected) != std::string::npos);
        CHECK(error.find("cache/") == std::string::npos);  // code, then message
        const auto after = *cache->stats();
        CHECK(after.bodies == before.bodies);
        CHECK(after.certificates == before.certificates);
        CHECK(after.itemCodes == before.itemCodes);
        CHECK(after.cacheVersion == "42");
    }
    // CSV errors carry line numbers too.
    std::istringstream csv("body,0022,x\nitem_code,0021-MZB-24-00057\n");
    auto counts = cache->importStream(csv, "bad.csv", ImportFormat::Csv);
    REQUIRE_FALSE(counts);
    CHECK(counts.error().message.find("bad.csv:2: item_code needs 2 to 2 fields, got 1") == 0);
    std::istringstream quote("body,0022,\"open\n");
    counts = cache->importStream(quote, "q.csv", ImportFormat::Csv);
    REQUIRE_FALSE(counts);
    CHECK(counts.error().message.find("q.csv:1: unterminated quoted cell") == 0);
    CHECK_FALSE(cache->findBody("0022")->has_value());
}

TEST_CASE("importing needs a read-write cache") {
    TempDir dir;
    auto cache = openCache((dir / "cache.sqlite").string(), OpenMode::ReadOnly);
    std::istringstream in(sampleSnapshotJsonl());
    auto counts = cache->importStream(in, "x.jsonl");
    REQUIRE_FALSE(counts);
    CHECK(counts.error().code == "read_only");
    CHECK_FALSE(cache->setMeta("a", "b"));
}
