#include "PayloadDecoder.h"

#include <mosquitto.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace twin::connmqtt {

namespace {

using nlohmann::json;

std::int64_t daysFromCivil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int &out)
{
    if (pos + n > s.size())
        return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

struct TimeResult
{
    std::optional<sdk::TimeNs> time;
    std::string error; // set when a timestamp is present but unreadable
};

TimeResult readTime(const json &value, const MqttConfig &config)
{
    if (value.is_number()) {
        const double v = value.get<double>();
        if (!std::isfinite(v) || v < 0 || v * static_cast<double>(config.timestampUnitNs) > 9.2e18)
            return {std::nullopt, "timestamp " + value.dump() + " is out of range"};
        if (value.is_number_integer())
            return {value.get<std::int64_t>() * config.timestampUnitNs, {}};
        return {static_cast<sdk::TimeNs>(std::llround(v * static_cast<double>(config.timestampUnitNs))), {}};
    }
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() < 19)
            return {std::stoll(text) * config.timestampUnitNs, {}};
        if (auto t = parseIsoTime(text))
            return {t, {}};
        return {std::nullopt, "timestamp \"" + text + "\" is neither a number nor ISO 8601"};
    }
    return {std::nullopt, "timestamp " + value.dump() + " is neither a number nor a string"};
}

bool toValue(const json &v, std::variant<double, std::string> &out)
{
    if (v.is_boolean())
        out = v.get<bool>() ? 1.0 : 0.0;
    else if (v.is_number())
        out = v.get<double>();
    else if (v.is_string())
        out = v.get<std::string>();
    else
        return false;
    return true;
}

std::string escapePointer(const std::string &key)
{
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

// Scalar leaves of `node` below `prefix`; `skip` lists top-level pointers not to emit.
void flatten(const json &node, const std::string &prefix, const std::vector<std::string> &skip,
             std::vector<std::pair<std::string, const json *>> &out)
{
    if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            const std::string path = prefix + "/" + escapePointer(it.key());
            bool skipped = false;
            for (const auto &s : skip)
                skipped = skipped || s == path;
            if (!skipped)
                flatten(it.value(), path, skip, out);
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            flatten(node[i], prefix + "/" + std::to_string(i), skip, out);
    } else if (!node.is_null()) {
        out.emplace_back(prefix, &node);
    }
}

const json *atPointer(const json &doc, const std::string &pointer)
{
    try {
        const json::json_pointer p(pointer);
        return doc.contains(p) ? &doc.at(p) : nullptr;
    } catch (const json::exception &) {
        return nullptr;
    }
}

sdk::RawRecord makeRecord(const std::string &topic, std::string field, std::optional<sdk::TimeNs> time,
                          sdk::TimeNs receiveTime)
{
    sdk::RawRecord r;
    r.source = topic;
    r.field = std::move(field);
    r.sourceTime = time;
    r.receiveTime = receiveTime;
    return r;
}

void decodeSparkplug(const std::string &topic, const json &payload, std::optional<sdk::TimeNs> messageTime,
                     sdk::TimeNs receiveTime, const MqttConfig &config, DecodedMessage &out)
{
    const json &metrics = payload["metrics"];
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        const json &metric = metrics[i];
        const std::string where = "metrics[" + std::to_string(i) + "]";
        if (!metric.is_object() || !metric.contains("name") || !metric["name"].is_string()) {
            out.problems.push_back(where + " has no string \"name\" (aliases need a birth certificate)");
            continue;
        }
        const std::string name = metric["name"].get<std::string>();
        if (metric.value("is_null", false) || !metric.contains("value") || metric["value"].is_null())
            continue;
        std::optional<sdk::TimeNs> time = messageTime;
        if (metric.contains("timestamp")) {
            TimeResult t = readTime(metric["timestamp"], config);
            if (!t.error.empty()) {
                out.problems.push_back(where + " (\"" + name + "\"): " + t.error);
                continue;
            }
            time = t.time;
        }
        sdk::RawRecord r = makeRecord(topic, name, time, receiveTime);
        if (!toValue(metric["value"], r.value)) {
            out.problems.push_back(where + " (\"" + name + "\"): value of type " +
                                   metric["value"].type_name() + " is not supported");
            continue;
        }
        out.records.push_back(std::move(r));
    }
}

} // namespace

std::optional<sdk::TimeNs> parseIsoTime(std::string_view s)
{
    int year, month, day, hour, minute, second = 0;
    if (!digits(s, 0, 4, year) || s.size() < 16 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
        s[13] != ':' || !digits(s, 14, 2, minute))
        return std::nullopt;
    std::size_t pos = 16;
    std::int64_t fractionNs = 0;
    if (pos < s.size() && s[pos] == ':') {
        if (!digits(s, pos + 1, 2, second))
            return std::nullopt;
        pos += 3;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            std::int64_t scale = 100'000'000;
            const std::size_t start = pos;
            for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, scale /= 10)
                fractionNs += (s[pos] - '0') * scale;
            if (pos == start)
                return std::nullopt;
        }
    }
    std::int64_t offsetSeconds = 0;
    if (pos < s.size()) {
        if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
            pos = s.size();
        } else if (s[pos] == '+' || s[pos] == '-') {
            int oh = 0, om = 0;
            const std::size_t minutesAt = (pos + 3 < s.size() && s[pos + 3] == ':') ? pos + 4 : pos + 3;
            if (!digits(s, pos + 1, 2, oh) || !digits(s, minutesAt, 2, om) || minutesAt + 2 != s.size())
                return std::nullopt;
            offsetSeconds = (s[pos] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
            pos = s.size();
        } else {
            return std::nullopt;
        }
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    const std::int64_t seconds =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 +
        minute * 60 + second - offsetSeconds;
    return seconds * 1'000'000'000 + fractionNs;
}

DecodedMessage decodePayload(const std::string &topic, std::string_view payload, sdk::TimeNs receiveTime,
                             const MqttConfig &config)
{
    DecodedMessage out;
    json doc;
    try {
        doc = json::parse(payload.begin(), payload.end());
    } catch (const json::exception &e) {
        out.problems.push_back(payload.empty() ? std::string("empty payload")
                                               : std::string("malformed JSON: ") + e.what());
        return out;
    }

    if (!config.messageIdField.empty())
        if (const json *id = atPointer(doc, config.messageIdField))
            out.messageId = id->is_string() ? id->get<std::string>() : id->dump();

    // The message timestamp.
    std::string timestampPointer;
    std::optional<sdk::TimeNs> messageTime;
    const json *body = &doc;
    if (doc.is_object() && !doc.contains("metrics") && doc.contains("payload") &&
        doc["payload"].is_object() && doc["payload"].contains("metrics"))
        body = &doc["payload"]; // Sparkplug JSON as the spec renders it
    for (const char *candidate : {"/timestamp", "/ts", "/time"}) {
        const std::string pointer = config.timestampField.empty() ? candidate : config.timestampField;
        if (const json *t = atPointer(*body, pointer)) {
            TimeResult r = readTime(*t, config);
            if (!r.error.empty()) {
                out.problems.push_back("field \"" + pointer + "\": " + r.error);
                return out;
            }
            messageTime = r.time;
            timestampPointer = pointer;
            break;
        }
        if (!config.timestampField.empty())
            break;
    }

    if (body->is_object() && body->contains("metrics")) {
        if (!(*body)["metrics"].is_array()) {
            out.problems.push_back("Sparkplug \"metrics\" is not an array");
            return out;
        }
        decodeSparkplug(topic, *body, messageTime, receiveTime, config, out);
        return out;
    }

    const bool ditto = doc.is_object() && doc.contains("topic") && doc["topic"].is_string() &&
                       doc["topic"].get<std::string>().find("/things/") != std::string::npos &&
                       doc.contains("path") && doc["path"].is_string();
    std::vector<std::pair<std::string, const json *>> leaves;
    std::string prefix;
    if (ditto) {
        const std::string dittoTopic = doc["topic"].get<std::string>();
        if (dittoTopic.find("/errors") != std::string::npos || doc.value("status", 0) >= 400) {
            out.problems.push_back("Ditto error response " + std::to_string(doc.value("status", 0)) + ": " +
                                   (doc.contains("value") && doc["value"].is_object()
                                        ? doc["value"].value("error", std::string("?"))
                                        : std::string("?")));
            return out;
        }
        if (!doc.contains("value"))
            return out; // commands without a value (retrieve, delete) carry no telemetry
        prefix = doc["path"].get<std::string>();
        if (prefix == "/")
            prefix.clear();
        flatten(doc["value"], prefix, {}, leaves);
    } else {
        std::vector<std::string> skip;
        if (!timestampPointer.empty())
            skip.push_back(timestampPointer);
        if (!config.messageIdField.empty())
            skip.push_back(config.messageIdField);
        flatten(doc, "", skip, leaves);
    }
    for (const auto &[field, value] : leaves) {
        sdk::RawRecord r = makeRecord(topic, field, messageTime, receiveTime);
        toValue(*value, r.value); // leaves are scalars; null was skipped by flatten
        out.records.push_back(std::move(r));
    }
    return out;
}

} // namespace twin::connmqtt
