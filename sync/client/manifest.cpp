#include "mengscan/sync/client/manifest.hpp"

#include <nlohmann/json.hpp>
#include <regex>

namespace mengscan::sync::client {
namespace {

using json = nlohmann::json;

Unexpected manifestError(const std::string& code, const std::string& message) {
    return makeUnexpected(ErrorCategory::Crypto, code, message);
}

json fileToJson(const FileEntry& f) {
    return json{{"name", f.name}, {"sha256", f.sha256}, {"size", f.size}, {"records", f.records}};
}

bool safeFileName(const std::string& name) {
    static const std::regex pattern("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    return std::regex_match(name, pattern) && name.find("..") == std::string::npos;
}

FileEntry fileFromJson(const json& j) {
    FileEntry f;
    f.name = j.at("name").get<std::string>();
    f.sha256 = j.at("sha256").get<std::string>();
    f.size = j.at("size").get<uint64_t>();
    f.records = j.at("records").get<uint64_t>();
    if (!safeFileName(f.name)) throw std::invalid_argument("bad file name '" + f.name + "'");
    static const std::regex hex("[0-9a-f]{64}");
    if (!std::regex_match(f.sha256, hex)) throw std::invalid_argument("bad sha256 for " + f.name);
    return f;
}

}  // namespace

std::optional<std::vector<DeltaEntry>> Manifest::chainFrom(int64_t held) const {
    std::map<int64_t, DeltaEntry> byFrom;
    for (const auto& d : deltas) {
        if (d.toVersion == d.fromVersion + 1) byFrom[d.fromVersion] = d;
    }
    std::vector<DeltaEntry> chain;
    for (int64_t v = held; v < version; ++v) {
        auto it = byFrom.find(v);
        if (it == byFrom.end()) return std::nullopt;
        chain.push_back(it->second);
    }
    return chain;
}

std::string serializeManifest(const Manifest& m) {
    json deltas = json::array();
    for (const auto& d : m.deltas) {
        deltas.push_back(
            json{{"from", d.fromVersion}, {"to", d.toVersion}, {"file", fileToJson(d.file)}});
    }
    json j{{"format", kManifestFormat}, {"version", m.version},
           {"created_at", m.createdAt}, {"key_id", m.keyId},
           {"counts", m.counts},        {"snapshot", fileToJson(m.snapshot)},
           {"deltas", deltas}};
    return j.dump();  // nlohmann::json objects keep keys sorted: canonical bytes
}

Expected<Manifest> parseManifest(const std::string& bytes) {
    try {
        const json j = json::parse(bytes);
        if (j.at("format").get<std::string>() != kManifestFormat) {
            return manifestError("manifest_format", "unsupported manifest format '" +
                                                        j.at("format").get<std::string>() + "'");
        }
        Manifest m;
        m.version = j.at("version").get<int64_t>();
        m.createdAt = j.at("created_at").get<int64_t>();
        m.keyId = j.at("key_id").get<std::string>();
        m.counts = j.at("counts").get<std::map<std::string, int64_t>>();
        m.snapshot = fileFromJson(j.at("snapshot"));
        for (const auto& d : j.at("deltas")) {
            DeltaEntry e;
            e.fromVersion = d.at("from").get<int64_t>();
            e.toVersion = d.at("to").get<int64_t>();
            e.file = fileFromJson(d.at("file"));
            m.deltas.push_back(std::move(e));
        }
        if (m.version < 1) return manifestError("manifest_invalid", "manifest version < 1");
        return m;
    } catch (const std::exception& e) {
        return manifestError("manifest_invalid", std::string("manifest is malformed: ") + e.what());
    }
}

Expected<std::string> signManifestEnvelope(const Manifest& manifest, const Ed25519Signer& signer) {
    const std::string bytes = serializeManifest(manifest);
    auto signature = signer.sign(bytes);
    if (!signature) return Unexpected(signature.error());
    json envelope{{"alg", "Ed25519"},
                  {"key_id", signer.publicKey().keyId()},
                  {"manifest", base64UrlEncode(bytes)},
                  {"signature", base64UrlEncode(*signature)}};
    return envelope.dump();
}

Expected<Manifest> openManifestEnvelope(const std::string& envelope,
                                        const Ed25519PublicKey& trustAnchor) {
    std::string bytes, signature, keyId;
    try {
        const json j = json::parse(envelope);
        if (j.at("alg").get<std::string>() != "Ed25519") {
            return manifestError("manifest_alg", "manifest signature algorithm is not Ed25519");
        }
        keyId = j.at("key_id").get<std::string>();
        auto decodedBytes = base64UrlDecode(j.at("manifest").get<std::string>());
        auto decodedSig = base64UrlDecode(j.at("signature").get<std::string>());
        if (!decodedBytes || !decodedSig) {
            return manifestError("manifest_invalid", "manifest envelope is not base64url");
        }
        bytes = std::move(*decodedBytes);
        signature = std::move(*decodedSig);
    } catch (const std::exception& e) {
        return manifestError("manifest_invalid",
                             std::string("manifest envelope is malformed: ") + e.what());
    }
    if (keyId != trustAnchor.keyId()) {
        return manifestError("signature_key_unknown",
                             "manifest signed by key " + keyId.substr(0, 16) +
                                 ", trust anchor is " + trustAnchor.keyId());
    }
    if (!ed25519Verify(trustAnchor, bytes, signature)) {
        return manifestError("signature_invalid",
                             "manifest signature does not verify against the trust anchor");
    }
    auto manifest = parseManifest(bytes);
    if (!manifest) return manifest;
    if (manifest->keyId != keyId) {
        return manifestError("manifest_invalid", "manifest key id differs from its envelope");
    }
    return manifest;
}

}  // namespace mengscan::sync::client
