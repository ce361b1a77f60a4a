// `mengscan cache import|stats|lookup`: fill the certificate cache from a file, show what it
// holds, and look up one label payload (parsed fields and the certificate found).
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "mengscan/sync/cache.hpp"
#include "mengscan/sync/payload.hpp"
#include "mengscan/platform/clock.hpp"
#include "mengscan/sync/verdict_engine.hpp"
#include "mengscan/sync/verdict_json.hpp"

namespace mengscan::firmware {
namespace {

using nlohmann::ordered_json;
using sync::CertificateCache;

struct CacheArgs {
    std::string cachePath;
    std::string file;
    std::string format = "auto";
    std::string payload;
    std::string printedText;  // lookup: the label's printed line, compared with the payload
    bool json = false;
};

std::string cachePathOf(const CacheArgs& args) {
    return args.cachePath.empty() ? sync::defaultCachePath() : args.cachePath;
}

Expected<std::unique_ptr<CertificateCache>> openCache(const CacheArgs& args, sync::OpenMode mode) {
    sync::OpenOptions options;
    options.mode = mode;
    options.createIfMissing = true;  // a cache path that does not exist is created empty
    return CertificateCache::open(cachePathOf(args), options);
}

int fail(const char* command, const Error& error) {
    std::cerr << "mengscan cache " << command << ": " << error.message << "\n";
    return kExitSomeFailed;
}

int runImport(const CacheArgs& args) {
    sync::ImportFormat format = sync::ImportFormat::Auto;
    if (args.format == "jsonl") format = sync::ImportFormat::JsonLines;
    if (args.format == "csv") format = sync::ImportFormat::Csv;
    auto cache = openCache(args, sync::OpenMode::ReadWrite);
    if (!cache) return fail("import", cache.error());
    auto counts = (*cache)->importFile(args.file, format);
    if (!counts) return fail("import", counts.error());
    const auto& c = *counts;
    if (args.json) {
        ordered_json out = {{"file", args.file},
                            {"cache", (*cache)->path()},
                            {"kind", c.kind},
                            {"version", c.version >= 0 ? ordered_json(c.version) : ordered_json()},
                            {"lines", c.lines},
                            {"bodies", c.bodies},
                            {"keys", c.keys},
                            {"certificates", c.certificates},
                            {"status_changes", c.statusChanges},
                            {"item_codes", c.itemCodes},
                            {"flags", c.flags},
                            {"deletes", c.deletes},
                            {"seconds", c.seconds}};
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "imported " << args.file << " into " << (*cache)->path() << ": " << c.kind;
        if (c.version >= 0) std::cout << " version " << c.version;
        std::cout << ", " << c.bodies << " bodies, " << c.keys << " keys, " << c.certificates
                  << " certificates, " << c.statusChanges << " status changes, " << c.itemCodes
                  << " item codes, " << c.flags << " flags, " << c.deletes << " deletes in "
                  << c.seconds << " s\n";
    }
    return kExitOk;
}

int runStats(const CacheArgs& args) {
    auto cache = openCache(args, sync::OpenMode::ReadOnly);
    if (!cache) return fail("stats", cache.error());
    auto stats = (*cache)->stats();
    if (!stats) return fail("stats", stats.error());
    const auto& s = *stats;
    ordered_json byStatus = ordered_json::object();
    for (int i = 0; i < 5; ++i) {
        byStatus[sync::toString(static_cast<sync::CertificateStatus>(i))] = s.byStatus[i];
    }
    if (args.json) {
        ordered_json out = {{"cache", (*cache)->path()},
                            {"schema_version", s.schemaVersion},
                            {"cache_version", s.cacheVersion},
                            {"last_import", s.lastImport},
                            {"last_sync", s.lastSync},
                            {"source", s.source},
                            {"bodies", s.bodies},
                            {"keys", s.keys},
                            {"certificates", s.certificates},
                            {"certificates_by_status", byStatus},
                            {"certificates_with_item_list", s.certificatesWithItemList},
                            {"status_changes", s.statusChanges},
                            {"item_codes", s.itemCodes},
                            {"flags", s.flags},
                            {"file_bytes", s.fileBytes}};
        std::cout << out.dump() << "\n";
        return kExitOk;
    }
    auto orNone = [](const std::string& v) { return v.empty() ? std::string("(none)") : v; };
    std::cout << "cache:          " << (*cache)->path() << " (schema " << s.schemaVersion << ", "
              << s.fileBytes << " bytes)\n"
              << "version:        " << orNone(s.cacheVersion) << "\n"
              << "source:         " << orNone(s.source) << "\n"
              << "last import:    " << orNone(s.lastImport) << "\n"
              << "last sync:      " << orNone(s.lastSync) << "\n"
              << "bodies:         " << s.bodies << " (" << s.keys << " keys)\n"
              << "certificates:   " << s.certificates;
    for (const auto& [status, n] : byStatus.items()) std::cout << ", " << status << " " << n;
    std::cout << "\n"
              << "  with item list: " << s.certificatesWithItemList << "\n"
              << "status changes: " << s.statusChanges << "\n"
              << "item codes:     " << s.itemCodes << "\n"
              << "flagged codes:  " << s.flags << "\n";
    return kExitOk;
}

ordered_json payloadJson(const sync::ParsedPayload& p) {
    ordered_json j = {{"kind", sync::toString(p.kind)}, {"raw", p.raw}};
    auto put = [&j](const char* key, const std::string& value) {
        if (!value.empty()) j[key] = value;
    };
    put("symbology", p.symbologyId);
    put("host", p.host);
    put("cert_no", p.certNumber);
    put("cert_body_code", p.certBodyCode);
    put("item_code", p.itemCode);
    put("item_body_code", p.itemBodyCode);
    put("gtin", p.gtin);
    put("serial", p.serial);
    put("batch", p.batch);
    put("key_id", p.keyId);
    j["signed"] = p.hasSignature();
    if (!p.attributes.empty()) j["attributes"] = p.attributes;
    return j;
}

ordered_json certificateJson(const sync::Certificate& c) {
    return {{"cert_no", c.certNo},
            {"body", c.bodyCode},
            {"holder", c.holder},
            {"product", c.product},
            {"category", c.category},
            {"gtins", c.gtins},
            {"issued", c.issued},
            {"expires", c.expires},
            {"status", sync::toString(c.status)},
            {"status_at", c.statusAt},
            {"status_reason", c.statusReason},
            {"item_list", c.hasItemList}};
}

// What the cache knows about a parsed payload. Cache read errors end the lookup.
Expected<ordered_json> lookupJson(CertificateCache& cache, const sync::ParsedPayload& p) {
    ordered_json out;
    std::optional<sync::Certificate> cert;
    std::string foundBy;
    auto byNumber = [&](const std::string& certNo, const char* how) -> Status {
        auto found = cache.findCertificate(certNo);
        if (!found) return Unexpected(found.error());
        if (*found) {
            cert = **found;
            foundBy = how;
        }
        return {};
    };
    if (!p.certNumber.empty()) {
        if (auto s = byNumber(p.certNumber, "cert_no"); !s) return Unexpected(s.error());
    }
    ordered_json item;
    if (!p.itemCode.empty()) {
        auto record = cache.findItemCode(p.itemCode);
        if (!record) return Unexpected(record.error());
        item = {{"code", p.itemCode}, {"listed", record->has_value()}};
        if (*record) {
            item["cert_no"] = (*record)->certNo;
            // Only a payload without a certificate number is resolved through its item code
            // (a label naming an unknown certificate must not borrow another one).
            if (p.certNumber.empty()) {
                if (auto s = byNumber((*record)->certNo, "item_code"); !s) {
                    return Unexpected(s.error());
                }
            }
        }
    }
    if (!cert && p.certNumber.empty() && p.itemCode.empty() && !p.gtin.empty()) {
        auto list = cache.certificatesForGtin(p.gtin);
        if (!list) return Unexpected(list.error());
        if (list->size() == 1) {
            cert = list->front();
            foundBy = "gtin";
        }
    }
    out["certificate"] = cert ? certificateJson(*cert) : ordered_json();
    if (cert) out["found_by"] = foundBy;
    out["item_code"] = item;
    const std::string flagCode = !p.itemCode.empty() ? p.itemCode : p.serial;
    ordered_json flag;
    if (!flagCode.empty()) {
        auto found = cache.findFlag(flagCode);
        if (!found) return Unexpected(found.error());
        if (*found)
            flag = {{"code", (*found)->code},
                    {"reason", (*found)->reason},
                    {"at", (*found)->flaggedAt}};
    }
    out["flag"] = flag;
    ordered_json key;
    if (!p.keyId.empty()) {
        auto found = cache.findKey(p.keyId);
        if (!found) return Unexpected(found.error());
        key = {{"key_id", p.keyId}, {"known", found->has_value()}};
        if (*found) {
            key["body"] = (*found)->bodyCode;
            key["valid_from"] = (*found)->validFrom;
            key["valid_to"] = (*found)->validTo;
        }
    }
    out["key"] = key;
    return out;
}

void printText(const ordered_json& out) {
    if (out.contains("payload") && !out["payload"].is_null()) {
        const auto& p = out["payload"];
        std::cout << "payload: " << p["kind"].get<std::string>() << "\n";
        for (const auto& [k, v] : p.items()) {
            if (k == "kind" || k == "raw") continue;
            std::cout << "  " << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump())
                      << "\n";
        }
    }
    if (out.contains("error")) {
        std::cout << "payload: unrecognised: " << out["error"]["message"].get<std::string>()
                  << "\n";
        return;
    }
    const auto& c = out["certificate"];
    if (c.is_null()) {
        std::cout << "certificate: not in the cache\n";
    } else {
        std::cout << "certificate " << c["cert_no"].get<std::string>() << " (found by "
                  << out["found_by"].get<std::string>() << "): " << c["status"].get<std::string>()
                  << "\n  holder: " << c["holder"].get<std::string>()
                  << "\n  product: " << c["product"].get<std::string>()
                  << "\n  body: " << c["body"].get<std::string>()
                  << "\n  valid: " << c["issued"].get<std::string>() << " .. "
                  << c["expires"].get<std::string>() << "\n  GTINs: " << c["gtins"].dump()
                  << "\n  item list: " << (c["item_list"].get<bool>() ? "yes" : "no") << "\n";
    }
    const auto& item = out["item_code"];
    if (!item.is_null()) {
        std::cout << "item code " << item["code"].get<std::string>() << ": "
                  << (item["listed"].get<bool>() ? "listed" : "not listed") << "\n";
    }
    if (!out["flag"].is_null()) {
        std::cout << "flagged: " << out["flag"]["reason"].get<std::string>() << "\n";
    }
    if (!out["key"].is_null()) {
        std::cout << "key " << out["key"]["key_id"].get<std::string>() << ": "
                  << (out["key"]["known"].get<bool>() ? "known" : "unknown") << "\n";
    }
}

int runLookup(const CacheArgs& args) {
    std::string raw = args.payload;
    if (raw == "-") {
        // stdin exactly, minus one trailing line break (echo adds one; payloads never end so)
        raw.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
        if (!raw.empty() && raw.back() == '\n') raw.pop_back();
        if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    }
    auto cache = openCache(args, sync::OpenMode::ReadOnly);
    if (!cache) return fail("lookup", cache.error());
    const sync::PayloadRules rules;
    auto parsed = sync::parsePayload(raw, rules);
    ordered_json out;
    int exitCode = kExitOk;
    if (!parsed) {
        out["payload"] = nullptr;
        out["error"] = {{"code", parsed.error().code}, {"message", parsed.error().message}};
        exitCode = kExitSomeFailed;
    } else {
        out["payload"] = payloadJson(*parsed);
        auto found = lookupJson(**cache, *parsed);
        if (!found) return fail("lookup", found.error());
        out.update(*found);
    }
    // The verdict with reasons for the same payload (docs/verdicts.md).
    const auto clock = platform::makeSystemClock();
    const sync::Verifier verifier(cache->get(), nullptr, rules, *clock);
    sync::LabelContext context;
    context.printedText = args.printedText;
    const sync::Verdict verdict = verifier.verifyText(raw, context);
    out["verdict"] = sync::toJson(verdict);
    if (args.json) {
        std::cout << out.dump(-1, ' ', false, ordered_json::error_handler_t::replace) << "\n";
    } else {
        printText(out);
        std::cout << sync::toText(verdict);
    }
    return exitCode;
}

}  // namespace

void registerCacheCommand(CLI::App& app, CommandResult& result) {
    auto args = std::make_shared<CacheArgs>();
    CLI::App* cache = app.add_subcommand("cache", "Certificate cache: import, stats, lookup");
    cache->require_subcommand(1);
    const std::string pathHelp =
        "cache file (default: <data dir>/cache.sqlite; created if missing)";

    CLI::App* import = cache->add_subcommand(
        "import",
        "Apply a JSON Lines or CSV file (snapshot, delta or merge; docs/cache-format.md)");
    import->add_option("file", args->file, "import file")->required();
    import->add_option("--cache", args->cachePath, pathHelp);
    import->add_option("--format", args->format, "auto, jsonl or csv")
        ->check(CLI::IsMember({"auto", "jsonl", "csv"}));
    import->add_flag("--json", args->json, "print the counts as JSON");
    import->callback([args, &result]() { result.exitCode = runImport(*args);
});

CLI::App* stats = cache->add_subcommand("stats", "Show what the cache holds");
stats->add_option("--cache", args->cachePath, pathHelp);
stats->add_flag("--json", args->json, "one JSON object");
stats->callback([args, &result]() { result.exitCode = runStats(*args); });

CLI::App* lookup = cache->add_subcommand(
    "lookup", "Parse one label payload and show what the cache knows about it");
lookup
    ->add_option("payload", args->payload,
                 "the payload exactly as decoded (one argument; '-' reads stdin)")
    ->required();
lookup->add_option("--cache", args->cachePath, pathHelp);
lookup->add_flag("--json", args->json, "one JSON object");
lookup->add_option("--printed-text", args->printedText,
                   "the printed line of the label (printed_text_mismatch when it differs)");
lookup->callback([args, &result]() { result.exitCode = runLookup(*args); });
}  // namespace mengscan::firmware

}  // namespace mengscan::firmware
