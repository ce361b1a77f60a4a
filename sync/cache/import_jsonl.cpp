// JSON Lines import: one object per line, "type" names the record, "op" upsert/delete.
#include <nlohmann/json.hpp>

#include "import_readers.hpp"

namespace mengscan::sync::cache_import {
namespace {

using nlohmann::json;

Unexpected bad(const std::string& message) {
    return Unexpected(Error(ErrorCategory::Cache, "import_bad_record", message));
}

// Reads an optional string field; codes given as JSON numbers are refused, never converted.
Status text(const json& obj, const char* field, std::string& out, bool required) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) {
        if (required) return bad(std::string("missing field \"") + field + "\"");
        out.clear();
        return {};
    }
    if (!it->is_string()) {
        return bad(std::string("field \"") + field + "\" must be a string (codes are text)");
    }
    out = it->get_ref<const std::string&>();
    return {};
}

Status stringArray(const json& obj, const char* field, std::vector<std::string>& out) {
    out.clear();
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return {};
    if (!it->is_array()) return bad(std::string("field \"") + field + "\" must be an array");
    for (const auto& v : *it) {
        if (!v.is_string()) {
            return bad(std::string("field \"") + field + "\" must hold strings (codes are text)");
        }
        out.push_back(v.get_ref<const std::string&>());
    }
    return {};
}

Status optionalInt(const json& obj, const char* field, std::optional<int64_t>& out) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return {};
    if (!it->is_number_integer())
        return bad(std::string("field \"") + field + "\" must be an integer");
    out = it->get<int64_t>();
    return {};
}

#define MZ_TRY(expr)                          \
    do {                                      \
        if (auto s_ = (expr); !s_) return s_; \
    } while (0)

Status applyHeader(const json& obj, Applier& applier) {
    Header h;
    MZ_TRY(text(obj, "kind", h.kind, true));
    MZ_TRY(optionalInt(obj, "version", h.version));
    MZ_TRY(optionalInt(obj, "base_version", h.baseVersion));
    MZ_TRY(text(obj, "created", h.created, false));
    MZ_TRY(text(obj, "source", h.source, false));
    std::string format;
    MZ_TRY(text(obj, "format", format, false));
    if (!format.empty() && format != "mengscan-cache") {
        return bad("header format \"" + format + "\" is not mengscan-cache");
    }
    std::optional<int64_t> formatVersion;
    MZ_TRY(optionalInt(obj, "format_version", formatVersion));
    if (formatVersion && *formatVersion != 1) {
        return bad("header format_version " + std::to_string(*formatVersion) + " is not supported");
    }
    if (auto it = obj.find("counts"); it != obj.end() && !it->is_null()) {
        if (!it->is_object()) return bad("header counts must be an object");
        for (const auto& [name, value] : it->items()) {
            if (!value.is_number_integer())
                return bad("header count \"" + name + "\" must be an integer");
            h.counts[name] = value.get<int64_t>();
        }
    }
    return applier.header(h);
}

Status applyItemCodes(const json& obj, Applier& applier, bool list, bool del) {
    std::vector<std::string> codes;
    if (list) {
        MZ_TRY(stringArray(obj, "codes", codes));
    } else {
        codes.emplace_back();
        MZ_TRY(text(obj, "code", codes.back(), true));
    }
    if (del) {
        for (const auto& code : codes) MZ_TRY(applier.deleteRecord("item_code", code));
        return {};
    }
    std::string certNo;
    MZ_TRY(text(obj, "cert_no", certNo, true));
    auto id = applier.certificateId(certNo);
    if (!id) return Unexpected(id.error());
    for (const auto& code : codes) MZ_TRY(applier.itemCode(*id, code));
    return {};
}

Status applyDelete(const std::string& type, const json& obj, Applier& applier) {
    static const std::pair<const char*, const char*> kKeys[] = {
        {"body", "code"}, {"key", "key_id"}, {"certificate", "cert_no"}, {"flag", "code"}};
    if (type == "item_codes") return applyItemCodes(obj, applier, true, true);
    if (type == "item_code") return applyItemCodes(obj, applier, false, true);
    for (const auto& [t, field] : kKeys) {
        if (type == t) {
            std::string key;
            MZ_TRY(text(obj, field, key, true));
            return applier.deleteRecord(type, key);
        }
    }
    return bad("cannot delete records of type \"" + type + "\"");
}

Status applyRecord(const json& obj, Applier& applier) {
    if (!obj.is_object()) return bad("a line must be one JSON object");
    std::string type, op;
    MZ_TRY(text(obj, "type", type, true));
    MZ_TRY(text(obj, "op", op, false));
    if (op == "delete") return applyDelete(type, obj, applier);
    if (!op.empty() && op != "upsert") return bad("op \"" + op + "\" must be upsert or delete");

    if (type == "header") return applyHeader(obj, applier);
    if (type == "item_codes") return applyItemCodes(obj, applier, true, false);
    if (type == "item_code") return applyItemCodes(obj, applier, false, false);
    if (type == "body") {
        CertificationBody b;
        MZ_TRY(text(obj, "code", b.code, true));
        MZ_TRY(text(obj, "name", b.name, true));
        return applier.body(b);
    }
    if (type == "key") {
        std::string id, body, key, from, to;
        MZ_TRY(text(obj, "key_id", id, true));
        MZ_TRY(text(obj, "body", body, true));
        MZ_TRY(text(obj, "public_key", key, true));
        MZ_TRY(text(obj, "valid_from", from, false));
        MZ_TRY(text(obj, "valid_to", to, false));
        return applier.key(id, body, key, from, to);
    }
    if (type == "certificate") {
        CertificateRecord r;
        Certificate& c = r.cert;
        MZ_TRY(text(obj, "cert_no", c.certNo, true));
        MZ_TRY(text(obj, "body", c.bodyCode, true));
        MZ_TRY(text(obj, "holder", c.holder, true));
        MZ_TRY(text(obj, "product", c.product, true));
        MZ_TRY(text(obj, "category", c.category, false));
        MZ_TRY(stringArray(obj, "gtins", c.gtins));
        MZ_TRY(text(obj, "issued", c.issued, true));
        MZ_TRY(text(obj, "expires", c.expires, true));
        MZ_TRY(text(obj, "status", r.status, true));
        MZ_TRY(text(obj, "status_at", c.statusAt, false));
        MZ_TRY(text(obj, "status_reason", c.statusReason, false));
        if (auto it = obj.find("item_list"); it != obj.end() && !it->is_null()) {
            if (!it->is_boolean()) return bad("field \"item_list\" must be true or false");
            r.itemList = it->get<bool>();
        }
        return applier.certificate(r);
    }
    if (type == "status") {
        std::string certNo, status, at, reason;
        MZ_TRY(text(obj, "cert_no", certNo, true));
        MZ_TRY(text(obj, "status", status, true));
        MZ_TRY(text(obj, "at", at, true));
        MZ_TRY(text(obj, "reason", reason, false));
        return applier.status(certNo, status, at, reason);
    }
    if (type == "flag") {
        FlaggedCode f;
        MZ_TRY(text(obj, "code", f.code, true));
        MZ_TRY(text(obj, "reason", f.reason, true));
        MZ_TRY(text(obj, "at", f.flaggedAt, false));
        return applier.flag(f);
    }
    return bad("unknown record type \"" + type + "\"");
}

}  // namespace

Unexpected atLine(const Error& error, const std::string& name, int64_t line) {
    return Unexpected(Error(error.category, error.code,
                            name + ":" + std::to_string(line) + ": " + error.message));
}

Status readJsonLines(std::istream& in, const std::string& name, Applier& applier, int64_t& lines) {
    std::string line;
    while (std::getline(in, line)) {
        ++lines;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        json obj = json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (obj.is_discarded()) return atLine(bad("not valid JSON").error, name, lines);
        Status s;
        try {
            s = applyRecord(obj, applier);
        } catch (const std::exception& e) {  // nlohmann type errors on odd input
            s = bad(std::string("bad record: ") + e.what());
        }
        if (!s) return atLine(s.error(), name, lines);
    }
    if (in.bad()) return atLine(bad("read error").error, name, lines);
    return {};
}

}  // namespace mengscan::sync::cache_import
