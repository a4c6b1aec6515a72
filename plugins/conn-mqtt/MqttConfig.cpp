#include "MqttConfig.h"

#include <mosquitto.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace twin::connmqtt {

namespace {

using nlohmann::json;

template <typename T> sdk::Status read(const json &doc, const char *key, T &out)
{
    if (!doc.contains(key))
        return sdk::Status::ok();
    try {
        out = doc.at(key).get<T>();
    } catch (const json::exception &) {
        return sdk::Status::error(std::string("config key \"") + key + "\" has the wrong type");
    }
    return sdk::Status::ok();
}

sdk::Status checkFile(const std::string &path, const char *key)
{
    if (path.empty())
        return sdk::Status::ok();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return sdk::Status::error(std::string("config key \"") + key + "\": file not found: " + path);
    return sdk::Status::ok();
}

sdk::Status checkFilter(const std::string &filter, const char *key)
{
    if (mosquitto_sub_topic_check(filter.c_str()) != MOSQ_ERR_SUCCESS)
        return sdk::Status::error(std::string("config key \"") + key + "\": invalid topic filter \"" +
                                  filter + "\"");
    return sdk::Status::ok();
}

} // namespace

sdk::Status parseConfig(const std::string &text, MqttConfig &config)
{
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception &e) {
        return sdk::Status::error(std::string("config is not valid JSON: ") + e.what());
    }
    if (!doc.is_object())
        return sdk::Status::error("config must be a JSON object");

    MqttConfig c;
    std::string protocol = "3.1.1", timestampUnit = "ms";
    for (const sdk::Status &s : {read(doc, "host", c.host),
                                 read(doc, "port", c.port),
                                 read(doc, "protocol", protocol),
                                 read(doc, "clientId", c.clientId),
                                 read(doc, "cleanSession", c.cleanSession),
                                 read(doc, "keepAliveSeconds", c.keepAliveSeconds),
                                 read(doc, "sessionExpirySeconds", c.sessionExpirySeconds),
                                 read(doc, "username", c.username),
                                 read(doc, "password", c.password),
                                 read(doc, "caFile", c.caFile),
                                 read(doc, "caPath", c.caPath),
                                 read(doc, "certFile", c.certFile),
                                 read(doc, "keyFile", c.keyFile),
                                 read(doc, "tlsInsecure", c.tlsInsecure),
                                 read(doc, "topics", c.topics),
                                 read(doc, "qos", c.qos),
                                 read(doc, "emitUnmapped", c.emitUnmapped),
                                 read(doc, "timestampField", c.timestampField),
                                 read(doc, "timestampUnit", timestampUnit),
                                 read(doc, "messageIdField", c.messageIdField),
                                 read(doc, "reconnectMinMs", c.reconnectMinMs),
                                 read(doc, "reconnectMaxMs", c.reconnectMaxMs),
                                 read(doc, "dedupCapacity", c.dedupCapacity)})
        if (!s)
            return s;

    if (c.host.empty())
        return sdk::Status::error("config key \"host\" is empty");
    if (c.port < 1 || c.port > 65535)
        return sdk::Status::error("config key \"port\" must be 1..65535");
    if (protocol == "3.1.1" || protocol == "4")
        c.protocol = 4;
    else if (protocol == "5" || protocol == "5.0")
        c.protocol = 5;
    else
        return sdk::Status::error("config key \"protocol\" must be \"3.1.1\" or \"5\"");
    if (!c.cleanSession && c.clientId.empty())
        return sdk::Status::error("config key \"clientId\" is required for a persistent session "
                                  "(cleanSession false)");
    if (c.qos != 0 && c.qos != 1)
        return sdk::Status::error("config key \"qos\" must be 0 or 1");
    if (c.topics.empty())
        return sdk::Status::error("config key \"topics\" lists no topic filter");
    for (const auto &topic : c.topics)
        if (auto s = checkFilter(topic, "topics"); !s)
            return s;
    if (c.keepAliveSeconds < 5)
        return sdk::Status::error("config key \"keepAliveSeconds\" must be at least 5");
    if (c.reconnectMinMs < 10 || c.reconnectMaxMs < c.reconnectMinMs)
        return sdk::Status::error("config keys \"reconnectMinMs\"/\"reconnectMaxMs\": need 10 <= min <= max");
    if (c.dedupCapacity == 0)
        return sdk::Status::error("config key \"dedupCapacity\" must be positive");
    if (timestampUnit == "s")
        c.timestampUnitNs = 1'000'000'000;
    else if (timestampUnit == "ms")
        c.timestampUnitNs = 1'000'000;
    else if (timestampUnit == "us")
        c.timestampUnitNs = 1'000;
    else if (timestampUnit == "ns")
        c.timestampUnitNs = 1;
    else
        return sdk::Status::error("config key \"timestampUnit\" must be s, ms, us or ns");

    // TLS: on when the "tls" key is true or any certificate key is given.
    read(doc, "tls", c.tls);
    c.tls = c.tls || !c.caFile.empty() || !c.caPath.empty() || !c.certFile.empty();
    if (c.tls && c.caFile.empty() && c.caPath.empty())
        return sdk::Status::error("config key \"caFile\" or \"caPath\" is required for TLS");
    if (c.certFile.empty() != c.keyFile.empty())
        return sdk::Status::error("config keys \"certFile\" and \"keyFile\" go together");
    for (const auto &[path, key] :
         {std::pair{c.caFile, "caFile"}, std::pair{c.certFile, "certFile"}, std::pair{c.keyFile, "keyFile"}})
        if (auto s = checkFile(path, key); !s)
            return s;

    if (doc.contains("mappings")) {
        if (!doc["mappings"].is_array())
            return sdk::Status::error("config key \"mappings\" must be an array");
        for (const auto &entry : doc["mappings"]) {
            Mapping m;
            if (!entry.is_object() || !entry.contains("topic") || !entry["topic"].is_string() ||
                !entry.contains("field") || !entry["field"].is_string() || !entry.contains("signal") ||
                !entry["signal"].is_string())
                return sdk::Status::error("config key \"mappings\": each entry needs string topic, field "
                                          "and signal");
            m.topicFilter = entry["topic"].get<std::string>();
            m.field = entry["field"].get<std::string>();
            m.signal = entry["signal"].get<std::string>();
            if (auto s = checkFilter(m.topicFilter, "mappings.topic"); !s)
                return s;
            c.mappings.push_back(std::move(m));
        }
    }
    config = std::move(c);
    return sdk::Status::ok();
}

} // namespace twin::connmqtt
