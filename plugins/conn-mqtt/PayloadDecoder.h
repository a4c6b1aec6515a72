#pragma once
// Turns one MQTT message into raw records. Three payload shapes, detected in this order:
//   Sparkplug-B-style JSON: an object with a "metrics" array of {name, timestamp?, dataType?, value}
//     (also when wrapped as {"payload": {...}}); field = metric name; time = metric timestamp, else the
//     payload's "timestamp".
//   Ditto protocol message: an object with string "topic" (containing "/things/"), string "path" and "value";
//     field = path + the JSON pointer of each leaf inside value; Ditto error responses are reported as
//     problems.
//   Any other JSON: every scalar leaf becomes a record, field = its JSON pointer ("/a/b", "/list/0"); a bare
//     scalar payload has field "". The timestamp field and the message id field are not emitted as records.
// Values: numbers as double, booleans as 0/1, strings as text; null is skipped.
// Timestamps: numbers in the configured unit (ms by default), digit strings likewise, ISO 8601 strings
// ("2024-05-07T12:00:00.250Z", "+02:00" offsets; no zone means UTC). A message whose timestamp cannot be read
// is dropped and reported: a guessed time would be worse than none.
#include "MqttConfig.h"

#include "twin/sdk/SampleSink.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twin::connmqtt {

struct DecodedMessage
{
    std::vector<sdk::RawRecord> records;
    std::vector<std::string> problems; // reasons; empty when all went well
    std::string messageId;             // from config.messageIdField when present
};

DecodedMessage decodePayload(const std::string &topic, std::string_view payload, sdk::TimeNs receiveTime,
                             const MqttConfig &config);

// ISO 8601 date-time to ns since the epoch (UTC); nullopt when it is not one.
std::optional<sdk::TimeNs> parseIsoTime(std::string_view text);

} // namespace twin::connmqtt
