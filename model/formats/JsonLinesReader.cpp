#include "twin/formats/JsonLinesReader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>

namespace twin::model {

struct JsonLinesReader::Impl
{
    std::string path;
    std::string fileName;
    std::vector<nlohmann::json::json_pointer> pointers;
};

JsonLinesReader::JsonLinesReader(JsonLinesReader &&) noexcept = default;
JsonLinesReader &JsonLinesReader::operator=(JsonLinesReader &&) noexcept = default;
JsonLinesReader::~JsonLinesReader() = default;

std::string toJsonPointer(std::string_view path)
{
    if (path.empty())
        return {};
    if (path.front() == '/')
        return std::string(path);
    std::string out;
    std::string token;
    auto flush = [&] {
        out += '/';
        for (char c : token)
            out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
        token.clear();
    };
    for (size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == '.') {
            if (token.empty() && (i == 0 || path[i - 1] != ']'))
                return {};
            if (!token.empty())
                flush();
        } else if (c == '[') {
            if (!token.empty())
                flush();
            size_t close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1)
                return {};
            token = std::string(path.substr(i + 1, close - i - 1));
            if (!std::all_of(token.begin(), token.end(), [](char d) { return d >= '0' && d <= '9'; }))
                return {};
            flush();
            i = close;
        } else {
            token += c;
        }
    }
    if (!token.empty())
        flush();
    else if (path.back() == '.')
        return {};
    return out;
}

Result<JsonLinesReader> JsonLinesReader::open(const std::string &path,
                                              const std::vector<std::string> &fieldPaths)
{
    JsonLinesReader r;
    r.m_impl = std::make_unique<Impl>();
    r.m_impl->path = path;
    auto slash = path.find_last_of('/');
    r.m_impl->fileName = slash == std::string::npos ? path : path.substr(slash + 1);
    for (const auto &p : fieldPaths) {
        std::string pointer = toJsonPointer(p);
        try {
            if (pointer.empty())
                throw std::invalid_argument("empty");
            r.m_impl->pointers.emplace_back(pointer);
        } catch (const std::exception &) {
            return Error{"bad JSON path '" + p + "'"};
        }
    }
    std::ifstream probe(path);
    if (!probe)
        return Error{path + ": cannot open"};
    return r;
}

namespace {

JsonField::Type typeOf(const nlohmann::json &j)
{
    using T = JsonField::Type;
    switch (j.type()) {
    case nlohmann::json::value_t::null:
        return T::Null;
    case nlohmann::json::value_t::boolean:
        return T::Bool;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
        return T::Number;
    case nlohmann::json::value_t::string:
        return T::String;
    case nlohmann::json::value_t::object:
        return T::Object;
    case nlohmann::json::value_t::array:
        return T::Array;
    default:
        return T::Missing;
    }
}

void leaves(const nlohmann::json &j, std::string &prefix,
            std::vector<std::pair<std::string, JsonField::Type>> &out)
{
    if (j.is_object() || j.is_array()) {
        if (j.empty()) {
            out.emplace_back(prefix, typeOf(j));
            return;
        }
        size_t n = 0;
        for (auto it = j.begin(); it != j.end(); ++it, ++n) {
            const size_t keep = prefix.size();
            prefix += '/';
            if (j.is_object())
                for (char c : it.key())
                    prefix += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
            else
                prefix += std::to_string(n);
            leaves(*it, prefix, out);
            prefix.resize(keep);
        }
        return;
    }
    out.emplace_back(prefix, typeOf(j));
}

} // namespace

Status JsonLinesReader::read(const std::function<bool(const JsonLine &)> &onLine,
                             const ProgressCallback &progress)
{
    m_changes.clear();
    m_skipped.clear();
    std::ifstream in(m_impl->path, std::ios::binary);
    if (!in)
        return Error{m_impl->path + ": cannot open"};
    in.seekg(0, std::ios::end);
    const auto total = static_cast<std::uint64_t>(in.tellg());
    in.seekg(0);
    std::vector<JsonField> values(m_impl->pointers.size());
    std::vector<std::string> paths, previous;
    std::vector<std::pair<std::string, JsonField::Type>> leafTypes;
    std::map<std::string, JsonField::Type> firstType;
    std::string text, prefix;
    std::int64_t lineNo = 0;
    std::uint64_t done = 0, nextReport = 1 << 20;
    bool first = true;
    while (std::getline(in, text)) {
        ++lineNo;
        done += text.size() + 1;
        if (!text.empty() && text.back() == '\r')
            text.pop_back();
        if (lineNo == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0)
            text.erase(0, 3);
        if (text.find_first_not_of(" \t") == std::string::npos)
            continue;
        nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            std::string error = m_impl->fileName + ":" + std::to_string(lineNo) +
                                (j.is_discarded() ? ": not valid JSON" : ": not a JSON object");
            if (!m_skipMalformed)
                return Error{std::move(error)};
            m_skipped.push_back(std::move(error));
            continue;
        }
        for (size_t k = 0; k < values.size(); ++k) {
            JsonField &f = values[k];
            f = JsonField{};
            const auto &ptr = m_impl->pointers[k];
            if (!j.contains(ptr))
                continue;
            const nlohmann::json &v = j.at(ptr);
            f.type = typeOf(v);
            if (v.is_number())
                f.number = v.get<double>();
            else if (v.is_boolean())
                f.number = v.get<bool>() ? 1.0 : 0.0;
            else if (v.is_string())
                f.text = v.get<std::string>();
            else if (v.is_structured())
                f.text = v.dump();
        }
        leafTypes.clear();
        prefix.clear();
        leaves(j, prefix, leafTypes);
        std::sort(leafTypes.begin(), leafTypes.end());
        paths.clear();
        JsonSchemaChange change;
        change.line = lineNo;
        for (const auto &[p, t] : leafTypes) {
            paths.push_back(p);
            auto [it, inserted] = firstType.emplace(p, t);
            if (!inserted && it->second != t && !first)
                change.retyped.push_back(p);
        }
        if (!first) {
            std::set_difference(paths.begin(), paths.end(), previous.begin(), previous.end(),
                                std::back_inserter(change.added));
            std::set_difference(previous.begin(), previous.end(), paths.begin(), paths.end(),
                                std::back_inserter(change.removed));
            if (!change.added.empty() || !change.removed.empty() || !change.retyped.empty())
                m_changes.push_back(std::move(change));
        }
        first = false;
        std::swap(previous, paths);
        if (!onLine(JsonLine{lineNo, values, previous}))
            return okStatus();
        if (progress && done >= nextReport) {
            nextReport = done + (1 << 20);
            if (!progress(done, total))
                return Error{kCancelled};
        }
    }
    if (progress && !progress(total, total))
        return Error{kCancelled};
    return okStatus();
}

} // namespace twin::model
