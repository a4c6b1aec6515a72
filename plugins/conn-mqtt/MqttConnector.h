#pragma once
// The MQTT connector: one libmosquitto client driven by its own network thread.
//
// Threads: configure/start/pause/resume/stop run on the host's control thread. The network thread connects,
// reconnects with exponential back-off, resubscribes after every CONNACK, decodes messages and calls the
// SampleSink (so every sink call comes from that thread). state() is readable from any thread.
// Pause disconnects cleanly and keeps the persistent session: the broker queues QoS 1 messages until resume.
#include "Deduplicator.h"
#include "MqttConfig.h"

#include "twin/sdk/Connector.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

struct mosquitto;
struct mosquitto_message;
typedef struct mqtt5__property mosquitto_property;

namespace twin::connmqtt {

class MqttConnector final : public sdk::Connector
{
public:
    MqttConnector();
    ~MqttConnector() override;

    sdk::Capability capabilities() const override;
    sdk::Status configure(const std::string &jsonConfig) override;
    sdk::Status start(sdk::SampleSink *sink) override;
    sdk::Status pause() override;
    sdk::Status resume() override;
    void stop() override;
    sdk::ConnectorState state() const override { return m_state.load(); }
    std::string failureMessage() const override;

private:
    void run();
    bool connectOnce(std::string &reason);
    void loopWhileConnected(std::string &reason);
    void waitBackoff(int attempt);
    void fail(const std::string &message);
    bool interrupted() const { return m_stopRequested || m_pauseRequested; }

    static void onConnect(mosquitto *, void *self, int rc, int flags, const mosquitto_property *);
    static void onMessage(mosquitto *, void *self, const mosquitto_message *message,
                          const mosquitto_property *);
    void handleMessage(const mosquitto_message &message);
    const std::string *signalFor(const std::string &topic, const std::string &field) const;

    MqttConfig m_config;
    std::atomic<sdk::ConnectorState> m_state{sdk::ConnectorState::Created};
    mutable std::mutex m_failureMutex;
    std::string m_failure;

    sdk::SampleSink *m_sink = nullptr; // Not owned.
    mosquitto *m_mosq = nullptr;       // Owned; created by start, destroyed by stop.
    std::thread m_thread;
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_stopRequested{false};
    std::atomic<bool> m_pauseRequested{false};

    // Network thread only.
    Deduplicator m_dedup;
    bool m_connected = false;
    bool m_fatal = false;
    std::string m_fatalReason;
};

} // namespace twin::connmqtt
