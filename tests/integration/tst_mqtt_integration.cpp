// conn-mqtt against a real Mosquitto broker on 127.0.0.1: what exactly reaches the sink (values, source
// times, de-duplicated repeats, malformed payloads reported), then a broker restart mid-stream with QoS 1:
// nothing the publisher got a PUBACK for is lost, nothing arrives twice.
#include "MqttTestBroker.h"
#include "SharedData.h"

#include "twin/model/pluginhost/PluginHost.h"

#include <mosquitto.h>

#include <QtTest>

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>

namespace sdk = twin::sdk;

namespace {

class RecordingSink : public sdk::SampleSink
{
public:
    void onRecords(std::vector<sdk::RawRecord> &&batch) override
    {
        std::lock_guard lock(m_mutex);
        for (auto &r : batch)
            m_records.push_back(std::move(r));
    }
    void onLinkEvent(const sdk::LinkEvent &event) override
    {
        std::lock_guard lock(m_mutex);
        m_events.push_back(event);
    }
    void onProblem(const sdk::Problem &problem) override
    {
        std::lock_guard lock(m_mutex);
        m_problems.push_back(problem);
    }
    int countReason(const std::string &reason) const
    {
        std::lock_guard lock(m_mutex);
        return int(
            std::count_if(m_events.begin(), m_events.end(), [&](auto &e) { return e.reason == reason; }));
    }
    std::vector<sdk::RawRecord> records() const
    {
        std::lock_guard lock(m_mutex);
        return m_records;
    }
    std::vector<sdk::Problem> problems() const
    {
        std::lock_guard lock(m_mutex);
        return m_problems;
    }
    int count(sdk::LinkState state) const
    {
        std::lock_guard lock(m_mutex);
        return int(
            std::count_if(m_events.begin(), m_events.end(), [&](auto &e) { return e.state == state; }));
    }

private:
    mutable std::mutex m_mutex;
    std::vector<sdk::RawRecord> m_records;
    std::vector<sdk::LinkEvent> m_events;
    std::vector<sdk::Problem> m_problems;
};

// A QoS 1 publisher on libmosquitto's own thread that reconnects by itself (after 1 s: libmosquitto counts
// the delay in seconds). Like a device with store-and-forward it keeps messages libmosquitto refuses while
// disconnected and hands them over again later. Remembers which messages got a PUBACK.
class Publisher
{
public:
    Publisher(const char *clientId, int port, const std::function<void(mosquitto *)> &setup = {})
    {
        m_mosq = mosquitto_new(clientId, false, this);
        if (setup)
            setup(m_mosq);
        mosquitto_publish_callback_set(m_mosq, [](mosquitto *, void *self, int mid) {
            auto *p = static_cast<Publisher *>(self);
            std::lock_guard lock(p->m_mutex);
            p->m_ackedMids.insert(mid);
        });
        mosquitto_reconnect_delay_set(m_mosq, 1, 1, false);
        m_connected = mosquitto_connect(m_mosq, "127.0.0.1", port, 10) == MOSQ_ERR_SUCCESS &&
                      mosquitto_loop_start(m_mosq) == MOSQ_ERR_SUCCESS;
    }
    ~Publisher()
    {
        mosquitto_disconnect(m_mosq);
        mosquitto_loop_stop(m_mosq, false);
        mosquitto_destroy(m_mosq);
    }
    bool connected() const { return m_connected; }
    void publish(const QByteArray &topic, const QByteArray &payload, int key = -1)
    {
        std::lock_guard lock(m_mutex);
        m_backlog.push_back({topic, payload, key});
        flushLocked();
    }
    // Hands backlog messages to libmosquitto; true when none is left.
    bool flush()
    {
        std::lock_guard lock(m_mutex);
        return flushLocked();
    }
    std::set<int> ackedKeys() const
    {
        std::lock_guard lock(m_mutex);
        std::set<int> keys;
        for (int mid : m_ackedMids)
            if (auto it = m_keyByMid.find(mid); it != m_keyByMid.end())
                keys.insert(it->second);
        return keys;
    }
    bool allAcked()
    {
        std::lock_guard lock(m_mutex);
        if (!flushLocked())
            return false;
        for (const auto &entry : m_keyByMid)
            if (!m_ackedMids.count(entry.first))
                return false;
        return true;
    }

private:
    struct Pending
    {
        QByteArray topic, payload;
        int key;
    };
    bool flushLocked()
    {
        while (!m_backlog.empty()) {
            const Pending &p = m_backlog.front();
            int mid = 0;
            const int rc = mosquitto_publish(m_mosq, &mid, p.topic.constData(), int(p.payload.size()),
                                             p.payload.constData(), 1, false);
            if (rc != MOSQ_ERR_SUCCESS)
                return false; // not connected: keep it for later
            m_keyByMid[mid] = p.key;
            m_backlog.pop_front();
        }
        return true;
    }

    mosquitto *m_mosq = nullptr;
    bool m_connected = false;
    mutable std::mutex m_mutex;
    std::deque<Pending> m_backlog;
    std::map<int, int> m_keyByMid;
    std::set<int> m_ackedMids;
};

QByteArray sharedPayload(const char *relative)
{
    QFile file(QString(TWIN_SHARED_DATA "/mqtt/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QString text(const sdk::RawRecord &r)
{
    const QString value = std::holds_alternative<double>(r.value)
                              ? QString::number(std::get<double>(r.value))
                              : QString::fromStdString(std::get<std::string>(r.value));
    return QString::fromStdString(r.source + " " + r.field + " [" + r.signal + "] = ") + value + " @" +
           (r.sourceTime ? QString::number(*r.sourceTime / 1'000'000) : QString("-"));
}

constexpr qint64 kMs = 1'000'000;

} // namespace

class TestMqttIntegration : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deliversExactlyWhatWasPublished();
    void brokerRestartLosesNoQoS1Message();
    void tlsWithPasswordAndTerminalFailure();
    void cleanupTestCase();

private:
    twin::model::ConnectorPtr makeConnector(const QString &configJson);

    std::unique_ptr<MqttTestBroker> m_broker;
    twin::model::PluginHost m_host;
};

void TestMqttIntegration::initTestCase()
{
    mosquitto_lib_init();
    if (MqttTestBroker::executable().isEmpty())
        QSKIP("mosquitto is not installed (apt install mosquitto)");
    QVERIFY(m_host.scan(TWIN_PLUGIN_DIR).ok());
    QVERIFY2(m_host.find("twin.conn-mqtt"), "twin-conn-mqtt.so missing in " TWIN_PLUGIN_DIR);
    m_broker = std::make_unique<MqttTestBroker>();
    QString error;
    QVERIFY2(m_broker->start(&error), qPrintable(error));
}

void TestMqttIntegration::cleanupTestCase()
{
    m_broker.reset(); // stops the broker by its pid
    mosquitto_lib_cleanup();
}

twin::model::ConnectorPtr TestMqttIntegration::makeConnector(const QString &configJson)
{
    auto connector = m_host.createConnector("twin.conn-mqtt");
    if (!connector.ok())
        return nullptr;
    const auto status = connector.value()->configure(configJson.toStdString());
    if (!status) {
        qWarning("%s", status.message().c_str());
        return nullptr;
    }
    return std::move(connector.value());
}

void TestMqttIntegration::deliversExactlyWhatWasPublished()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA(); // publishes the shared Sparkplug B and Ditto payloads
    auto connector = makeConnector(QString(R"({"host": "127.0.0.1", "port": %1, "protocol": "5",
        "clientId": "tst-decode", "cleanSession": false, "qos": 1, "reconnectMinMs": 50, "reconnectMaxMs": 400,
        "topics": ["plant/#", "spBv1.0/#", "ditto/#"],
        "mappings": [{"topic": "plant/+/pump1", "field": "/flow", "signal": "P1.flow"},
                     {"topic": "spBv1.0/+/DDATA/#", "field": "Inputs/A", "signal": "Pibrella.A"}]})")
                                       .arg(m_broker->port()));
    QVERIFY(connector);
    RecordingSink sink;
    QVERIFY(connector->start(&sink));
    QVERIFY(QTest::qWaitFor([&] { return sink.count(sdk::LinkState::Connected) == 1; }, 5000));

    Publisher pub("tst-decode-pub", m_broker->port());
    QVERIFY(pub.connected());
    const QByteArray sparkplug = [] {
        // The spec renders Sparkplug JSON wrapped in {"payload": ...}; publish it as the shared file has it.
        return sharedPayload("sparkplug-b/05_DDATA.json");
    }();
    QVERIFY(!sparkplug.isEmpty());
    const QByteArray ditto = sharedPayload("ditto/featurepropertymodified.json");
    QVERIFY(!ditto.isEmpty());
    pub.publish("plant/a/pump1", R"({"timestamp": 1700000002000, "flow": 12.5, "state": "on"})");
    pub.publish("plant/a/pump1", R"({"timestamp": 1700000001000, "flow": 11})"); // out of order
    pub.publish("plant/a/pump1", R"({"timestamp": 1700000002000, "flow": 12.5, "state": "on"})"); // dup
    pub.publish("plant/a/pump1", "{\"flow\": 3, oops");                                           // malformed
    pub.publish("plant/a/pump1", R"({"timestamp": "2023-11-14T22:13:23.5+01:00", "flow": 13})");
    pub.publish("plant/a/pump1", R"({"timestamp": "yesterday", "flow": 1})"); // bad timestamp
    pub.publish("plant/b/meter", R"({"power": {"L1": 3.5}, "ok": true})");    // no timestamp
    pub.publish("spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella", sparkplug);
    pub.publish("spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella", sparkplug); // redelivery
    pub.publish("ditto/fancy-thing", ditto);
    pub.publish("plant/z/end", R"({"timestamp": 1700000009000, "end": 1})");

    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto records = sink.records();
            return !records.empty() && records.back().source == "plant/z/end";
        },
        5000));
    connector->stop();
    QCOMPARE(connector->state(), sdk::ConnectorState::Stopped);

    const qint64 isoTime = (1700000003 - 3600) * 1'000'000'000LL + 500 * kMs;
    const QStringList expected = {
        QString("plant/a/pump1 /flow [P1.flow] = 12.5 @1700000002000"),
        QString("plant/a/pump1 /state [] = on @1700000002000"),
        QString("plant/a/pump1 /flow [P1.flow] = 11 @1700000001000"),
        QString("plant/a/pump1 /flow [P1.flow] = 13 @%1").arg(isoTime / kMs),
        QString("plant/b/meter /ok [] = 1 @-"), // nlohmann/json orders object keys
        QString("plant/b/meter /power/L1 [] = 3.5 @-"),
        QString("spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella Inputs/A [Pibrella.A] = 1 "
                "@1486144502122"),
        QString("spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella Inputs/C [] = 1 @1486144502122"),
        QString("ditto/fancy-thing /features/accelerometer/properties/x [] = 42 @-"),
        QString("plant/z/end /end [] = 1 @1700000009000"),
    };
    QStringList actual;
    const auto records = sink.records();
    for (const auto &r : records)
        actual << text(r);
    QCOMPARE(actual, expected);
    for (const auto &r : records)
        QVERIFY(r.receiveTime > 1'600'000'000'000'000'000LL);
    QCOMPARE(*records[3].sourceTime, isoTime); // sub-millisecond exact

    const auto problems = sink.problems();
    QCOMPARE(problems.size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(problems[0].source), QString("plant/a/pump1"));
    QVERIFY2(QString::fromStdString(problems[0].reason).contains("malformed JSON"),
             problems[0].reason.c_str());
    QVERIFY2(QString::fromStdString(problems[1].reason).contains("yesterday"), problems[1].reason.c_str());
}

void TestMqttIntegration::brokerRestartLosesNoQoS1Message()
{
    auto connector = makeConnector(QString(R"({"port": %1, "protocol": "3.1.1", "clientId": "tst-restart",
        "qos": 1, "topics": ["seq/#"], "messageIdField": "/seq", "reconnectMinMs": 50, "reconnectMaxMs": 400})")
                                       .arg(m_broker->port()));
    QVERIFY(connector);
    RecordingSink sink;
    QVERIFY(connector->start(&sink));
    QVERIFY(QTest::qWaitFor([&] { return sink.count(sdk::LinkState::Connected) == 1; }, 5000));

    Publisher pub("tst-restart-pub", m_broker->port());
    QVERIFY(pub.connected());
    const qint64 base = 1700000000000;
    int seq = 0;
    auto publishSome = [&](int n) {
        for (int i = 0; i < n; ++i, ++seq) {
            const QByteArray payload = QString(R"({"seq": %1, "timestamp": %2, "v": %3})")
                                           .arg(seq)
                                           .arg(base + seq)
                                           .arg(seq * 0.5)
                                           .toUtf8();
            pub.publish("seq/a", payload, seq);
            QTest::qWait(5);
        }
    };
    publishSome(100);
    m_broker->stop(); // mid-stream: messages may be in flight to the broker and to the subscriber
    publishSome(40);  // while the broker is down: queued in the publisher
    QString error;
    QVERIFY2(m_broker->start(&error), qPrintable(error));
    publishSome(40); // while the publisher is still reconnecting
    QVERIFY(QTest::qWaitFor([&] { return sink.count(sdk::LinkState::Connected) >= 2; }, 5000));
    publishSome(60);
    // Subscriber away (pause disconnects, the persistent session stays): the broker must queue QoS 1 for it.
    QVERIFY(connector->pause());
    QVERIFY(QTest::qWaitFor([&] { return sink.countReason("paused") == 1; }, 5000));
    publishSome(40);
    QVERIFY2(QTest::qWaitFor([&] { return pub.allAcked(); }, 10000), "publisher did not get all PUBACKs");
    QVERIFY(connector->resume());
    publishSome(40);

    QVERIFY2(QTest::qWaitFor([&] { return pub.allAcked(); }, 10000), "publisher did not get all PUBACKs");
    const std::set<int> acked = pub.ackedKeys();
    QCOMPARE(int(acked.size()), seq);
    QVERIFY(QTest::qWaitFor(
        [&] {
            std::set<int> got;
            for (const auto &r : sink.records())
                if (r.field == "/v")
                    got.insert(int(*r.sourceTime - base * kMs) / int(kMs));
            return got.size() >= acked.size();
        },
        10000));
    QTest::qWait(300); // a late redelivery would show up here
    connector->stop();

    std::map<int, int> seen;
    for (const auto &r : sink.records()) {
        QCOMPARE(QString::fromStdString(r.field), QString("/v"));
        const int key = int((*r.sourceTime - base * kMs) / kMs);
        ++seen[key];
        QCOMPARE(std::get<double>(r.value), key * 0.5);
    }
    for (int key : acked)
        QVERIFY2(seen.count(key), qPrintable(QString("QoS 1 message %1 was acknowledged but lost").arg(key)));
    for (const auto &[key, n] : seen)
        QVERIFY2(n == 1, qPrintable(QString("message %1 delivered %2 times").arg(key).arg(n)));
    QVERIFY(sink.count(sdk::LinkState::Reconnecting) >= 1);
    QVERIFY(sink.count(sdk::LinkState::Connected) >= 3);
    // After the restart and after resume the broker still had our session (broker persistence on).
    QVERIFY(sink.countReason("session present") >= 2);
}

void TestMqttIntegration::tlsWithPasswordAndTerminalFailure()
{
    // A second broker: TLS only, user name and password required. Certificates made here with openssl.
    MqttTestBroker broker;
    const QString dir = broker.dir();
    QProcess shell;
    shell.setWorkingDirectory(dir);
    shell.setProcessChannelMode(QProcess::MergedChannels);
    shell.start("bash",
                {"-c", "set -e; ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';"
                       "openssl req -x509 $ec -keyout ca.key -out ca.crt -days 2 -subj /CN=TwinTestCA;"
                       "openssl req $ec -keyout server.key -out server.csr -subj /CN=127.0.0.1;"
                       "printf 'subjectAltName=IP:127.0.0.1' > san.ext;"
                       "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial "
                       "-out server.crt -days 2 -extfile san.ext;"
                       "mosquitto_passwd -b -c pw twin s3cret; chmod a+r *"});
    QVERIFY(shell.waitForFinished(20000));
    QVERIFY2(shell.exitCode() == 0, shell.readAll().constData());
    broker.setExtraConfig(QString("cafile %1/ca.crt\ncertfile %1/server.crt\nkeyfile %1/server.key\n"
                                  "password_file %1/pw\nallow_anonymous false\n")
                              .arg(dir));
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));

    const QString config =
        QString(R"({"port": %1, "clientId": "tst-tls", "topics": ["t/#"], "caFile": "%2/ca.crt",
        "username": "twin", "password": "%3", "reconnectMinMs": 50})");
    auto connector = makeConnector(config.arg(broker.port()).arg(dir).arg("s3cret"));
    QVERIFY(connector);
    RecordingSink sink;
    QVERIFY(connector->start(&sink));
    QVERIFY2(QTest::qWaitFor([&] { return sink.count(sdk::LinkState::Connected) == 1; }, 5000), broker.log());
    Publisher pub("tst-tls-pub", broker.port(), [&](mosquitto *m) {
        mosquitto_tls_set(m, (dir + "/ca.crt").toUtf8().constData(), nullptr, nullptr, nullptr, nullptr);
        mosquitto_username_pw_set(m, "twin", "s3cret");
    });
    QVERIFY(pub.connected());
    pub.publish("t/x", R"({"timestamp": 1700000000000, "v": 7})");
    QVERIFY(QTest::qWaitFor([&] { return sink.records().size() == 1; }, 5000));
    QCOMPARE(std::get<double>(sink.records()[0].value), 7.0);
    connector->stop();

    // A wrong password cannot be fixed by retrying: Failed, terminal, with the broker's reason.
    auto refused = makeConnector(config.arg(broker.port()).arg(dir).arg("wrong"));
    QVERIFY(refused);
    RecordingSink refusedSink;
    QVERIFY(refused->start(&refusedSink));
    QVERIFY(QTest::qWaitFor([&] { return refused->state() == sdk::ConnectorState::Failed; }, 5000));
    QVERIFY2(QString::fromStdString(refused->failureMessage()).contains("refused"),
             refused->failureMessage().c_str());
    refused->stop();
    QCOMPARE(refused->state(), sdk::ConnectorState::Failed);
    QVERIFY(!refused->start(&refusedSink));
    QVERIFY(!refused->configure(config.toStdString()));
}

QTEST_GUILESS_MAIN(TestMqttIntegration)
#include "tst_mqtt_integration.moc"
