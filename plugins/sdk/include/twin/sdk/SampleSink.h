#pragma once
// What a connector hands to the host: batches of raw records, link events and problem reports.
//
// Thread rule: every SampleSink method is called from the connector's own worker thread (for MQTT: its
// network thread), never from the thread that called Connector::start(), and never concurrently with another
// SampleSink call of the same connector. Implementations must return quickly (copy into a queue) and must not
// call back into the connector (stop() from inside a callback is refused, it would wait on itself).
#include "twin/sdk/ConnectorState.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace twin::sdk {

// Nanoseconds since the Unix epoch, UTC (same unit as twin::model::TimeNs).
using TimeNs = std::int64_t;

// One value as it arrived, before any unit conversion or quality check.
struct RawRecord
{
    std::string source; // where it came from: the MQTT topic, a file name
    std::string field;  // path inside the payload: JSON pointer, Sparkplug metric name, column
    std::string signal; // mapped signal name from the connector config; empty when unmapped
    std::variant<double, std::string> value; // numbers and booleans (0/1) as double, everything else as text
    std::optional<TimeNs> sourceTime;        // from the payload when present and valid
    TimeNs receiveTime = 0;                  // when the connector received it
};

enum class LinkState : std::uint8_t
{
    Connecting,
    Connected,
    Disconnected,
    Reconnecting
};

struct LinkEvent
{
    LinkState state = LinkState::Connecting;
    std::string reason;                 // Disconnected: why (broker gone, keep-alive, refused, ...)
    int attempt = 0;                    // Reconnecting: 1 for the first retry
    std::chrono::milliseconds delay{0}; // Reconnecting: wait before this attempt
};

// A message that could not be turned into records (malformed JSON, bad timestamp, unsupported value type).
struct Problem
{
    std::string source; // topic or file
    std::string reason; // what is wrong, with the offending field where known
    TimeNs receiveTime = 0;
};

class SampleSink
{
public:
    virtual ~SampleSink() = default;
    // One batch per received message (or file chunk). Ownership of the batch moves to the sink.
    virtual void onRecords(std::vector<RawRecord> &&batch) = 0;
    virtual void onLinkEvent(const LinkEvent &event) = 0;
    virtual void onProblem(const Problem &problem) = 0;
    // Lifecycle changes the connector makes by itself (Failed); message says why. Default: ignore.
    virtual void onStateChanged(ConnectorState state, const std::string &message) {}
};

inline const char *linkStateName(LinkState state)
{
    switch (state) {
    case LinkState::Connecting:
        return "Connecting";
    case LinkState::Connected:
        return "Connected";
    case LinkState::Disconnected:
        return "Disconnected";
    case LinkState::Reconnecting:
        return "Reconnecting";
    }
    return "?";
}

} // namespace twin::sdk
