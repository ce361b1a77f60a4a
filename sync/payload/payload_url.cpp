// URL payloads: trace URLs (configurable host list and path patterns) and GS1 Digital Links
// (primary key 01, qualifiers 22/10/21 in order, AI query attributes, k/s signature).
#include "payload_fields.hpp"
#include "payload_text.hpp"

namespace mengscan::sync::detail {

namespace {

bool hostAllowed(std::string_view host, const std::vector<std::string>& allowed) {
    for (const auto& a : allowed) {
        if (a == "*" || a == host) return true;
        // "*.example.org" accepts sub-domains only.
        if (a.size() > 2 && a[0] == '*' && a[1] == '.') {
            std::string_view suffix(a.data() + 1, a.size() - 1);  // ".example.org"
            if (host.size() > suffix.size() &&
                host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0)
                return true;
        }
    }
    return false;
}

std::string joinHosts(const std::vector<std::string>& hosts) {
    std::string s;
    for (const auto& h : hosts) s += (s.empty() ? "" : ", ") + h;
    return s.empty() ? "(none)" : s;
}

struct UrlParts {
    std::string host;
    std::vector<std::string> segments;                       // percent-decoded path segments
    std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, in order
};

Status splitUrl(std::string_view text, const PayloadRules& rules, UrlParts& url) {
    std::size_t colon = text.find(':');
    std::string_view scheme = text.substr(0, colon);
    bool https = equalsIgnoreCase(scheme, "https");
    bool http = equalsIgnoreCase(scheme, "http");
    if (!https && !(http && rules.allowHttp))
        return unrecognised("URL scheme " + showText(scheme) + " is not accepted (only https" +
                            std::string(rules.allowHttp ? " and http)" : ")"));
    if (text.compare(colon + 1, 2, "//") != 0)
        return unrecognised("URL has no '//' after the scheme");
    std::size_t authStart = colon + 3;
    std::size_t authEnd = text.find_first_of("/?#", authStart);
    if (authEnd == std::string_view::npos) authEnd = text.size();
    std::string_view authority = text.substr(authStart, authEnd - authStart);
    if (authority.find('@') != std::string_view::npos)
        return unrecognised("URL has user information before the host; not accepted");
    std::string_view host = authority;
    std::size_t portColon = authority.rfind(':');
    if (portColon != std::string_view::npos) {
        std::string_view port = authority.substr(portColon + 1);
        if (!allDigits(port) || port.size() > 5)
            return unrecognised("URL port " + showText(port) + " is not a number");
        host = authority.substr(0, portColon);
    }
    if (host.empty() || host.size() > 253) return unrecognised("URL host is empty or too long");
    url.host.reserve(host.size());
    for (char c : host) {
        char l = asciiLower(c);
        if (!((l >= 'a' && l <= 'z') || isDigit(l) || l == '-' || l == '.'))
            return unrecognised("URL host " + showText(host) + " has character " +
                                showText(std::string_view(&c, 1)));
        url.host += l;
    }
    // Path: segments split on '/', each percent-decoded on its own so "%2F" stays inside.
    std::size_t pathEnd = text.find_first_of("?#", authEnd);
    if (pathEnd == std::string_view::npos) pathEnd = text.size();
    std::string_view path = text.substr(authEnd, pathEnd - authEnd);
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);  // one trailing '/'
    std::size_t pos = 1;
    while (pos <= path.size() && !path.empty()) {
        std::size_t end = path.find('/', pos);
        if (end == std::string_view::npos) end = path.size();
        std::string_view raw = path.substr(pos, end - pos);
        if (raw.empty())
            return unrecognised("URL path has an empty segment at " + showText(path, 60));
        auto seg =
            percentDecode(raw, "URL path segment " + std::to_string(url.segments.size() + 1));
        if (!seg) return Unexpected(seg.error());
        url.segments.push_back(std::move(seg.value()));
        pos = end + 1;
    }
    if (pathEnd < text.size() && text[pathEnd] == '?') {
        std::size_t qEnd = text.find('#', pathEnd);
        if (qEnd == std::string_view::npos) qEnd = text.size();
        std::string_view q = text.substr(pathEnd + 1, qEnd - pathEnd - 1);
        std::size_t p = 0;
        while (p <= q.size()) {
            std::size_t amp = q.find('&', p);
            if (amp == std::string_view::npos) amp = q.size();
            std::string_view pair = q.substr(p, amp - p);
            p = amp + 1;
            if (pair.empty()) continue;
            std::size_t eq = pair.find('=');
            if (eq == std::string_view::npos || eq == 0)
                return unrecognised("URL query item " + showText(pair) + " is not key=value");
            auto key = percentDecode(pair.substr(0, eq), "URL query key");
            if (!key) return Unexpected(key.error());
            auto value = percentDecode(pair.substr(eq + 1), "URL query value of " + showText(*key));
            if (!value) return Unexpected(value.error());
            for (const auto& kv : url.query)
                if (kv.first == *key)
                    return unrecognised("URL query key " + showText(*key) + " is repeated");
            url.query.emplace_back(std::move(key.value()), std::move(value.value()));
        }
    }
    return {};  // a fragment (#...) is never sent to a server and is ignored
}

// k, s and any other non-AI attributes, shared by both URL kinds.
Status applyCommonQuery(ParsedPayload& out, const std::string& key, const std::string& value) {
    if (key == "k") return setKeyId(out, value);
    if (key == "s") return setSignature(out, value);
    out.attributes.emplace(key, value);
    return {};
}

// A path field of a trace pattern; literal segments are compared by the caller.
Status applyTraceField(ParsedPayload& out, TraceField field, const std::string& seg,
                       const PayloadRules& rules, std::size_t index) {
    std::string where = "trace URL path segment " + std::to_string(index + 1);
    switch (field) {
        case TraceField::CertNo:
            return setCertNumber(out, seg, rules);
        case TraceField::ItemCode:
            return setItemCode(out, seg, rules, where);
        case TraceField::Gtin:
            return setGtin(out, seg, where);
        case TraceField::KeyId:
            return setKeyId(out, seg);
        case TraceField::Serial:
            if (auto st = checkAiValue("21", seg); !st)
                return unrecognised(where + " (serial): " + st.error().message);
            out.serial = seg;
            return {};
        case TraceField::Batch:
            if (auto st = checkAiValue("10", seg); !st)
                return unrecognised(where + " (batch): " + st.error().message);
            out.batch = seg;
            return {};
        case TraceField::Ignore:
        case TraceField::Literal:
            return {};
    }
    return {};
}

Status parseTrace(ParsedPayload& out, const UrlParts& url, const PayloadRules& rules) {
    out.kind = PayloadKind::TraceUrl;
    // The first pattern whose shape (segment count and literals) fits decides; its field
    // errors are the precise reason when the payload is rejected.
    for (const TracePathPattern& pattern : rules.tracePaths()) {
        if (pattern.segments.size() != url.segments.size()) continue;
        bool shape = true;
        for (std::size_t i = 0; i < url.segments.size() && shape; ++i)
            shape = pattern.segments[i].field != TraceField::Literal ||
                    pattern.segments[i].literal == url.segments[i];
        if (!shape) continue;
        for (std::size_t i = 0; i < url.segments.size(); ++i)
            if (auto st =
                    applyTraceField(out, pattern.segments[i].field, url.segments[i], rules, i);
                !st)
                return st;
        for (const auto& [key, value] : url.query)
            if (auto st = applyCommonQuery(out, key, value); !st) return st;
        return {};
    }
    std::string patterns;
    for (const auto& p : rules.tracePaths()) patterns += (patterns.empty() ? "" : ", ") + p.text;
    std::string path;
    for (const auto& s : url.segments) path += "/" + s;
    return unrecognised("trace URL path " + showText(path.empty() ? "/" : path, 60) +
                        " matches no trace path pattern (" + patterns + ")");
}

Status parseDigitalLink(ParsedPayload& out, const UrlParts& url, std::size_t start,
                        const PayloadRules& rules) {
    out.kind = PayloadKind::Gs1DigitalLink;
    const auto& seg = url.segments;
    if (start + 1 >= seg.size()) return unrecognised("GS1 Digital Link has no GTIN after /01/");
    if (auto st = setGtin(out, seg[start + 1], "GS1 Digital Link /01/"); !st) return st;
    // Key qualifiers must follow in the order 22, 10, 21, each at most once.
    static const char* kOrder[] = {"22", "10", "21"};
    int last = -1;
    for (std::size_t i = start + 2; i < seg.size(); i += 2) {
        int rank = -1;
        for (int r = 0; r < 3; ++r)
            if (seg[i] == kOrder[r]) rank = r;
        if (rank < 0)
            return unrecognised("GS1 Digital Link path key " + showText(seg[i]) +
                                " is not a qualifier of GTIN (22, 10, 21)");
        if (rank <= last)
            return unrecognised("GS1 Digital Link qualifier " + seg[i] + " after " + kOrder[last] +
                                ": qualifiers must be in the order 22, 10, 21");
        last = rank;
        if (i + 1 >= seg.size())
            return unrecognised("GS1 Digital Link qualifier " + seg[i] + " has no value");
        const std::string& value = seg[i + 1];
        if (auto st = checkAiValue(seg[i], value); !st) return st;
        if (rank == 1)
            out.batch = value;
        else if (rank == 2)
            out.serial = value;
        else
            out.attributes.emplace("22", value);
    }
    for (const auto& [key, value] : url.query) {
        if (!allDigits(key)) {
            if (auto st = applyCommonQuery(out, key, value); !st) return st;
            continue;
        }
        if (gs1AiLength(key) != key.size())
            return unrecognised("GS1 Digital Link query key " + showText(key) +
                                " is not a known GS1 Application Identifier");
        if (key == "01" || key == "22" || key == "10" || key == "21")
            return unrecognised("GS1 Digital Link query repeats path key AI " + key);
        if (auto st = checkAiValue(key, value); !st) return st;
        if (key == "7230") {
            if (auto st = setCertReference(out, value, rules); !st) return st;
        } else {
            out.attributes.emplace(key, value);
        }
    }
    return {};
}

}  // namespace

Status parseUrl(ParsedPayload& out, std::string_view text, const PayloadRules& rules) {
    UrlParts url;
    if (auto st = splitUrl(text, rules, url); !st) return st;
    out.host = url.host;
    bool dlHost = hostAllowed(url.host, rules.digitalLinkHosts);
    bool traceHost = hostAllowed(url.host, rules.traceHosts);
    if (dlHost) {
        // A Digital Link may have a path prefix before its primary key: find "/01/<digits>".
        for (std::size_t i = 0; i + 1 < url.segments.size(); ++i)
            if (url.segments[i] == "01" && allDigits(url.segments[i + 1]))
                return parseDigitalLink(out, url, i, rules);
        if (!traceHost)
            return unrecognised("GS1 Digital Link on host " + showText(url.host) +
                                " has no /01/<GTIN> in its path");
    }
    if (traceHost) return parseTrace(out, url, rules);
    return unrecognised("URL host " + showText(url.host) + " is not an accepted trace host (" +
                        joinHosts(rules.traceHosts) + ") or GS1 Digital Link host (" +
                        joinHosts(rules.digitalLinkHosts) + ")");
}

}  // namespace mengscan::sync::detail
