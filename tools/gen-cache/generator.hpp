// The realistic test-data generator behind `mengscan-gen-cache` and `mengscan-bench-cache`:
// certification bodies with Ed25519 keys, certificates across products and statuses,
// issued item-code lists, flagged codes, and label payloads of every kind marked with the
// truth. Everything is derived from the seed: same options, byte-identical files.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "gen_support.hpp"

namespace mengscan::gencache {

struct Options {
    uint64_t seed = 1;
    int bodies = 0;  // 0: 7-10, chosen by the seed
    int certificates = 2000;
    int64_t itemCodes = 20000;         // issued codes, spread over the certificates with lists
    double itemListShare = 0.3;        // share of certificates that publish an item-code list
    int flags = 60;                    // flagged item codes
    int labels = 240;                  // label payloads (spread over every truth and kind)
    std::string today = "2026-06-01";  // the reference date statuses and expiry refer to
    int64_t version = 1;               // snapshot version in the header
    std::string traceHost = "trace.mzb.example";
    std::string linkHost = "id.mzb.example";
};

struct KeyInfo {
    std::string keyId;
    Ed25519Key key;
    std::string validFrom, validTo;
    bool inCache = true;  // false: a key the registry never published (unknown-key labels)
};

struct Body {
    std::string code, name;
    std::vector<KeyInfo> keys;  // keys[0] is the current signing key
};

struct StatusEvent {
    int64_t day = 0;
    std::string status, reason;
};

struct Cert {
    std::string certNo;
    int body = 0;
    std::string year;  // two digits
    std::string holder, product, category;
    std::vector<std::string> gtins;  // GTIN-14
    int64_t issuedDay = 0, expiresDay = 0;
    std::vector<StatusEvent> history;      // chronological; the last one is current
    int64_t listStart = 0, listCount = 0;  // item-code counters [start, start+count)
    bool hasList = false;
    const std::string& status() const { return history.back().status; }
};

struct Flag {
    int cert = 0;
    std::string code, reason;
    int64_t day = 0;
    bool listed = false;
};

struct Registry {
    Options options;
    int64_t todayDay = 0;
    std::vector<Body> bodies;
    std::vector<Cert> certs;
    std::vector<Flag> flags;
    uint64_t scrambleA = 1, scrambleB = 0;  // item-code counter -> 12 random-looking digits
    int64_t nextCounter = 0;                // first counter never issued
    // The 18-digit item code of `counter` with the body/year prefix of `bodyCode` / `year`.
    std::string itemCode(const std::string& bodyCode, const std::string& year,
                         int64_t counter) const;
};

Registry buildRegistry(const Options& options);

// cache.jsonl: one snapshot (docs/cache-format.md).
void writeCacheJsonl(const Registry& registry, std::ostream& out);
// keys.private.jsonl: every key's private seed (never in the cache file).
void writeKeysJsonl(const Registry& registry, std::ostream& out);
// labels.jsonl: label payloads with the truth and the verdict expected from them.
void writeLabelsJsonl(Registry& registry, std::ostream& out);

}  // namespace mengscan::gencache
