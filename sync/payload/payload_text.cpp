#include "payload_text.hpp"
#include "mengscan/base64url.hpp"

namespace mengscan::sync::detail {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (asciiLower(a[i]) != asciiLower(b[i])) return false;
    return true;
}

Unexpected unrecognised(std::string message) {
    return makeUnexpected(ErrorCategory::Payload, "payload_unrecognised", std::move(message));
}

std::string showText(std::string_view text, std::size_t maxChars) {
    static const char* hex = "0123456789ABCDEF";
    std::string out = "'";
    std::size_t n = text.size() < maxChars ? text.size() : maxChars;
    for (std::size_t i = 0; i < n; ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c >= 0x7F || c == '\'' || c == '\\') {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += char(c);
        }
    }
    out += '\'';
    if (n < text.size()) out += "...";
    return out;
}

namespace {
std::string hexByte(unsigned char c) {
    static const char* hex = "0123456789ABCDEF";
    return std::string("0x") + hex[c >> 4] + hex[c & 15];
}
}  // namespace

Status checkText(std::string_view text, std::string_view what, std::string_view allowedControls) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 || c == 0x7F) && allowedControls.find(char(c)) == std::string_view::npos)
                return unrecognised(std::string(what) + " has control character " + hexByte(c) +
                                    " at byte " + std::to_string(i));
            ++i;
            continue;
        }
        std::size_t len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return unrecognised(std::string(what) + " is not valid UTF-8: byte " + hexByte(c) +
                                " at " + std::to_string(i));
        }
        if (i + len > n)
            return unrecognised(std::string(what) + " is not valid UTF-8: truncated sequence at " +
                                std::to_string(i));
        for (std::size_t k = 1; k < len; ++k) {
            unsigned char cc = s[i + k];
            if ((cc & 0xC0) != 0x80)
                return unrecognised(std::string(what) + " is not valid UTF-8: byte " + hexByte(cc) +
                                    " at " + std::to_string(i + k));
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return unrecognised(std::string(what) +
                                " is not valid UTF-8: overlong or surrogate sequence at " +
                                std::to_string(i));
        if (cp >= 0x80 && cp <= 0x9F)
            return unrecognised(std::string(what) + " has C1 control character U+00" +
                                hexByte(static_cast<unsigned char>(cp)).substr(2) + " at byte " +
                                std::to_string(i));
        i += len;
    }
    return {};
}

namespace {
int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

Expected<std::string> percentDecode(std::string_view text, std::string_view what) {
    if (text.find('%') == std::string_view::npos) return std::string(text);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        int hi = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
        int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            return unrecognised(std::string(what) + " has a malformed percent escape at " +
                                showText(text.substr(i, 3)));
        out += char(hi * 16 + lo);
        i += 2;
    }
    if (auto ok = checkText(out, std::string(what) + " (percent-decoded)", ""); !ok)
        return Unexpected(ok.error());
    return out;
}

Expected<std::vector<uint8_t>> base64UrlDecode(std::string_view text, std::size_t expectedBytes) {
    std::size_t expectedChars = (expectedBytes * 8 + 5) / 6;
    if (!text.empty() && text.back() == '=')
        return unrecognised("signature has '=' padding; expected base64url without padding");
    if (text.size() != expectedChars)
        return unrecognised("signature has " + std::to_string(text.size()) +
                            " characters; expected " + std::to_string(expectedChars) +
                            " (base64url of " + std::to_string(expectedBytes) + " bytes)");
    auto decoded = base64url::decode(text, base64url::Alphabet::UrlOnly, true);
    if (decoded.problem == base64url::DecodeProblem::BadCharacter)
        return unrecognised("signature has character " +
                            showText(text.substr(decoded.offset, 1)) + " at " +
                            std::to_string(decoded.offset) + " that is not base64url");
    // The left-over bits of the last character must be zero (canonical encoding).
    if (!decoded.ok())
        return unrecognised("signature is not canonical base64url (non-zero trailing bits)");
    return std::move(decoded.bytes);
}

}  // namespace mengscan::sync::detail
