#pragma once
// The conn-mqtt config, parsed from the JSON handed to Connector::configure(). Keys are listed in
// plugins/README.md; every error names the key.
#include "twin/sdk/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace twin::connmqtt {

struct Mapping
{
    std::string topicFilter; // MQTT filter, wildcards allowed
    std::string field;       // JSON pointer ("/flow"), Sparkplug metric name ("Inputs/A") or Ditto path
    std::string signal;      // the name the record carries in RawRecord::signal
};

struct MqttConfig
{
    std::string host = "127.0.0.1";
    int port = 1883;
    int protocol = 4;          // 4 = MQTT 3.1.1, 5 = MQTT 5
    std::string clientId;      // required unless cleanSession
    bool cleanSession = false; // false: persistent session, QoS 1 data sent while we are away is kept
    int keepAliveSeconds = 30;
    std::uint32_t sessionExpirySeconds = 86400; // MQTT 5 only; 0 would end the session on disconnect
    std::string username;
    std::string password;
    bool tls = false;
    std::string caFile;
    std::string caPath;
    std::string certFile;
    std::string keyFile;
    bool tlsInsecure = false; // skip host name verification (test brokers only)
    std::vector<std::string> topics;
    int qos = 1;
    std::vector<Mapping> mappings;
    bool emitUnmapped = true;   // records no mapping names still go to the sink, with an empty signal
    std::string timestampField; // JSON pointer of the message timestamp; empty: "/timestamp", "/ts", "/time"
    std::int64_t timestampUnitNs = 1'000'000; // numeric timestamps: ms by default ("s", "ms", "us", "ns")
    std::string messageIdField; // JSON pointer of a unique message id; when set, de-duplication keys on it
    int reconnectMinMs = 500;
    int reconnectMaxMs = 30000;
    std::size_t dedupCapacity = 65536; // keys remembered for de-duplication (oldest forgotten first)
};

sdk::Status parseConfig(const std::string &json, MqttConfig &config);

} // namespace twin::connmqtt
