#include "MiniJson.h"

#include <cctype>
#include <cstdlib>

namespace twin::simdes::json {

const Value *Value::find(const std::string &key) const
{
    for (const auto &[k, v] : object)
        if (k == key)
            return &v;
    return nullptr;
}

namespace {

struct Parser
{
    const std::string &s;
    size_t i = 0;
    std::string error;
    int depth = 0;

    bool fail(const std::string &what)
    {
        if (error.empty())
            error = what + " at offset " + std::to_string(i);
        return false;
    }
    void ws()
    {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            ++i;
    }
    bool literal(const char *word)
    {
        size_t n = 0;
        while (word[n])
            ++n;
        if (s.compare(i, n, word) != 0)
            return fail("invalid literal");
        i += n;
        return true;
    }
    static void utf8(std::string &out, unsigned cp)
    {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(unsigned &cp)
    {
        if (i + 4 > s.size())
            return fail("short \\u escape");
        cp = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s[i++];
            cp <<= 4;
            if (c >= '0' && c <= '9')
                cp |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                cp |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                cp |= unsigned(c - 'A' + 10);
            else
                return fail("bad \\u escape");
        }
        return true;
    }
    bool string(std::string &out)
    {
        ++i; // opening quote
        while (i < s.size()) {
            const char c = s[i++];
            if (c == '"')
                return true;
            if (static_cast<unsigned char>(c) < 0x20)
                return fail("control character in string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i >= s.size())
                break;
            const char e = s[i++];
            switch (e) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                unsigned cp = 0;
                if (!hex4(cp))
                    return false;
                if (cp >= 0xD800 && cp < 0xDC00 && s.compare(i, 2, "\\u") == 0) {
                    i += 2;
                    unsigned lo = 0;
                    if (!hex4(lo))
                        return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                utf8(out, cp);
                break;
            }
            default:
                return fail("bad escape");
            }
        }
        return fail("unterminated string");
    }
    bool number(Value &v)
    {
        const size_t start = i;
        if (s[i] == '-')
            ++i;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' ||
                                s[i] == 'e' || s[i] == 'E' || s[i] == '+' || s[i] == '-'))
            ++i;
        const std::string text = s.substr(start, i - start);
        char *end = nullptr;
        v.number = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size())
            return fail("bad number");
        v.type = Value::Type::Number;
        return true;
    }
    bool value(Value &v)
    {
        if (++depth > 64)
            return fail("nesting too deep");
        ws();
        if (i >= s.size())
            return fail("unexpected end");
        const char c = s[i];
        bool ok = true;
        if (c == '{') {
            v.type = Value::Type::Object;
            ++i;
            ws();
            if (i < s.size() && s[i] == '}') {
                ++i;
            } else {
                for (;;) {
                    ws();
                    if (i >= s.size() || s[i] != '"')
                        return fail("expected a key");
                    std::pair<std::string, Value> member;
                    if (!string(member.first))
                        return false;
                    ws();
                    if (i >= s.size() || s[i++] != ':')
                        return fail("expected ':'");
                    if (!value(member.second))
                        return false;
                    v.object.push_back(std::move(member));
                    ws();
                    if (i < s.size() && s[i] == ',') {
                        ++i;
                        continue;
                    }
                    if (i < s.size() && s[i] == '}') {
                        ++i;
                        break;
                    }
                    return fail("expected ',' or '}'");
                }
            }
        } else if (c == '[') {
            v.type = Value::Type::Array;
            ++i;
            ws();
            if (i < s.size() && s[i] == ']') {
                ++i;
            } else {
                for (;;) {
                    v.array.emplace_back();
                    if (!value(v.array.back()))
                        return false;
                    ws();
                    if (i < s.size() && s[i] == ',') {
                        ++i;
                        continue;
                    }
                    if (i < s.size() && s[i] == ']') {
                        ++i;
                        break;
                    }
                    return fail("expected ',' or ']'");
                }
            }
        } else if (c == '"') {
            v.type = Value::Type::String;
            ok = string(v.string);
        } else if (c == 't') {
            v.type = Value::Type::Bool;
            v.boolean = true;
            ok = literal("true");
        } else if (c == 'f') {
            v.type = Value::Type::Bool;
            ok = literal("false");
        } else if (c == 'n') {
            ok = literal("null");
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            ok = number(v);
        } else {
            return fail("unexpected character");
        }
        --depth;
        return ok;
    }
};

} // namespace

bool parse(const std::string &text, Value &out, std::string &error)
{
    Parser p{text, 0, {}, 0};
    out = Value();
    if (!p.value(out)) {
        error = p.error;
        return false;
    }
    p.ws();
    if (p.i != text.size()) {
        error = "trailing characters at offset " + std::to_string(p.i);
        return false;
    }
    return true;
}

} // namespace twin::simdes::json
