// Builds the in-memory registry (bodies, keys, certificates, item lists, flags) and writes
// the cache snapshot and the private-key file.
#include <algorithm>
#include <cstdio>

#include "generator.hpp"

namespace mengscan::gencache {
namespace {

struct Product {
    const char* key;
    const char* zh;
    const char* category;
};

const Product kProducts[] = {
    {"beef", "牛肉", "livestock"},
    {"mutton", "羊肉", "livestock"},
    {"goat meat", "山羊肉", "livestock"},
    {"fresh milk", "鲜牛奶", "dairy"},
    {"yogurt", "酸奶", "dairy"},
    {"cheese", "奶酪", "dairy"},
    {"millet", "小米", "grain"},
    {"oats", "燕麦", "grain"},
    {"mung beans", "绿豆", "grain"},
    {"buckwheat", "荞麦", "grain"},
    {"potatoes", "马铃薯", "vegetables"},
    {"sunflower seeds", "葵花籽", "oil crops"},
    {"sea-buckthorn juice", "沙棘汁", "forest products"},
    {"cashmere", "山羊绒", "textiles"},
    {"cistanche", "肉苁蓉", "herbal"},
    {"wolfberry", "枸杞", "forest products"},
    {"honey", "蜂蜜", "forest products"},
};

const char* const kPlaces[] = {"锡林郭勒", "呼伦贝尔", "鄂尔多斯", "巴彦淖尔", "赤峰",
                               "通辽",     "阿拉善",   "乌兰察布", "呼和浩特", "包头",
                               "兴安盟",   "乌海",     "河套",     "科尔沁",   "乌珠穆沁"};
const char* const kSuffixes[] = {"有限公司", "农牧业有限责任公司", "食品股份有限公司", "专业合作社",
                                 "生态科技有限公司"};

const char* const kBodyCodes[] = {"0011", "0021", "0034", "0045", "0052",
                                  "0063", "0078", "0089", "0093", "0105"};
const char* const kBodyNames[] = {"Inner Mongolia Quality Certification Centre",
                                  "Northern Grassland Certification Co.",
                                  "Hohhot Food Safety Certification Ltd.",
                                  "Mongolian Plateau Organic Certification",
                                  "China North Agri-Product Certification Centre",
                                  "Ordos Standards and Certification Co.",
                                  "Hulunbuir Green Food Certification",
                                  "Yellow River Basin Certification Ltd.",
                                  "Alxa Desert Products Certification",
                                  "Khingan Forest Products Certification"};

const char* const kSuspendReasons[] = {"failed surveillance audit", "sampling test failed",
                                       "label misuse under review", "production site moved"};
const char* const kRevokeReasons[] = {"fraudulent use of the mark", "repeated test failures",
                                      "refused surveillance audit"};
const char* const kWithdrawReasons[] = {"holder request", "not renewed", "product discontinued"};
const char* const kFlagReasons[] = {"reported clone", "recall", "counterfeit seized",
                                    "sighted in two cities"};

template <class T, size_t N>
const T& pick(Rng& rng, const T (&items)[N]) {
    return items[rng.below(N)];
}

void addKeys(Rng& rng, Body& body, const Registry& reg) {
    KeyInfo current{body.code + "-k1", makeKey(rng), "2020-01-01", "2030-12-31", true};
    body.keys.push_back(current);
    if (rng.chance(0.4)) {  // a retired key, still published for old labels
        body.keys.push_back({body.code + "-k0", makeKey(rng), "2019-06-01", "2023-12-31", true});
    }
    // Never published: labels signed with it have an unknown key.
    body.keys.push_back({body.code + "-k9", makeKey(rng), "", "", false});
    (void)reg;
}

void addHistory(Rng& rng, Cert& c, int64_t today, int statusRoll) {
    c.history.push_back({c.issuedDay, "valid", "issued"});
    const int64_t span = std::max<int64_t>(2, std::min(today, c.expiresDay) - c.issuedDay);
    auto dayIn = [&](int64_t from, int64_t to) {
        return from + static_cast<int64_t>(
                          rng.below(static_cast<uint64_t>(std::max<int64_t>(1, to - from))));
    };
    if (statusRoll < 78) {  // valid; some were suspended and restored on the way
        if (rng.chance(0.12) && span > 200) {
            const int64_t s = dayIn(c.issuedDay + 30, c.issuedDay + span - 120);
            c.history.push_back({s, "suspended", pick(rng, kSuspendReasons)});
            c.history.push_back(
                {s + rng.range(30, 100), "valid", "restored after corrective action"});
        }
    } else if (statusRoll < 84) {
        c.history.push_back({dayIn(std::max(c.issuedDay + 1, today - 90), today - 1), "suspended",
                             pick(rng, kSuspendReasons)});
    } else if (statusRoll < 89) {
        const int64_t r = dayIn(c.issuedDay + 1, today - 1);
        if (rng.chance(0.5) && r - c.issuedDay > 60) {
            c.history.push_back({r - rng.range(20, 50), "suspended", pick(rng, kSuspendReasons)});
        }
        c.history.push_back({r, "revoked", pick(rng, kRevokeReasons)});
    } else if (statusRoll < 94) {
        c.history.push_back(
            {dayIn(c.issuedDay + 1, today - 1), "withdrawn", pick(rng, kWithdrawReasons)});
    } else if (rng.chance(0.5)) {  // expired, and the registry says so
        c.history.push_back({c.expiresDay + 1, "expired", "validity ended"});
    }  // else expired by date only: the stored status stays valid
}

}  // namespace

std::string Registry::itemCode(const std::string& bodyCode, const std::string& year,
                               int64_t counter) const {
    constexpr unsigned __int128 kModulus = 1000000000000ULL;  // 12 digits
    const auto mixed = static_cast<uint64_t>(
        (static_cast<unsigned __int128>(scrambleA) * static_cast<uint64_t>(counter) + scrambleB) %
        kModulus);
    char tail[16];
    std::snprintf(tail, sizeof tail, "%012llu", static_cast<unsigned long long>(mixed));
    return bodyCode + year + tail;
}

Registry buildRegistry(const Options& options) {
    Registry reg;
    reg.options = options;
    reg.todayDay = daysFromDate(options.today);
    Rng rng(options.seed);
    // An affine map mod 10^12 is a bijection when A is coprime to 10: distinct counters give
    // distinct, random-looking codes.
    reg.scrambleA = rng.below(100000000000ULL) * 10 + (rng.chance(0.5) ? 1 : 3);
    reg.scrambleB = rng.below(1000000000000ULL);

    const int bodyCount = options.bodies > 0 ? std::min(options.bodies, 10) : rng.range(7, 10);
    for (int i = 0; i < bodyCount; ++i) {
        Body body{kBodyCodes[i], kBodyNames[i], {}};
        addKeys(rng, body, reg);
        reg.bodies.push_back(std::move(body));
    }

    const int64_t firstIssue = daysFromDate("2020-11-18");  // the first Meng-mark certificates
    std::vector<int> serials(static_cast<size_t>(bodyCount) * 100, 0);
    int64_t gtinItem = 0;
    for (int i = 0; i < options.certificates; ++i) {
        Cert c;
        c.body = static_cast<int>(rng.below(static_cast<uint64_t>(bodyCount)));
        const int statusRoll = static_cast<int>(rng.below(100));
        if (statusRoll >= 94) {  // expired some time ago
            c.expiresDay = reg.todayDay - rng.range(1, 600);
        } else {
            c.expiresDay = reg.todayDay + rng.range(60, 1100);
        }
        c.issuedDay = std::max(firstIssue, c.expiresDay - 3 * 365 + 1);
        if (c.issuedDay >= reg.todayDay) c.issuedDay = reg.todayDay - rng.range(5, 30);
        const std::string issued = dateFromDays(c.issuedDay);
        c.year = issued.substr(2, 2);
        int& serial = serials[static_cast<size_t>(c.body) * 100 + std::stoi(c.year)];
        serial += rng.range(1, 3);
        char no[32];
        std::snprintf(no, sizeof no, "%s-MZB-%s-%05d",
                      reg.bodies[static_cast<size_t>(c.body)].code.c_str(), c.year.c_str(), serial);
        c.certNo = no;
        const Product& product = pick(rng, kProducts);
        c.product = product.key;
        c.category = product.category;
        c.holder = std::string(pick(rng, kPlaces)) + product.zh + pick(rng, kSuffixes);
        const int gtinCount = rng.chance(0.7) ? rng.range(1, 3) : 0;
        for (int g = 0; g < gtinCount; ++g) {
            char base[16];
            std::snprintf(base, sizeof base, "69%05d%05d", static_cast<int>(rng.below(100000)),
                          static_cast<int>(++gtinItem % 100000));
            std::string gtin13 = std::string(base) + gs1CheckDigit(base);
            c.gtins.push_back("0" + gtin13);
        }
        addHistory(rng, c, reg.todayDay, statusRoll);
        c.hasList = rng.chance(options.itemListShare);
        reg.certs.push_back(std::move(c));
    }

    // Spread the issued codes over the certificates with lists (roughly even, seeded).
    std::vector<int> listed;
    for (int i = 0; i < static_cast<int>(reg.certs.size()); ++i) {
        if (reg.certs[static_cast<size_t>(i)].hasList) listed.push_back(i);
    }
    if (listed.empty() && !reg.certs.empty() && options.itemCodes > 0) {
        reg.certs[0].hasList = true;
        listed.push_back(0);
    }
    int64_t counter = 0;
    for (size_t k = 0; k < listed.size(); ++k) {
        const int64_t remaining = options.itemCodes - counter;
        const int64_t share = remaining / static_cast<int64_t>(listed.size() - k);
        const int64_t count =
            k + 1 == listed.size()
                ? remaining
                : std::max<int64_t>(1, share / 2 + static_cast<int64_t>(rng.below(
                                                       static_cast<uint64_t>(share + 1))));
        Cert& c = reg.certs[static_cast<size_t>(listed[k])];
        c.listStart = counter;
        c.listCount = std::max<int64_t>(0, std::min(count, remaining));
        counter += c.listCount;
        if (c.listCount == 0) c.hasList = false;  // a list needs at least one code
    }
    reg.nextCounter = counter;

    // Flagged codes: half listed codes, half codes of certificates without a list.
    for (int f = 0; f < options.flags && !reg.certs.empty(); ++f) {
        Flag flag;
        flag.cert = static_cast<int>(rng.below(reg.certs.size()));
        const Cert& c = reg.certs[static_cast<size_t>(flag.cert)];
        const std::string& body = reg.bodies[static_cast<size_t>(c.body)].code;
        if (c.hasList && c.listCount > 0) {
            flag.code = reg.itemCode(
                body, c.year,
                c.listStart + static_cast<int64_t>(rng.below(static_cast<uint64_t>(c.listCount))));
            flag.listed = true;
        } else {
            flag.code = reg.itemCode(body, c.year, reg.nextCounter++);
        }
        flag.reason = pick(rng, kFlagReasons);
        flag.day = reg.todayDay - rng.range(1, 200);
        reg.flags.push_back(flag);
    }
    return reg;
}

void writeCacheJsonl(const Registry& reg, std::ostream& out) {
    int64_t keys = 0, codes = 0;
    for (const auto& b : reg.bodies) {
        for (const auto& k : b.keys) keys += k.inCache ? 1 : 0;
    }
    for (const auto& c : reg.certs) codes += c.listCount;
    // Flags may repeat a code; the cache keeps one row per code.
    std::vector<std::string> flagCodes;
    for (const auto& f : reg.flags) flagCodes.push_back(f.code);
    std::sort(flagCodes.begin(), flagCodes.end());
    const auto distinctFlags = std::unique(flagCodes.begin(), flagCodes.end()) - flagCodes.begin();

    out << "{\"type\":\"header\",\"format\":\"mengscan-cache\",\"format_version\":1,"
           "\"kind\":\"snapshot\",\"version\":"
        << reg.options.version << ",\"created\":\"" << isoTime(reg.todayDay)
        << "\",\"source\":\"mengscan-gen-cache seed " << reg.options.seed << "\",\"counts\":{"
        << "\"bodies\":" << reg.bodies.size() << ",\"keys\":" << keys
        << ",\"certificates\":" << reg.certs.size() << ",\"item_codes\":" << codes
        << ",\"flags\":" << distinctFlags << "}}\n";
    for (const auto& b : reg.bodies) {
        out << "{\"type\":\"body\",\"code\":\"" << b.code << "\",\"name\":" << jsonString(b.name)
            << "}\n";
    }
    for (const auto& b : reg.bodies) {
        for (const auto& k : b.keys) {
            if (!k.inCache) continue;
            out << "{\"type\":\"key\",\"key_id\":\"" << k.keyId << "\",\"body\":\"" << b.code
                << "\",\"public_key\":\"" << base64Url(k.key.publicKey) << "\",\"valid_from\":\""
                << k.validFrom << "\",\"valid_to\":\"" << k.validTo << "\"}\n";
        }
    }
    for (const auto& c : reg.certs) {
        out << "{\"type\":\"certificate\",\"cert_no\":\"" << c.certNo << "\",\"body\":\""
            << reg.bodies[static_cast<size_t>(c.body)].code
            << "\",\"holder\":" << jsonString(c.holder) << ",\"product\":" << jsonString(c.product)
            << ",\"category\":" << jsonString(c.category) << ",\"gtins\":[";
        for (size_t g = 0; g < c.gtins.size(); ++g) out << (g ? ",\"" : "\"") << c.gtins[g] << "\"";
        const auto& first = c.history.front();
        out << "],\"issued\":\"" << dateFromDays(c.issuedDay) << "\",\"expires\":\""
            << dateFromDays(c.expiresDay) << "\",\"status\":\"" << first.status
            << "\",\"status_at\":\"" << isoTime(first.day)
            << "\",\"status_reason\":" << jsonString(first.reason)
            << (c.hasList ? ",\"item_list\":true" : "") << "}\n";
    }
    for (const auto& c : reg.certs) {
        for (size_t h = 1; h < c.history.size(); ++h) {
            const auto& e = c.history[h];
            out << "{\"type\":\"status\",\"cert_no\":\"" << c.certNo << "\",\"status\":\""
                << e.status << "\",\"at\":\"" << isoTime(e.day, 8 * 3600)
                << "\",\"reason\":" << jsonString(e.reason) << "}\n";
        }
    }
    constexpr int64_t kChunk = 1000;
    for (const auto& c : reg.certs) {
        const std::string& body = reg.bodies[static_cast<size_t>(c.body)].code;
        for (int64_t start = 0; start < c.listCount; start += kChunk) {
            out << "{\"type\":\"item_codes\",\"cert_no\":\"" << c.certNo << "\",\"codes\":[";
            const int64_t end = std::min(c.listCount, start + kChunk);
            for (int64_t i = start; i < end; ++i) {
                out << (i > start ? ",\"" : "\"") << reg.itemCode(body, c.year, c.listStart + i)
                    << "\"";
            }
            out << "]}\n";
        }
    }
    for (const auto& f : reg.flags) {
        out << "{\"type\":\"flag\",\"code\":\"" << f.code
            << "\",\"reason\":" << jsonString(f.reason) << ",\"at\":\"" << isoTime(f.day, 10 * 3600)
            << "\"}\n";
    }
}

void writeKeysJsonl(const Registry& reg, std::ostream& out) {
    for (const auto& b : reg.bodies) {
        for (const auto& k : b.keys) {
            out << "{\"key_id\":\"" << k.keyId << "\",\"body\":\"" << b.code
                << "\",\"private_key\":\"" << base64Url(k.key.privateSeed) << "\",\"public_key\":\""
                << base64Url(k.key.publicKey) << "\",\"valid_from\":\"" << k.validFrom
                << "\",\"valid_to\":\"" << k.validTo
                << "\",\"in_cache\":" << (k.inCache ? "true" : "false") << "}\n";
        }
    }
}

}  // namespace mengscan::gencache
