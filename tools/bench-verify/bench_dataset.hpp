// A deterministic benchmark data set: certification bodies with Ed25519 keys, N
// certificates, and M issued item codes spread over the first certificates, generated as
// a JSON Lines import stream (never materialised: 10 million codes would be ~250 MB).
// Label payloads for any certificate/code can be recomputed without reading the cache.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace mengscan::bench {

struct DatasetSpec {
    int certificates = 10000;
    int64_t itemCodes = 10000000;
    int codesPerListedCertificate = 10000;  // itemCodes / this = certificates with a list
    int bodies = 7;
    uint64_t seed = 1;

    int listedCertificates() const;
    std::string fingerprint() const;  // stored in the cache's metadata to allow reuse
};

std::string bodyCode(int body);  // "0011", "0021", ...
std::string certNumber(const DatasetSpec& spec, int cert);
std::string keyId(int body);  // "0021-k1"
// The k-th issued code of a listed certificate (18 digits, body + year + 12 digits).
std::string itemCode(const DatasetSpec& spec, int cert, int k);
// An Ed25519 private key (32 raw bytes) per body, derived from the seed.
std::vector<uint8_t> privateKey(const DatasetSpec& spec, int body);
std::vector<uint8_t> publicKey(const std::vector<uint8_t>& privateKey);
std::vector<uint8_t> sign(const std::vector<uint8_t>& privateKey, const std::string& message);

// The import stream (JSON Lines, no header: a merge into an empty cache).
std::unique_ptr<std::istream> openDatasetStream(const DatasetSpec& spec);

}  // namespace mengscan::bench
