// CSV import: no header row; the first cell names the record type and the other cells are
// its fields in the fixed order of docs/cache-format.md. RFC 4180 quoting.
#include <sstream>

#include "import_readers.hpp"

namespace mengscan::sync::cache_import {
namespace {

Unexpected bad(const std::string& message) {
    return Unexpected(Error(ErrorCategory::Cache, "import_bad_record", message));
}

// Splits one record into cells. Returns false when a quoted cell is still open at the end
// (the record continues on the next line).
bool splitCells(const std::string& record, std::vector<std::string>& cells, std::string* error) {
    cells.assign(1, std::string());
    bool quoted = false;
    for (size_t i = 0; i < record.size(); ++i) {
        const char c = record[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < record.size() && record[i + 1] == '"') {
                    cells.back() += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cells.back() += c;
            }
        } else if (c == ',') {
            cells.emplace_back();
        } else if (c == '"' && cells.back().empty()) {
            quoted = true;
        } else if (c == '"') {
            *error = "a quote inside an unquoted cell";
            return true;
        } else {
            cells.back() += c;
        }
    }
    return !quoted;
}

std::vector<std::string> splitList(const std::string& cell) {
    std::vector<std::string> items;
    std::string item;
    std::istringstream in(cell);
    while (std::getline(in, item, ';')) {
        if (!item.empty()) items.push_back(item);
    }
    return items;
}

Status applyCells(std::vector<std::string>& c, Applier& applier) {
    const std::string type = c[0];
    static const std::pair<const char*, size_t> kSizes[] = {
        {"header", 6}, {"body", 3},      {"key", 6},  {"certificate", 12},
        {"status", 5}, {"item_code", 3}, {"flag", 4}, {"delete", 3}};
    size_t want = 0;
    for (const auto& [t, n] : kSizes) {
        if (type == t) want = n;
    }
    if (want == 0) return bad("unknown record type \"" + type + "\"");
    // Trailing optional cells may be left out.
    const size_t minimum = type == "certificate" ? 10
                           : type == "key"       ? 4
                           : type == "status"    ? 4
                           : type == "flag"      ? 3
                           : type == "header"    ? 3
                                                 : want;
    if (c.size() < minimum || c.size() > want) {
        return bad(type + " needs " + std::to_string(minimum - 1) + " to " +
                   std::to_string(want - 1) + " fields, got " + std::to_string(c.size() - 1));
    }
    c.resize(want);

    if (type == "header") {
        Header h;
        h.kind = c[1];
        try {
            if (!c[2].empty()) h.version = std::stoll(c[2]);
            if (!c[3].empty()) h.baseVersion = std::stoll(c[3]);
        } catch (const std::exception&) {
            return bad("header version and base_version must be integers");
        }
        h.created = c[4];
        h.source = c[5];
        return applier.header(h);
    }
    if (type == "body") return applier.body({c[1], c[2]});
    if (type == "key") return applier.key(c[1], c[2], c[3], c[4], c[5]);
    if (type == "certificate") {
        CertificateRecord r;
        Certificate& cert = r.cert;
        cert.certNo = c[1];
        cert.bodyCode = c[2];
        cert.holder = c[3];
        cert.product = c[4];
        cert.category = c[5];
        cert.gtins = splitList(c[6]);
        cert.issued = c[7];
        cert.expires = c[8];
        r.status = c[9];
        cert.statusAt = c[10];
        cert.statusReason = c[11];
        return applier.certificate(r);
    }
    if (type == "status") return applier.status(c[1], c[2], c[3], c[4]);
    if (type == "item_code") {
        auto id = applier.certificateId(c[1]);
        if (!id) return Unexpected(id.error());
        return applier.itemCode(*id, c[2]);
    }
    if (type == "flag") return applier.flag({c[1], c[2], c[3]});
    return applier.deleteRecord(c[1], c[2]);  // delete,TYPE,KEY
}

}  // namespace

Status readCsv(std::istream& in, const std::string& name, Applier& applier, int64_t& lines) {
    std::string line, record;
    std::vector<std::string> cells;
    int64_t recordLine = 0;
    while (std::getline(in, line)) {
        ++lines;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (record.empty()) {
            if (line.empty() || line[0] == '#') continue;
            recordLine = lines;
            record = line;
        } else {
            record += "\n" + line;  // a quoted cell spans lines
        }
        std::string error;
        if (!splitCells(record, cells, &error)) continue;
        if (!error.empty()) return atLine(bad(error).error, name, recordLine);
        record.clear();
        if (auto s = applyCells(cells, applier); !s) return atLine(s.error(), name, recordLine);
    }
    if (!record.empty()) return atLine(bad("unterminated quoted cell").error, name, recordLine);
    if (in.bad()) return atLine(bad("read error").error, name, lines);
    return {};
}

}  // namespace mengscan::sync::cache_import
