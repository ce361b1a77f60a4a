// PayloadRules: defaults, compiling trace path patterns and the certificate-number format,
// reading rules from JSON, and matching certificate numbers.
#include "mengscan/sync/payload_rules.hpp"

#include <nlohmann/json.hpp>

#include "payload_text.hpp"

namespace mengscan::sync {

using detail::isDigit;
using detail::showText;

namespace {

Unexpected badRules(std::string message) {
    return makeUnexpected(ErrorCategory::Usage, "bad_payload_rules", std::move(message));
}

Expected<TracePathPattern> compileTracePath(const std::string& text) {
    TracePathPattern pattern;
    pattern.text = text;
    if (text.empty() || text[0] != '/')
        return badRules("trace path pattern " + showText(text) + " must start with '/'");
    bool hasCert = false, hasItem = false;
    std::size_t pos = 1;
    while (pos <= text.size()) {
        std::size_t end = text.find('/', pos);
        if (end == std::string::npos) end = text.size();
        std::string seg = text.substr(pos, end - pos);
        if (seg.empty())
            return badRules("trace path pattern " + showText(text) + " has an empty segment");
        TracePathSegment s;
        if (seg.front() == '{') {
            if (seg == "{cert_no}")
                s.field = TraceField::CertNo, hasCert = true;
            else if (seg == "{item_code}")
                s.field = TraceField::ItemCode, hasItem = true;
            else if (seg == "{serial}")
                s.field = TraceField::Serial, hasItem = true;
            else if (seg == "{gtin}")
                s.field = TraceField::Gtin;
            else if (seg == "{batch}")
                s.field = TraceField::Batch;
            else if (seg == "{key_id}")
                s.field = TraceField::KeyId;
            else if (seg == "{_}")
                s.field = TraceField::Ignore;
            else
                return badRules("trace path pattern " + showText(text) + " has unknown field " +
                                showText(seg) +
                                " (known: {cert_no} {item_code} {serial} {gtin} {batch} "
                                "{key_id} {_})");
        } else {
            if (seg.find_first_of("{}?#%") != std::string::npos)
                return badRules("trace path pattern " + showText(text) +
                                " has a literal segment with {}?#% in it: " + showText(seg));
            s.literal = seg;
        }
        pattern.segments.push_back(std::move(s));
        pos = end + 1;
    }
    if (!hasCert || !hasItem)
        return badRules("trace path pattern " + showText(text) +
                        " must name {cert_no} and one of {item_code} or {serial}");
    return pattern;
}

Expected<CertNumberFormat> compileCertFormat(const std::string& text) {
    CertNumberFormat format;
    format.text = text;
    bool seen[3] = {false, false, false};
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '{') {
            std::size_t end = text.find('{', i);
            if (end == std::string::npos) end = text.size();
            std::string lit = text.substr(i, end - i);
            if (lit.find('}') != std::string::npos)
                return badRules("certificate number format " + showText(text) + " has a stray '}'");
            CertNumberPiece p;
            p.literal = lit;
            format.pieces.push_back(std::move(p));
            i = end;
            continue;
        }
        std::size_t close = text.find('}', i);
        if (close == std::string::npos)
            return badRules("certificate number format " + showText(text) + " has an unclosed '{'");
        std::string field = text.substr(i + 1, close - i - 1);
        std::size_t colon = field.find(':');
        std::string name = field.substr(0, colon);
        CertNumberPiece p;
        int idx;
        if (name == "body")
            p.kind = CertNumberPiece::Kind::Body, idx = 0;
        else if (name == "year")
            p.kind = CertNumberPiece::Kind::Year, idx = 1;
        else if (name == "serial")
            p.kind = CertNumberPiece::Kind::Serial, idx = 2;
        else
            return badRules("certificate number format " + showText(text) + " has unknown field " +
                            showText(name) + " (known: body, year, serial)");
        if (seen[idx])
            return badRules("certificate number format " + showText(text) + " repeats field " +
                            showText(name));
        seen[idx] = true;
        // "{body:4}" or "{body:3-4}"
        std::string count = colon == std::string::npos ? "" : field.substr(colon + 1);
        std::size_t dash = count.find('-');
        std::string lo = count.substr(0, dash),
                    hi = dash == std::string::npos ? lo : count.substr(dash + 1);
        if (!detail::allDigits(lo) || !detail::allDigits(hi) || lo.size() > 2 || hi.size() > 2)
            return badRules("certificate number format " + showText(text) + " field " +
                            showText(field) + " needs a digit count such as {" + name + ":4}");
        p.minDigits = std::stoi(lo);
        p.maxDigits = std::stoi(hi);
        if (p.minDigits < 1 || p.maxDigits < p.minDigits || p.maxDigits > 20)
            return badRules("certificate number format " + showText(text) + " field " +
                            showText(field) + " has a bad digit count");
        // A variable-width field must be followed by a literal, or matching is ambiguous.
        format.pieces.push_back(std::move(p));
        i = close + 1;
    }
    if (!seen[0] || !seen[2])
        return badRules("certificate number format " + showText(text) +
                        " must contain {body:N} and {serial:N}");
    for (std::size_t k = 0; k + 1 < format.pieces.size(); ++k) {
        const auto& a = format.pieces[k];
        const auto& b = format.pieces[k + 1];
        if (a.kind != CertNumberPiece::Kind::Literal && b.kind != CertNumberPiece::Kind::Literal &&
            a.minDigits != a.maxDigits)
            return badRules("certificate number format " + showText(text) +
                            ": a variable-width field must be followed by literal text");
    }
    return format;
}

}  // namespace

PayloadRules::PayloadRules() {
    // The defaults compile; a failure here would be a programming bug.
    auto paths = compileTracePath("/t/{cert_no}/{item_code}");
    assert(paths);
    tracePaths_.push_back(std::move(paths.value()));
    auto format = compileCertFormat("{body:4}-MZB-{year:2}-{serial:5}");
    assert(format);
    certFormat_ = std::move(format.value());
}

Status PayloadRules::setTracePaths(const std::vector<std::string>& patterns) {
    if (patterns.empty()) return badRules("trace_paths must list at least one pattern");
    std::vector<TracePathPattern> compiled;
    for (const auto& text : patterns) {
        auto p = compileTracePath(text);
        if (!p) return Unexpected(p.error());
        compiled.push_back(std::move(p.value()));
    }
    tracePaths_ = std::move(compiled);
    return {};
}

Status PayloadRules::setCertNumberFormat(const std::string& format) {
    auto f = compileCertFormat(format);
    if (!f) return Unexpected(f.error());
    certFormat_ = std::move(f.value());
    return {};
}

Expected<CertNumberParts> parseCertNumber(std::string_view text, const PayloadRules& rules) {
    const CertNumberFormat& format = rules.certNumberFormat();
    CertNumberParts parts;
    std::size_t pos = 0;
    auto mismatch = [&](const std::string& why) {
        return detail::unrecognised("certificate number " + showText(text) +
                                    " does not match format " + showText(format.text, 60) + ": " +
                                    why);
    };
    for (std::size_t k = 0; k < format.pieces.size(); ++k) {
        const CertNumberPiece& p = format.pieces[k];
        if (p.kind == CertNumberPiece::Kind::Literal) {
            if (text.substr(pos, p.literal.size()) != p.literal)
                return mismatch("expected " + showText(p.literal) + " at position " +
                                std::to_string(pos));
            pos += p.literal.size();
            continue;
        }
        std::size_t n = 0;
        while (pos + n < text.size() && isDigit(text[pos + n]) && n < std::size_t(p.maxDigits)) ++n;
        if (n < std::size_t(p.minDigits))
            return mismatch("expected " + std::to_string(p.minDigits) + " digits at position " +
                            std::to_string(pos) + ", found " + std::to_string(n));
        std::string digits(text.substr(pos, n));
        if (p.kind == CertNumberPiece::Kind::Body)
            parts.bodyCode = digits;
        else if (p.kind == CertNumberPiece::Kind::Year)
            parts.year = digits;
        else
            parts.serial = digits;
        pos += n;
    }
    if (pos != text.size())
        return mismatch("unexpected " + showText(text.substr(pos)) + " after position " +
                        std::to_string(pos));
    return parts;
}

Expected<PayloadRules> payloadRulesFromJson(const nlohmann::json& config) {
    try {
        if (!config.is_object()) return badRules("payload rules must be a JSON object");
        PayloadRules rules;
        auto stringList = [](const nlohmann::json& v, const char* key,
                             std::vector<std::string>& out) -> Status {
            if (!v.is_array()) return badRules(std::string(key) + " must be an array of strings");
            std::vector<std::string> list;
            for (const auto& e : v) {
                if (!e.is_string())
                    return badRules(std::string(key) + " must be an array of strings");
                list.push_back(e.get<std::string>());
            }
            out = std::move(list);
            return {};
        };
        for (const auto& [key, v] : config.items()) {
            Status st;
            if (key == "trace_hosts" || key == "digital_link_hosts") {
                auto& list = key == "trace_hosts" ? rules.traceHosts : rules.digitalLinkHosts;
                st = stringList(v, key.c_str(), list);
                if (st)
                    for (auto& h : list) {
                        for (auto& c : h) c = detail::asciiLower(c);
                        if (h.empty() || h.find_first_of("/:@ ") != std::string::npos)
                            return badRules(key + " has a bad host " + showText(h) +
                                            " (give the bare host name, or * / *.domain)");
                    }
            } else if (key == "trace_paths") {
                std::vector<std::string> list;
                st = stringList(v, "trace_paths", list);
                if (st) st = rules.setTracePaths(list);
            } else if (key == "item_code_prefixes") {
                st = stringList(v, "item_code_prefixes", rules.itemCodePrefixes);
            } else if (key == "cert_number_format") {
                if (!v.is_string()) return badRules("cert_number_format must be a string");
                st = rules.setCertNumberFormat(v.get<std::string>());
            } else if (key == "cert_reference_prefix") {
                if (!v.is_string()) return badRules("cert_reference_prefix must be a string");
                rules.certReferencePrefix = v.get<std::string>();
            } else if (key == "allow_http") {
                if (!v.is_boolean()) return badRules("allow_http must be true or false");
                rules.allowHttp = v.get<bool>();
            } else if (key == "max_payload_bytes") {
                if (!v.is_number_integer() || v.get<int64_t>() < 32 || v.get<int64_t>() > 65536)
                    return badRules("max_payload_bytes must be an integer from 32 to 65536");
                rules.maxPayloadBytes = v.get<std::size_t>();
            } else if (key == "item_code_lengths") {
                if (!v.is_array() || v.empty())
                    return badRules("item_code_lengths must be a non-empty array of 17 and/or 18");
                rules.acceptItemCode17 = rules.acceptItemCode18 = false;
                for (const auto& e : v) {
                    if (e == 17)
                        rules.acceptItemCode17 = true;
                    else if (e == 18)
                        rules.acceptItemCode18 = true;
                    else
                        return badRules("item_code_lengths may only contain 17 and 18");
                }
            } else {
                return badRules("unknown payload rules key " + showText(key));
            }
            if (!st) return Unexpected(st.error());
        }
        return rules;
    } catch (const std::exception& e) {
        return badRules(std::string("payload rules: ") + e.what());
    }
}

}  // namespace mengscan::sync
