// Small hand-written import files shared by the cache tests (docs/cache-format.md examples).
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>

#include "common/test_support.hpp"
#include "mengscan/sync/cache.hpp"

namespace mengscan::test {

inline const char* kPublicKey = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

// Snapshot version 42: one body, one key, two certificates, three item codes, one flag.
inline std::string sampleSnapshotJsonl() {
    return std::string(
               R"({"type":"header","format":"mengscan-cache","format_version":1,"kind":"snapshot","version":42,"created":"2026-03-01T00:00:00Z","source":"test-registry","counts":{"certificates":2,"item_codes":3}}
{"type":"body","code":"0021","name":"Inner Mongolia Certification Centre"}
{"type":"key","key_id":"0021-k1","body":"0021","public_key":")") +
           kPublicKey + R"(","valid_from":"2024-01-01","valid_to":"2027-12-31"}
{"type":"certificate","cert_no":"0021-MZB-24-00057","body":"0021","holder":"Xilingol Grassland Beef Co.","product":"beef","category":"livestock","gtins":["06901234567892","4006381333931"],"issued":"2024-03-01","expires":"2027-02-28","status":"valid"}
{"type":"certificate","cert_no":"0021-MZB-23-00002","body":"0021","holder":"Hetao Millet","product":"millet","issued":"2023-01-01","expires":"2026-12-31","status":"valid"}
{"type":"status","cert_no":"0021-MZB-24-00057","status":"suspended","at":"2025-01-10T00:00:00Z","reason":"failed audit"}
{"type":"status","cert_no":"0021-MZB-24-00057","status":"valid","at":"2025-04-02T00:00:00Z","reason":"restored"}
{"type":"item_codes","cert_no":"0021-MZB-24-00057","codes":["002124583920175534","002124583920175535"]}
{"type":"item_code","cert_no":"0021-MZB-24-00057","code":"02124583920175534"}
{"type":"flag","code":"002124583920175535","reason":"reported clone","at":"2025-05-01T08:00:00Z"}
)";
}

inline std::unique_ptr<sync::CertificateCache> openCache(const std::string& path,
                                                         sync::OpenMode mode,
                                                         const std::string& vfs = "") {
    sync::OpenOptions options;
    options.mode = mode;
    options.vfs = vfs;
    auto cache = sync::CertificateCache::open(path, options);
    REQUIRE_MESSAGE(cache.hasValue(), (cache ? "" : cache.error().describe()));
    return std::move(*cache);
}

inline sync::ImportCounts importText(sync::CertificateCache& cache, const std::string& text,
                                     const std::string& name = "test.jsonl") {
    auto path = std::filesystem::temp_directory_path() / ("mengscan-import-" + name);
    writeFile(path, text);
    auto counts = cache.importFile(path.string());
    std::filesystem::remove(path);
    REQUIRE_MESSAGE(counts.hasValue(), (counts ? "" : counts.error().describe()));
    return *counts;
}

// The import error message, or "" when the import succeeded.
inline std::string importError(sync::CertificateCache& cache, const std::string& text,
                               const std::string& name = "bad.jsonl") {
    std::istringstream in(text);
    auto counts = cache.importStream(in, name);
    return counts ? std::string() : counts.error().code + ": " + counts.error().message;
}

}  // namespace mengscan::test
