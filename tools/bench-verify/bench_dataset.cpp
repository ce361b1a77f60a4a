#include "bench_dataset.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <stdexcept>
#include <streambuf>

#include "mengscan/sync/payload.hpp"
#include "mengscan/sync/signature.hpp"

namespace mengscan::bench {
namespace {

constexpr int64_t kTwelveDigits = 1000000000000LL;
// Odd and not a multiple of 5: multiplying by it permutes 0..10^12-1, so codes look random
// but never collide.
constexpr int64_t kScramble = 982451653LL;

std::string pad(int64_t value, int width) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%0*lld", width, static_cast<long long>(value));
    return buffer;
}

struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

PkeyPtr loadPrivate(const std::vector<uint8_t>& raw) {
    PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
    if (!key) throw std::runtime_error("bad Ed25519 private key");
    return key;
}

const char* statusOf(int cert) {
    switch (cert % 50) {
        case 7:
            return "suspended";
        case 17:
            return "revoked";
        case 27:
            return "withdrawn";
        default:
            return "valid";
    }
}

std::string gtinOf(int cert) {
    const std::string body = "069" + pad(cert, 10);
    return body + std::to_string(sync::gs1CheckDigit(body));
}

// Produces the JSON Lines import one line at a time.
class DatasetBuf : public std::streambuf {
public:
    explicit DatasetBuf(DatasetSpec spec) : spec_(spec) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        line_.clear();
        while (line_.empty() && next()) {
        }
        if (line_.empty()) return traits_type::eof();
        setg(line_.data(), line_.data(), line_.data() + line_.size());
        return traits_type::to_int_type(*gptr());
    }

private:
    // Appends the next record(s) to line_; false when the data set is complete.
    bool next() {
        switch (stage_) {
            case 0:
                if (index_ < spec_.bodies) {
                    line_ = R"({"type":"body","code":")" + bodyCode(index_) +
                            R"(","name":"Bench certification body )" + std::to_string(index_) +
                            "\"}\n";
                    line_ += R"({"type":"key","key_id":")" + keyId(index_) + R"(","body":")" +
                             bodyCode(index_) + R"(","public_key":")" +
                             sync::encodeBase64Url(publicKey(privateKey(spec_, index_))) +
                             R"(","valid_from":"2020-01-01","valid_to":"2030-12-31"})"
                             "\n";
                    ++index_;
                    return true;
                }
                stage_ = 1, index_ = 0;
                return true;
            case 1:
                if (index_ < spec_.certificates) {
                    const int c = index_++;
                    line_ = R"({"type":"certificate","cert_no":")" + certNumber(spec_, c) +
                            R"(","body":")" + bodyCode(c % spec_.bodies) +
                            R"(","holder":"Bench holder )" + std::to_string(c) +
                            R"(","product":"beef","category":"livestock","gtins":[")" + gtinOf(c) +
                            R"("],"issued":"2020-01-01","expires":"2030-12-31",)" +
                            R"("status":")" + statusOf(c) + "\"}\n";
                    return true;
                }
                stage_ = 2, index_ = 0, chunk_ = 0;
                return true;
            case 2: {
                if (index_ >= spec_.listedCertificates()) {
                    stage_ = 3;
                    return false;
                }
                constexpr int kPerLine = 1000;
                const int from = chunk_ * kPerLine;
                const int to = std::min(from + kPerLine, spec_.codesPerListedCertificate);
                line_ = R"({"type":"item_codes","cert_no":")" + certNumber(spec_, index_) +
                        R"(","codes":[)";
                for (int k = from; k < to; ++k) {
                    if (k > from) line_ += ',';
                    line_ += '"';
                    line_ += itemCode(spec_, index_, k);
                    line_ += '"';
                }
                line_ += "]}\n";
                if (to >= spec_.codesPerListedCertificate) {
                    ++index_, chunk_ = 0;
                } else {
                    ++chunk_;
                }
                return true;
            }
            default:
                return false;
        }
    }

    DatasetSpec spec_;
    int stage_ = 0;
    int index_ = 0;
    int chunk_ = 0;
    std::string line_;
};

class DatasetStream : public std::istream {
public:
    explicit DatasetStream(const DatasetSpec& spec) : std::istream(nullptr), buf_(spec) {
        rdbuf(&buf_);
    }

private:
    DatasetBuf buf_;
};

}  // namespace

int DatasetSpec::listedCertificates() const {
    const int64_t listed = itemCodes / codesPerListedCertificate;
    return static_cast<int>(std::min<int64_t>(listed, certificates));
}

std::string DatasetSpec::fingerprint() const {
    return "certs=" + std::to_string(certificates) + ";codes=" + std::to_string(itemCodes) +
           ";per=" + std::to_string(codesPerListedCertificate) +
           ";bodies=" + std::to_string(bodies) + ";seed=" + std::to_string(seed) + ";v=1";
}

std::string bodyCode(int body) {
    return pad(11 + body * 10, 4);
}

std::string certNumber(const DatasetSpec& spec, int cert) {
    return bodyCode(cert % spec.bodies) + "-MZB-" + pad(20 + cert % 6, 2) + "-" + pad(cert, 5);
}

std::string keyId(int body) {
    return bodyCode(body) + "-k1";
}

std::string itemCode(const DatasetSpec& spec, int cert, int k) {
    const int64_t x = static_cast<int64_t>(cert) * spec.codesPerListedCertificate + k;
    const auto mixed = static_cast<int64_t>(
        (static_cast<unsigned __int128>(x) * kScramble + spec.seed * 7777) % kTwelveDigits);
    return bodyCode(cert % spec.bodies) + pad(20 + cert % 6, 2) + pad(mixed, 12);
}

std::vector<uint8_t> privateKey(const DatasetSpec& spec, int body) {
    std::vector<uint8_t> raw(32);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        raw[i] = static_cast<uint8_t>(
            (spec.seed * 131 + static_cast<uint64_t>(body) * 17 + i * 29 + 3) & 0xff);
    }
    return raw;
}

std::vector<uint8_t> publicKey(const std::vector<uint8_t>& privateKeyRaw) {
    auto key = loadPrivate(privateKeyRaw);
    std::vector<uint8_t> out(32);
    std::size_t length = out.size();
    if (EVP_PKEY_get_raw_public_key(key.get(), out.data(), &length) != 1) {
        throw std::runtime_error("EVP_PKEY_get_raw_public_key failed");
    }
    return out;
}

std::vector<uint8_t> sign(const std::vector<uint8_t>& privateKeyRaw, const std::string& message) {
    auto key = loadPrivate(privateKeyRaw);
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

std::unique_ptr<std::istream> openDatasetStream(const DatasetSpec& spec) {
    return std::make_unique<DatasetStream>(spec);
}

}  // namespace mengscan::bench
