// The signed manifest of one registry version (docs/protocol.md). The registry builds and
// signs it; the sync client verifies the signature against its trust anchor BEFORE it
// parses a single field, then trusts only what the manifest says about each file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mengscan/expected.hpp"
#include "mengscan/sync/client/crypto.hpp"

namespace mengscan::sync::client {

inline constexpr const char* kManifestFormat = "mengscan-manifest/1";

// One downloadable file: a full snapshot or a delta between two versions.
struct FileEntry {
    std::string name;      // path segment under /v1/files/
    std::string sha256;    // lower-case hex of the file bytes as served (gzip)
    uint64_t size = 0;     // bytes of the file as served
    uint64_t records = 0;  // JSON lines in the uncompressed file
};

struct DeltaEntry {
    int64_t fromVersion = 0;
    int64_t toVersion = 0;
    FileEntry file;
};

struct Manifest {
    int64_t version = 0;
    int64_t createdAt = 0;  // Unix seconds
    std::string keyId;
    // Rows per table after this version (certificates, item_codes, ...): the count check.
    std::map<std::string, int64_t> counts;
    FileEntry snapshot;
    std::vector<DeltaEntry> deltas;  // each from -> to with to = from + 1

    // The deltas that lead from `held` to `version`, in order, or nullopt when the chain
    // is broken (a step is missing) and a snapshot is needed.
    std::optional<std::vector<DeltaEntry>> chainFrom(int64_t held) const;
};

// Canonical manifest bytes (compact JSON, sorted keys): what the signature covers.
std::string serializeManifest(const Manifest& manifest);
Expected<Manifest> parseManifest(const std::string& bytes);

// The envelope served at GET /v1/manifest:
// {"alg":"Ed25519","key_id":..,"manifest":base64url(bytes),"signature":base64url(sig)}
Expected<std::string> signManifestEnvelope(const Manifest& manifest, const Ed25519Signer& signer);
// Verifies the envelope against the trust anchor and returns the manifest. Nothing in
// the manifest is read before the signature over its exact bytes has checked out.
Expected<Manifest> openManifestEnvelope(const std::string& envelope,
                                        const Ed25519PublicKey& trustAnchor);

}  // namespace mengscan::sync::client
