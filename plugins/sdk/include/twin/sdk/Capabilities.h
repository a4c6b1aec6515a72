#pragma once
// What a plugin can do, as typed flags. The metadata JSON lists them by name (capabilityName); the host turns
// the names into these flags before any code of the plugin runs.
#include <cstdint>
#include <string_view>

namespace twin::sdk {

enum class Capability : std::uint32_t
{
    None = 0,
    Live = 1u << 0,              // data arrives as it happens (MQTT, OPC UA)
    Recorded = 1u << 1,          // replays stored data (CSV, JSONL)
    Seekable = 1u << 2,          // recorded source that can jump to a time
    Pausable = 1u << 3,          // pause()/resume() are supported
    Tls = 1u << 4,               // encrypted transport
    Auth = 1u << 5,              // username/password or client certificates
    QoS1 = 1u << 6,              // at-least-once delivery with duplicates removed by the plugin
    PersistentSession = 1u << 7, // messages sent while disconnected arrive after reconnect
    Wildcards = 1u << 8,         // subscriptions with wildcards
    Reconnect = 1u << 9,         // reconnects by itself with back-off
};

constexpr Capability operator|(Capability a, Capability b)
{
    return static_cast<Capability>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr Capability operator&(Capability a, Capability b)
{
    return static_cast<Capability>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
constexpr Capability &operator|=(Capability &a, Capability b)
{
    return a = a | b;
}
// True when every flag of `wanted` is set in `set`.
constexpr bool hasCapability(Capability set, Capability wanted)
{
    return wanted != Capability::None && (set & wanted) == wanted;
}

struct CapabilityName
{
    Capability flag;
    std::string_view name;
};
inline constexpr CapabilityName kCapabilityNames[] = {
    {Capability::Live, "live"},
    {Capability::Recorded, "recorded"},
    {Capability::Seekable, "seekable"},
    {Capability::Pausable, "pausable"},
    {Capability::Tls, "tls"},
    {Capability::Auth, "auth"},
    {Capability::QoS1, "qos1"},
    {Capability::PersistentSession, "persistentSession"},
    {Capability::Wildcards, "wildcards"},
    {Capability::Reconnect, "reconnect"},
};

// Unknown names give None: a plugin built against a newer minor may list flags this host does not know.
constexpr Capability capabilityFromName(std::string_view name)
{
    for (const auto &entry : kCapabilityNames)
        if (entry.name == name)
            return entry.flag;
    return Capability::None;
}

constexpr std::string_view capabilityName(Capability flag)
{
    for (const auto &entry : kCapabilityNames)
        if (entry.flag == flag)
            return entry.name;
    return {};
}

} // namespace twin::sdk
