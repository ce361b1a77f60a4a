// mengscan-gen-cache: writes a realistic certificate-cache snapshot, the matching private
// keys and labelled label payloads into a folder, deterministically from a seed.
//   mengscan-gen-cache --out DIR [--seed N] [--certificates N] [--item-codes N] ...
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "generator.hpp"

int main(int argc, char** argv) {
    using namespace mengscan::gencache;
    Options options;
    std::string outDir;
    CLI::App app{"mengscan-gen-cache: deterministic test data for the certificate cache"};
    app.add_option("--out", outDir, "output folder (cache.jsonl, keys.private.jsonl, labels.jsonl)")
        ->required();
    app.add_option("--seed", options.seed, "random seed (same seed, same bytes)");
    app.add_option("--bodies", options.bodies, "certification bodies, 2-10 (default 7-10 by seed)")
        ->check(CLI::Range(0, 10));
    app.add_option("--certificates", options.certificates, "certificates")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--item-codes", options.itemCodes, "issued item codes in lists (total)")
        ->check(CLI::Range(int64_t{0}, int64_t{100000000}));
    app.add_option("--item-list-share", options.itemListShare,
                   "share of certificates publishing an item-code list")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--flags", options.flags, "flagged item codes")->check(CLI::Range(0, 1000000));
    app.add_option("--labels", options.labels, "label payloads")->check(CLI::Range(0, 1000000));
    app.add_option("--today", options.today, "reference date YYYY-MM-DD (statuses, expiry)");
    app.add_option("--version", options.version, "snapshot version in the header");
    CLI11_PARSE(app, argc, argv);
    if (daysFromDate(options.today) < 0) {
        std::cerr << "mengscan-gen-cache: --today must be YYYY-MM-DD\n";
        return 2;
    }
    if (options.bodies == 1) {
        std::cerr << "mengscan-gen-cache: --bodies must be at least 2 (body-mismatch labels)\n";
        return 2;
    }
    try {
        std::filesystem::create_directories(outDir);
        Registry registry = buildRegistry(options);
        const std::filesystem::path dir(outDir);
        std::ofstream cache(dir / "cache.jsonl", std::ios::binary);
        std::ofstream keys(dir / "keys.private.jsonl", std::ios::binary);
        std::ofstream labels(dir / "labels.jsonl", std::ios::binary);
        writeCacheJsonl(registry, cache);
        writeKeysJsonl(registry, keys);
        writeLabelsJsonl(registry, labels);
        cache.close();
        keys.close();
        labels.close();
        if (!cache || !keys || !labels) {
            std::cerr << "mengscan-gen-cache: cannot write into " << outDir << "\n";
            return 1;
        }
        std::filesystem::permissions(
            dir / "keys.private.jsonl",
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        std::cout << "wrote " << registry.bodies.size() << " bodies, " << registry.certs.size()
                  << " certificates, " << options.itemCodes << " item codes, "
                  << registry.flags.size() << " flags and " << options.labels << " labels to "
                  << outDir << "\n";
    } catch (const std::exception& e) {
        std::cerr << "mengscan-gen-cache: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
