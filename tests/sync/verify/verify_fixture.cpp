#include "verify_fixture.hpp"

#include <openssl/evp.h>

#include <ctime>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "mengscan/sync/signature.hpp"

namespace mengscan::test {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

PkeyPtr privateKeyOf(const std::vector<uint8_t>& raw) {
    PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
    if (!key) throw std::runtime_error("EVP_PKEY_new_raw_private_key failed");
    return key;
}

}  // namespace

TestKey::TestKey(uint8_t seed) : privateKey_(32) {
    for (std::size_t i = 0; i < privateKey_.size(); ++i) {
        privateKey_[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
    }
    auto key = privateKeyOf(privateKey_);
    std::size_t length = 32;
    publicKey_.resize(length);
    if (EVP_PKEY_get_raw_public_key(key.get(), publicKey_.data(), &length) != 1) {
        throw std::runtime_error("EVP_PKEY_get_raw_public_key failed");
    }
}

std::string TestKey::publicKeyBase64Url() const {
    return sync::encodeBase64Url(publicKey_);
}

std::vector<uint8_t> TestKey::sign(std::string_view message) const {
    auto key = privateKeyOf(privateKey_);
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::vector<uint8_t> signature(64);
    std::size_t length = signature.size();
    if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), signature.data(), &length,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
        throw std::runtime_error("Ed25519 signing failed");
    }
    return signature;
}

std::string TestKey::signText(std::string_view message) const {
    return sync::encodeBase64Url(sign(message));
}

int64_t unixTime(const std::string& iso) {
    std::tm tm{};
    std::istringstream in(iso);
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
    if (in.fail()) throw std::runtime_error("bad time " + iso);
    return static_cast<int64_t>(timegm(&tm));
}

std::string isoTime(int64_t unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::string fixtureJsonl(const TestKey& key0021, const TestKey& keyOld, const TestKey& keyNext,
                         const TestKey& key0150) {
    std::ostringstream out;
    out << R"({"type":"body","code":"0021","name":"Inner Mongolia Certification Centre"})"
           "\n"
        << R"({"type":"body","code":"0150","name":"Hohhot Quality Certification"})"
           "\n"
        << R"({"type":"key","key_id":"0021-k1","body":"0021","public_key":")"
        << key0021.publicKeyBase64Url() << R"(","valid_from":"2024-01-01","valid_to":"2027-12-31"})"
        << "\n"
        << R"({"type":"key","key_id":"0021-old","body":"0021","public_key":")"
        << keyOld.publicKeyBase64Url() << R"(","valid_from":"2020-01-01","valid_to":"2023-12-31"})"
        << "\n"
        << R"({"type":"key","key_id":"0021-next","body":"0021","public_key":")"
        << keyNext.publicKeyBase64Url() << R"(","valid_from":"2030-01-01"})"
        << "\n"
        << R"({"type":"key","key_id":"0150-k1","body":"0150","public_key":")"
        << key0150.publicKeyBase64Url() << R"("})"
        << "\n"
        << R"({"type":"certificate","cert_no":"0021-MZB-24-00057","body":"0021","holder":"Xilingol Grassland Beef Co.","product":"beef","category":"livestock","gtins":["06901234567892"],"issued":"2024-03-01","expires":"2027-02-28","status":"valid"})"
           "\n"
        << R"({"type":"certificate","cert_no":"0021-MZB-24-00058","body":"0021","holder":"Ordos Cashmere Ltd.","product":"cashmere","issued":"2024-03-01","expires":"2027-02-28","status":"suspended","status_at":"2026-01-10T00:00:00Z","status_reason":"failed surveillance audit"})"
           "\n"
        << R"({"type":"certificate","cert_no":"0021-MZB-24-00059","body":"0021","holder":"Hulunbuir Dairy","product":"fresh milk","issued":"2024-03-01","expires":"2027-02-28","status":"revoked"})"
           "\n"
        << R"({"type":"certificate","cert_no":"0021-MZB-24-00060","body":"0021","holder":"Chifeng Millet","product":"millet","issued":"2024-03-01","expires":"2027-02-28","status":"withdrawn"})"
           "\n"
        << R"({"type":"certificate","cert_no":"0021-MZB-22-00001","body":"0021","holder":"Bayannur Sunflower","product":"oats","issued":"2022-02-01","expires":"2025-01-31","status":"valid"})"
           "\n"
        << R"({"type":"certificate","cert_no":"0021-MZB-24-00061","body":"0021","holder":"Alxa Cistanche","product":"cistanche","issued":"2024-03-01","expires":"2027-02-28","status":"expired"})"
           "\n"
        << R"({"type":"certificate","cert_no":"0150-MZB-24-00002","body":"0150","holder":"Tongliao Beef","product":"beef","issued":"2024-05-01","expires":"2027-04-30","status":"valid"})"
           "\n"
        << R"({"type":"item_codes","cert_no":"0021-MZB-24-00057","codes":["002124583920175534","002124583920175535","02124583920175536"]})"
           "\n"
        << R"({"type":"flag","code":"002124583920175535","reason":"reported clone","at":"2026-02-01T08:00:00Z"})"
           "\n";
    return out.str();
}

VerifyFixture::VerifyFixture(const std::string& jsonl) {
    cachePath = (dir / "cache.sqlite").string();
    {
        sync::OpenOptions rw;
        rw.mode = sync::OpenMode::ReadWrite;
        auto writer = sync::CertificateCache::open(cachePath, rw);
        if (!writer) throw std::runtime_error(writer.error().describe());
        std::istringstream in(jsonl.empty() ? fixtureJsonl(key0021, keyOld, keyNext, key0150)
                                            : jsonl);
        auto counts = (*writer)->importStream(in, "fixture.jsonl");
        if (!counts) throw std::runtime_error(counts.error().describe());
    }
    setUpdatedAt(kFixtureNow - 3600);
    auto reader = sync::CertificateCache::open(cachePath);
    if (!reader) throw std::runtime_error(reader.error().describe());
    cache = std::move(*reader);
    auto log = sync::ScanLog::open(sync::scanLogPathFor(cachePath));
    if (!log) throw std::runtime_error(log.error().describe());
    scanLog = std::move(*log);
}

void VerifyFixture::setUpdatedAt(int64_t unixSeconds) {
    sync::OpenOptions rw;
    rw.mode = sync::OpenMode::ReadWrite;
    auto writer = sync::CertificateCache::open(cachePath, rw);
    if (!writer) throw std::runtime_error(writer.error().describe());
    for (const char* key : {sync::kMetaLastSync, sync::kMetaLastImport}) {
        auto st = (*writer)->setMeta(key, isoTime(unixSeconds));
        if (!st) throw std::runtime_error(st.error().describe());
    }
}

void VerifyFixture::addScan(const std::string& code, int64_t unixSeconds,
                            const std::string& session) {
    sync::ScanRecord record;
    record.itemCode = code;
    record.scannedAtMs = unixSeconds * 1000;
    record.session = session;
    record.verdict = "genuine";
    auto st = scanLog->record(record);
    if (!st) throw std::runtime_error(st.error().describe());
}

std::unique_ptr<sync::Verifier> VerifyFixture::verifier(sync::VerifyOptions options) {
    return std::make_unique<sync::Verifier>(cache.get(), scanLog.get(), rules, clock, options);
}

sync::Verdict VerifyFixture::verifyText(const std::string& payload, const sync::LabelContext& ctx,
                                        sync::VerifyOptions options) {
    return verifier(options)->verifyText(payload, ctx);
}

std::vector<std::string> reasonNames(const sync::Verdict& verdict) {
    std::vector<std::string> names;
    for (const auto& reason : verdict.reasons) names.emplace_back(reason.name());
    return names;
}

std::string traceUrl(const std::string& cert, const std::string& code) {
    return "https://trace.mzb.example/t/" + cert + "/" + code;
}

std::string signedTraceUrl(const std::string& cert, const std::string& code,
                           const std::string& keyId, const TestKey& key) {
    return traceUrl(cert, code) + "?k=" + keyId + "&s=" + key.signText(cert + "|" + code);
}

}  // namespace mengscan::test
