#pragma once
// A telemetry connector (MQTT, file replay, ...). Created by a plugin's factory, owned by the host, destroyed
// through the plugin's destroy function (never `delete` on the host side: allocator of the plugin).
//
// Threads:
//   configure, start, pause, resume, stop and the destructor are called by the host's control thread: one
//   thread at a time, never concurrently, never from inside a SampleSink callback.
//   state(), failureMessage() and capabilities() may be called from any thread.
//   The connector calls its SampleSink from its own worker thread (see SampleSink.h).
//
// ABI: this is a C++ interface with std types. It is stable only between a host and plugins built with the
// same compiler family and standard library ABI (GCC/libstdc++ with the C++11 string ABI on Linux). We accept
// that for now: plugins are built in this tree. The C entry points in PluginApi.h take no std types, so a
// host can always read metadata and refuse a plugin safely; the SDK major version guards the C++ part.
#include "twin/sdk/Capabilities.h"
#include "twin/sdk/ConnectorState.h"
#include "twin/sdk/SampleSink.h"
#include "twin/sdk/Status.h"

#include <string>

namespace twin::sdk {

class Connector
{
public:
    virtual ~Connector() = default; // stops if still running; joins the worker thread

    virtual Capability capabilities() const = 0;

    // Parses and checks the JSON config (keys are per connector; see its README). Allowed in Created,
    // Configured and Stopped; moves to Configured. An error leaves the state unchanged.
    virtual Status configure(const std::string &jsonConfig) = 0;

    // Starts the worker thread, which calls `sink` until stop(). Not owned; must outlive stop().
    // Allowed in Configured and Stopped; moves to Running.
    virtual Status start(SampleSink *sink) = 0;

    // Only with Capability::Pausable, otherwise an error. Paused keeps no data flowing to the sink; what a
    // source does meanwhile is per connector (MQTT: disconnects, the persistent session queues QoS 1 data).
    virtual Status pause() = 0;
    virtual Status resume() = 0;

    // Stops and joins the worker; no sink call happens after it returns. Idempotent, allowed in every state;
    // Failed stays Failed.
    virtual void stop() = 0;

    virtual ConnectorState state() const = 0;
    // Why the connector failed; empty unless state() == Failed.
    virtual std::string failureMessage() const = 0;
};

} // namespace twin::sdk
