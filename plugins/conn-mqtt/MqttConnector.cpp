#include "MqttConnector.h"

#include "PayloadDecoder.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>

namespace twin::connmqtt {

namespace {

using sdk::ConnectorState;
using sdk::LinkEvent;
using sdk::LinkState;

sdk::TimeNs nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void libraryInit()
{
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); }); // never cleaned up: other plugins may share it
}

// CONNACK codes after which retrying cannot help (bad credentials, banned, unsupported protocol).
bool isFatalConnack(int rc)
{
    switch (rc) {
    case 1: // 3.1.1: unacceptable protocol version
    case 2: // 3.1.1: identifier rejected
    case 4: // 3.1.1: bad user name or password
    case 5: // 3.1.1: not authorized
    case MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION:
    case MQTT_RC_CLIENTID_NOT_VALID:
    case MQTT_RC_BAD_USERNAME_OR_PASSWORD:
    case MQTT_RC_NOT_AUTHORIZED:
    case MQTT_RC_BANNED:
    case MQTT_RC_BAD_AUTHENTICATION_METHOD:
        return true;
    default:
        return false;
    }
}

std::string valueKey(const std::variant<double, std::string> &value)
{
    if (const double *d = std::get_if<double>(&value)) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "d%.17g", *d);
        return buffer;
    }
    return "s" + std::get<std::string>(value);
}

} // namespace

MqttConnector::MqttConnector()
{
    libraryInit();
}

MqttConnector::~MqttConnector()
{
    stop();
}

sdk::Capability MqttConnector::capabilities() const
{
    using C = sdk::Capability;
    return C::Live | C::Pausable | C::Tls | C::Auth | C::QoS1 | C::PersistentSession | C::Wildcards |
           C::Reconnect;
}

std::string MqttConnector::failureMessage() const
{
    std::lock_guard lock(m_failureMutex);
    return m_failure;
}

sdk::Status MqttConnector::configure(const std::string &jsonConfig)
{
    const ConnectorState s = m_state;
    if (s != ConnectorState::Created && s != ConnectorState::Configured && s != ConnectorState::Stopped)
        return sdk::Status::error(std::string("configure is not allowed while ") +
                                  sdk::connectorStateName(s));
    MqttConfig config;
    if (sdk::Status parsed = parseConfig(jsonConfig, config); !parsed)
        return parsed;
    m_config = std::move(config);
    m_state = ConnectorState::Configured;
    return sdk::Status::ok();
}

sdk::Status MqttConnector::start(sdk::SampleSink *sink)
{
    const ConnectorState s = m_state;
    if (s != ConnectorState::Configured && s != ConnectorState::Stopped)
        return sdk::Status::error(std::string("start is not allowed while ") + sdk::connectorStateName(s));
    if (!sink)
        return sdk::Status::error("start needs a sample sink");

    const MqttConfig &c = m_config;
    mosquitto *mosq = mosquitto_new(c.clientId.empty() ? nullptr : c.clientId.c_str(), c.cleanSession, this);
    if (!mosq)
        return sdk::Status::error("cannot create the MQTT client: " + std::string(std::strerror(errno)));
    auto bail = [&](const std::string &what, int rc) {
        mosquitto_destroy(mosq);
        return sdk::Status::error(what + ": " + mosquitto_strerror(rc));
    };
    int rc = mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION,
                                  c.protocol == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
    if (rc != MOSQ_ERR_SUCCESS)
        return bail("cannot set the protocol version", rc);
    if (!c.username.empty() &&
        (rc = mosquitto_username_pw_set(mosq, c.username.c_str(),
                                        c.password.empty() ? nullptr : c.password.c_str())))
        return bail("cannot set user name and password", rc);
    if (c.tls) {
        auto opt = [](const std::string &s) { return s.empty() ? nullptr : s.c_str(); };
        if ((rc = mosquitto_tls_set(mosq, opt(c.caFile), opt(c.caPath), opt(c.certFile), opt(c.keyFile),
                                    nullptr)))
            return bail("cannot set up TLS (caFile " + c.caFile + ", certFile " + c.certFile + ")", rc);
        if (c.tlsInsecure)
            mosquitto_tls_insecure_set(mosq, true);
    }
    mosquitto_connect_v5_callback_set(mosq, &MqttConnector::onConnect);
    mosquitto_message_v5_callback_set(mosq, &MqttConnector::onMessage);

    m_mosq = mosq;
    m_sink = sink;
    m_dedup = Deduplicator(c.dedupCapacity);
    m_stopRequested = false;
    m_pauseRequested = false;
    m_fatal = false;
    m_state = ConnectorState::Running;
    m_thread = std::thread([this] { run(); });
    return sdk::Status::ok();
}

sdk::Status MqttConnector::pause()
{
    if (m_state != ConnectorState::Running)
        return sdk::Status::error(std::string("pause is not allowed while ") +
                                  sdk::connectorStateName(m_state));
    m_pauseRequested = true;
    m_state = ConnectorState::Paused;
    m_wake.notify_all();
    return sdk::Status::ok();
}

sdk::Status MqttConnector::resume()
{
    if (m_state != ConnectorState::Paused)
        return sdk::Status::error(std::string("resume is not allowed while ") +
                                  sdk::connectorStateName(m_state));
    {
        std::lock_guard lock(m_wakeMutex);
        m_pauseRequested = false;
    }
    m_state = ConnectorState::Running;
    m_wake.notify_all();
    return sdk::Status::ok();
}

void MqttConnector::stop()
{
    {
        std::lock_guard lock(m_wakeMutex);
        m_stopRequested = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        if (m_thread.get_id() == std::this_thread::get_id())
            return; // called from a sink callback: the thread ends by itself; the next stop() joins it
        m_thread.join();
    }
    if (m_mosq) {
        mosquitto_destroy(m_mosq);
        m_mosq = nullptr;
    }
    m_sink = nullptr;
    ConnectorState s = m_state;
    if (s == ConnectorState::Running || s == ConnectorState::Paused)
        m_state.compare_exchange_strong(s, ConnectorState::Stopped);
}

void MqttConnector::fail(const std::string &message)
{
    {
        std::lock_guard lock(m_failureMutex);
        m_failure = message;
    }
    m_state = ConnectorState::Failed;
    m_sink->onStateChanged(ConnectorState::Failed, message);
}

void MqttConnector::run()
{
    int attempt = 0; // failed attempts since the last CONNACK
    while (!m_stopRequested) {
        if (m_pauseRequested) {
            std::unique_lock lock(m_wakeMutex);
            m_wake.wait(lock, [this] { return m_stopRequested || !m_pauseRequested; });
            attempt = 0;
            continue;
        }
        if (attempt == 0)
            m_sink->onLinkEvent(LinkEvent{LinkState::Connecting, {}, 0, {}});
        std::string reason;
        if (connectOnce(reason)) {
            loopWhileConnected(reason);
            if (m_connected)
                attempt = 0;
            m_connected = false;
            if (m_fatal) {
                fail(m_fatalReason);
                return;
            }
            if (interrupted()) {
                mosquitto_disconnect(m_mosq);
                m_sink->onLinkEvent(
                    LinkEvent{LinkState::Disconnected, m_stopRequested ? "stopped" : "paused", 0, {}});
                continue;
            }
        }
        m_sink->onLinkEvent(LinkEvent{LinkState::Disconnected, reason, 0, {}});
        waitBackoff(++attempt);
    }
}

bool MqttConnector::connectOnce(std::string &reason)
{
    const MqttConfig &c = m_config;
    mosquitto_property *props = nullptr;
    if (c.protocol == 5 && !c.cleanSession)
        mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, c.sessionExpirySeconds);
    errno = 0;
    const int rc = c.protocol == 5 ? mosquitto_connect_bind_v5(m_mosq, c.host.c_str(), c.port,
                                                               c.keepAliveSeconds, nullptr, props)
                                   : mosquitto_connect(m_mosq, c.host.c_str(), c.port, c.keepAliveSeconds);
    mosquitto_property_free_all(&props);
    if (rc == MOSQ_ERR_SUCCESS)
        return true;
    reason = rc == MOSQ_ERR_ERRNO ? std::string(std::strerror(errno)) : std::string(mosquitto_strerror(rc));
    reason = "cannot connect to " + c.host + ":" + std::to_string(c.port) + ": " + reason;
    return false;
}

void MqttConnector::loopWhileConnected(std::string &reason)
{
    while (!interrupted() && !m_fatal) {
        const int rc = mosquitto_loop(m_mosq, 100, 1);
        if (rc != MOSQ_ERR_SUCCESS) {
            reason = rc == MOSQ_ERR_ERRNO ? std::string(std::strerror(errno))
                                          : std::string(mosquitto_strerror(rc));
            if (rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_NO_CONN)
                reason = "connection lost";
            return;
        }
    }
    if (interrupted() && m_connected) {
        // Send DISCONNECT and let the loop flush it; the persistent session stays on the broker.
        mosquitto_disconnect(m_mosq);
        for (int i = 0; i < 10 && mosquitto_loop(m_mosq, 50, 1) == MOSQ_ERR_SUCCESS; ++i) {
        }
    }
}

void MqttConnector::waitBackoff(int attempt)
{
    const int shift = std::min(attempt - 1, 20);
    const long long delay = std::min<long long>(static_cast<long long>(m_config.reconnectMinMs) << shift,
                                                m_config.reconnectMaxMs);
    m_sink->onLinkEvent(LinkEvent{LinkState::Reconnecting, {}, attempt, std::chrono::milliseconds(delay)});
    std::unique_lock lock(m_wakeMutex);
    m_wake.wait_for(lock, std::chrono::milliseconds(delay), [this] { return interrupted(); });
}

void MqttConnector::onConnect(mosquitto *mosq, void *selfPtr, int rc, int flags, const mosquitto_property *)
{
    auto *self = static_cast<MqttConnector *>(selfPtr);
    if (rc != 0) {
        const std::string text =
            "broker refused the connection: " + std::string(mosquitto_connack_string(rc));
        if (isFatalConnack(rc)) {
            self->m_fatal = true;
            self->m_fatalReason = text;
        }
        mosquitto_disconnect(mosq);
        return;
    }
    self->m_connected = true;
    // Resubscribe after every CONNACK: harmless with a restored session, essential when the broker lost it.
    for (const auto &topic : self->m_config.topics) {
        const int sub = mosquitto_subscribe(mosq, nullptr, topic.c_str(), self->m_config.qos);
        if (sub != MOSQ_ERR_SUCCESS)
            self->m_sink->onProblem(
                {topic, std::string("cannot subscribe: ") + mosquitto_strerror(sub), nowNs()});
    }
    self->m_sink->onLinkEvent(
        LinkEvent{LinkState::Connected, (flags & 1) ? "session present" : "new session", 0, {}});
}

void MqttConnector::onMessage(mosquitto *, void *selfPtr, const mosquitto_message *message,
                              const mosquitto_property *)
{
    static_cast<MqttConnector *>(selfPtr)->handleMessage(*message);
}

const std::string *MqttConnector::signalFor(const std::string &topic, const std::string &field) const
{
    for (const auto &m : m_config.mappings) {
        if (m.field != field)
            continue;
        bool matches = false;
        if (mosquitto_topic_matches_sub(m.topicFilter.c_str(), topic.c_str(), &matches) == MOSQ_ERR_SUCCESS &&
            matches)
            return &m.signal;
    }
    return nullptr;
}

void MqttConnector::handleMessage(const mosquitto_message &message)
{
    // Delivered even while a pause or stop is pending: libmosquitto has already acknowledged it.
    const sdk::TimeNs received = nowNs();
    const std::string topic = message.topic ? message.topic : "";
    const std::string_view payload(static_cast<const char *>(message.payload),
                                   message.payload ? static_cast<std::size_t>(message.payloadlen) : 0);
    DecodedMessage decoded = decodePayload(topic, payload, received, m_config);
    for (const auto &reason : decoded.problems)
        m_sink->onProblem({topic, reason, received});

    if (!decoded.messageId.empty() && !m_dedup.firstTime("m\x1f" + topic + '\x1f' + decoded.messageId))
        return;
    std::vector<sdk::RawRecord> batch;
    batch.reserve(decoded.records.size());
    for (auto &record : decoded.records) {
        if (decoded.messageId.empty() && record.sourceTime &&
            !m_dedup.firstTime("r\x1f" + topic + '\x1f' + record.field + '\x1f' +
                               std::to_string(*record.sourceTime) + '\x1f' + valueKey(record.value)))
            continue;
        if (const std::string *signal = signalFor(topic, record.field))
            record.signal = *signal;
        else if (!m_config.emitUnmapped)
            continue;
        batch.push_back(std::move(record));
    }
    if (!batch.empty())
        m_sink->onRecords(std::move(batch));
}

} // namespace twin::connmqtt
