// The plugin host: metadata before code, SDK version refusal, malformed metadata, connector lifecycle, and
// the pinned C layouts of the SDK boundary (change them only together with TWIN_SDK_VERSION_MAJOR).
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/telemetry/LiveSession.h"

#include "twin/sdk/PluginApi.h"

#include <QtTest>

#include <cstddef>

using twin::model::PluginHost;
using twin::model::PluginInfo;
namespace sdk = twin::sdk;

class TestPluginHost : public QObject
{
    Q_OBJECT
private slots:
    void sdkAbiLayoutIsPinned();
    void capabilityFlagsArePinned();
    void scanReadsMqttMetadataWithoutCreating();
    void createsMqttConnectorAndFollowsLifecycle();
    void refusesPluginOfOtherSdkMajor();
    void malformedMetadataIsListedNotFatal();
    void libraryWithoutEntryPointsIsListed();
    void parseMetadata_data();
    void parseMetadata();
    void missingFolderIsAnError();
    void scanForOpensOnlyTheFileNamedAfterTheId();
    void liveSessionRefusesBadStarts();
};

namespace {

const PluginInfo *byFile(const std::vector<PluginInfo> &plugins, const QString &fileName)
{
    for (const auto &info : plugins)
        if (QFileInfo(QString::fromStdString(info.path)).fileName() == fileName)
            return &info;
    return nullptr;
}

class NullSink : public sdk::SampleSink
{
public:
    void onRecords(std::vector<sdk::RawRecord> &&) override {}
    void onLinkEvent(const sdk::LinkEvent &) override {}
    void onProblem(const sdk::Problem &) override {}
};

} // namespace

void TestPluginHost::sdkAbiLayoutIsPinned()
{
    // Version 1.0. Changing a layout below means a new major version and new numbers here.
    QCOMPARE(TWIN_SDK_VERSION_MAJOR, 4);
    QCOMPARE(TWIN_SDK_VERSION_MINOR, 0);
    QCOMPARE(TWIN_SDK_VERSION, 0x00040000);
    QCOMPARE(QByteArray(TWIN_SDK_VERSION_STRING), QByteArray("4.0"));

    static_assert(sizeof(void *) == 8, "layouts pinned for LP64");
    QCOMPARE(sizeof(TwinCreateRequest), std::size_t(16));
    QCOMPARE(offsetof(TwinCreateRequest, structSize), std::size_t(0));
    QCOMPARE(offsetof(TwinCreateRequest, hostSdkVersion), std::size_t(4));
    QCOMPARE(offsetof(TwinCreateRequest, objectKind), std::size_t(8));
    QCOMPARE(sizeof(TwinCreateResult), std::size_t(272));
    QCOMPARE(offsetof(TwinCreateResult, structSize), std::size_t(0));
    QCOMPARE(offsetof(TwinCreateResult, status), std::size_t(4));
    QCOMPARE(offsetof(TwinCreateResult, object), std::size_t(8));
    QCOMPARE(offsetof(TwinCreateResult, message), std::size_t(16));
    QCOMPARE(int(TWIN_CREATE_OK), 0);
    QCOMPARE(int(TWIN_CREATE_SDK_MISMATCH), 2);
    QCOMPARE(int(TWIN_CREATE_FAILED), 4);
    QCOMPARE(QByteArray(TWIN_PLUGIN_METADATA_SYMBOL), QByteArray("twin_plugin_metadata"));
    QCOMPARE(QByteArray(TWIN_PLUGIN_CREATE_SYMBOL), QByteArray("twin_plugin_create"));

    // The C++ side: enum values travel through the vtable, so they are pinned too.
    QCOMPARE(int(sdk::ConnectorState::Created), 0);
    QCOMPARE(int(sdk::ConnectorState::Failed), 5);
    QCOMPARE(int(sdk::LinkState::Reconnecting), 3);
    QCOMPARE(sizeof(sdk::ConnectorState), std::size_t(1));
}

void TestPluginHost::capabilityFlagsArePinned()
{
    QCOMPARE(std::uint32_t(sdk::Capability::Live), 1u);
    QCOMPARE(std::uint32_t(sdk::Capability::Recorded), 2u);
    QCOMPARE(std::uint32_t(sdk::Capability::Seekable), 4u);
    QCOMPARE(std::uint32_t(sdk::Capability::Pausable), 8u);
    QCOMPARE(std::uint32_t(sdk::Capability::Tls), 16u);
    QCOMPARE(std::uint32_t(sdk::Capability::Auth), 32u);
    QCOMPARE(std::uint32_t(sdk::Capability::QoS1), 64u);
    QCOMPARE(std::uint32_t(sdk::Capability::PersistentSession), 128u);
    QCOMPARE(std::uint32_t(sdk::Capability::Wildcards), 256u);
    QCOMPARE(std::uint32_t(sdk::Capability::Reconnect), 512u);
    for (const auto &entry : sdk::kCapabilityNames) {
        QCOMPARE(sdk::capabilityFromName(entry.name), entry.flag);
        QCOMPARE(sdk::capabilityName(entry.flag), entry.name);
    }
    QCOMPARE(sdk::capabilityFromName("teleport"), sdk::Capability::None);
    QVERIFY(sdk::hasCapability(sdk::Capability::Live | sdk::Capability::Tls, sdk::Capability::Tls));
    QVERIFY(!sdk::hasCapability(sdk::Capability::Live, sdk::Capability::Live | sdk::Capability::Tls));
}

void TestPluginHost::scanReadsMqttMetadataWithoutCreating()
{
    PluginHost host;
    auto plugins = host.scan(TWIN_PLUGIN_DIR);
    QVERIFY2(plugins.ok(), plugins.ok() ? "" : plugins.error().c_str());
    const PluginInfo *mqtt = host.find("twin.conn-mqtt");
    QVERIFY2(mqtt, "twin-conn-mqtt.so not found in " TWIN_PLUGIN_DIR);
    QVERIFY2(mqtt->usable(), mqtt->problem.c_str());
    QCOMPARE(QString::fromStdString(mqtt->kind), QString("connector"));
    QCOMPARE(mqtt->sdkMajor, unsigned(TWIN_SDK_VERSION_MAJOR));
    QCOMPARE(mqtt->sdkMinor, 0u);
    QCOMPARE(QString::fromStdString(mqtt->name), QString("MQTT"));
    QVERIFY(QFileInfo(QString::fromStdString(mqtt->path)).fileName() == "twin-conn-mqtt.so");
    using C = sdk::Capability;
    QVERIFY(sdk::hasCapability(mqtt->capabilities, C::Live | C::Tls | C::Auth | C::QoS1 | C::Pausable));
    QVERIFY(!sdk::hasCapability(mqtt->capabilities, C::Recorded));
}

void TestPluginHost::createsMqttConnectorAndFollowsLifecycle()
{
    PluginHost host;
    QVERIFY(host.scan(TWIN_PLUGIN_DIR).ok());
    auto connector = host.createConnector("twin.conn-mqtt");
    QVERIFY2(connector.ok(), connector.ok() ? "" : connector.error().c_str());
    sdk::Connector &c = *connector.value();
    QCOMPARE(c.state(), sdk::ConnectorState::Created);
    QVERIFY(sdk::hasCapability(c.capabilities(), sdk::Capability::Live));

    NullSink sink;
    QVERIFY(!c.start(&sink)); // not configured
    QVERIFY(!c.pause());
    auto bad = c.configure("{not json");
    QVERIFY(!bad);
    QVERIFY2(QString::fromStdString(bad.message()).contains("not valid JSON"), bad.message().c_str());
    bad = c.configure(R"({"topics": ["a/#"]})");
    QVERIFY2(QString::fromStdString(bad.message()).contains("clientId"), bad.message().c_str());
    bad = c.configure(R"({"clientId": "x", "topics": ["a/#"], "caFile": "/nonexistent/ca.pem"})");
    QVERIFY2(QString::fromStdString(bad.message()).contains("/nonexistent/ca.pem"), bad.message().c_str());
    bad = c.configure(R"({"clientId": "x", "topics": ["a/#/b"]})");
    QVERIFY2(QString::fromStdString(bad.message()).contains("a/#/b"), bad.message().c_str());
    QCOMPARE(c.state(), sdk::ConnectorState::Created);

    auto ok = c.configure(R"({"clientId": "x", "topics": ["a/#"], "port": 1, "reconnectMinMs": 20})");
    QVERIFY2(ok, ok.message().c_str());
    QCOMPARE(c.state(), sdk::ConnectorState::Configured);
    c.stop(); // stop before start: allowed, nothing to do
    c.stop();
    QCOMPARE(c.state(), sdk::ConnectorState::Configured);

    // Port 1 on loopback refuses: the connector keeps retrying, stays Running, stops promptly.
    QVERIFY(c.start(&sink));
    QCOMPARE(c.state(), sdk::ConnectorState::Running);
    QVERIFY(!c.start(&sink));
    QVERIFY(!c.resume());
    QVERIFY(c.pause());
    QCOMPARE(c.state(), sdk::ConnectorState::Paused);
    QVERIFY(c.resume());
    QElapsedTimer timer;
    timer.start();
    c.stop();
    c.stop(); // idempotent
    QVERIFY(timer.elapsed() < 2000);
    QCOMPARE(c.state(), sdk::ConnectorState::Stopped);
    QVERIFY(c.failureMessage().empty());
}

void TestPluginHost::refusesPluginOfOtherSdkMajor()
{
    PluginHost host;
    auto plugins = host.scan(TWIN_TEST_PLUGIN_DIR);
    QVERIFY(plugins.ok());
    const PluginInfo *bad = byFile(*plugins, "bad_sdk_plugin.so");
    QVERIFY(bad);
    QVERIFY(!bad->usable());
    const QString problem = QString::fromStdString(bad->problem);
    QVERIFY2(problem.contains("bad_sdk_plugin.so") && problem.contains("99.0") && problem.contains("4.0"),
             qPrintable(problem));
    QCOMPARE(bad->sdkMajor, 99u);
    QVERIFY(!host.find("test.bad-sdk"));
    auto created = host.createConnector("test.bad-sdk"); // create would abort(): it must not be called
    QVERIFY(!created.ok());
    QVERIFY2(QString::fromStdString(created.error()).contains("refused"), created.error().c_str());
}

void TestPluginHost::malformedMetadataIsListedNotFatal()
{
    PluginHost host;
    auto plugins = host.scan(TWIN_TEST_PLUGIN_DIR);
    QVERIFY(plugins.ok());
    const PluginInfo *bad = byFile(*plugins, "malformed_plugin.so");
    QVERIFY(bad);
    QVERIFY(!bad->usable());
    QVERIFY2(QString::fromStdString(bad->problem).contains("malformed metadata JSON"), bad->problem.c_str());
    QVERIFY2(QString::fromStdString(bad->problem).contains("malformed_plugin.so"), bad->problem.c_str());
    QVERIFY(!host.createConnector("test.malformed").ok());
}

void TestPluginHost::libraryWithoutEntryPointsIsListed()
{
    PluginHost host;
    auto plugins = host.scan(TWIN_TEST_PLUGIN_DIR);
    QVERIFY(plugins.ok());
    QCOMPARE(plugins->size(), std::size_t(3));
    const PluginInfo *none = byFile(*plugins, "not_a_plugin.so");
    QVERIFY(none);
    QVERIFY2(QString::fromStdString(none->problem).contains("not a Twinworks plugin"), none->problem.c_str());
}

void TestPluginHost::parseMetadata_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("error"); // empty: valid
    const QString base = R"("id": "p", "name": "P", "version": "1", "kind": "connector")";
    QTest::newRow("valid") << "{" + base + R"(, "sdkVersion": "3.0", "capabilities": ["live", "future"]})"
                           << "";
    QTest::newRow("truncated") << "{" + base << "malformed metadata JSON";
    QTest::newRow("not an object") << "[1, 2]"
                                   << "not a JSON object";
    QTest::newRow("no id") << R"({"name": "P", "version": "1", "kind": "connector", "sdkVersion": "3.0"})"
                           << "\"id\"";
    QTest::newRow("id not a string") << R"({"id": 5, "name": "P", "version": "1", "kind": "connector",
                                           "sdkVersion": "3.0"})"
                                     << "\"id\"";
    QTest::newRow("bad version") << "{" + base + R"(, "sdkVersion": "one"})"
                                 << "MAJOR.MINOR";
    QTest::newRow("bad kind") << R"({"id": "p", "name": "P", "version": "1", "kind": "toaster",
                                     "sdkVersion": "3.0"})"
                              << "toaster";
    QTest::newRow("capabilities not array")
        << "{" + base + R"(, "sdkVersion": "3.0", "capabilities": "live"})"
        << "capabilities";
}

void TestPluginHost::parseMetadata()
{
    QFETCH(QString, json);
    QFETCH(QString, error);
    PluginInfo info;
    const auto status = PluginHost::parseMetadata(json.toStdString(), info);
    if (error.isEmpty()) {
        QVERIFY2(status.ok(), status.ok() ? "" : status.error().c_str());
        QCOMPARE(info.capabilities, sdk::Capability::Live);
    } else {
        QVERIFY(!status.ok());
        QVERIFY2(QString::fromStdString(status.error()).contains(error), status.error().c_str());
    }
}

void TestPluginHost::missingFolderIsAnError()
{
    PluginHost host;
    auto plugins = host.scan("/nonexistent/plugins");
    QVERIFY(!plugins.ok());
    QVERIFY(QString::fromStdString(plugins.error()).contains("/nonexistent/plugins"));
}

// A worker looks for one plugin: only the file named after the id is opened when it has that id; a plugin in
// a file named otherwise is still found by the whole folder's scan; another folder starts afresh.
void TestPluginHost::scanForOpensOnlyTheFileNamedAfterTheId()
{
    PluginHost host;
    QVERIFY(host.scanFor(TWIN_PLUGIN_DIR, "twin.conn-mqtt").ok());
    QCOMPARE(host.plugins().size(), std::size_t(1));
    QVERIFY(host.find("twin.conn-mqtt"));
    QVERIFY(host.scanFor(TWIN_PLUGIN_DIR, "twin.conn-file").ok()); // added to what was found
    QCOMPARE(host.plugins().size(), std::size_t(2));
    QVERIFY(host.find("twin.conn-mqtt") && host.find("twin.conn-file"));

    QTemporaryDir dir;
    QVERIFY(QFile::copy(TWIN_PLUGIN_DIR "/twin-conn-file.so", dir.filePath("vendor-files.so")));
    QVERIFY(host.scanFor(dir.path().toStdString(), "twin.conn-file").ok());
    QCOMPARE(host.plugins().size(), std::size_t(1)); // the other folder's plugins are forgotten
    const PluginInfo *file = host.find("twin.conn-file");
    QVERIFY(file);
    QVERIFY(QString::fromStdString(file->path).endsWith("vendor-files.so"));
    auto created = host.createConnector("twin.conn-file");
    QVERIFY2(created.ok(), created.ok() ? "" : created.error().c_str());

    QVERIFY(host.scanFor(dir.path().toStdString(), "twin.no-such-plugin").ok()); // the folder could be read
    QVERIFY(!host.find("twin.no-such-plugin"));
    QVERIFY(!host.scanFor("/nonexistent/plugins", "twin.conn-file").ok());
}

QTEST_GUILESS_MAIN(TestPluginHost)
// The one live-ingest path of the GUI and twinctl: every failed start names its step and leaves nothing
// running.
void TestPluginHost::liveSessionRefusesBadStarts()
{
    twin::model::Project project;
    twin::model::LiveSession live(project, nullptr);
    bool ranAnyway = false;
    auto startWith = [&](const std::string &dir, const std::string &plugin, const std::string &config) {
        const twin::Status s = live.start({dir, plugin, config});
        ranAnyway = ranAnyway || live.running();
        return s.ok() ? std::string() : s.error();
    };
    QVERIFY(startWith(TWIN_PLUGIN_DIR, "twin.conn-mqtt", "[1]").find("not a JSON object") !=
            std::string::npos);
    QVERIFY(startWith(TWIN_PLUGIN_DIR, "twin.conn-mqtt", R"({"reorderWatermark": -1})")
                .find("reorderWatermark") != std::string::npos);
    QVERIFY(startWith(TWIN_PLUGIN_DIR, "test.none", "{}").find("test.none") != std::string::npos);
    QVERIFY(!startWith("/nonexistent/plugins", "twin.conn-mqtt", "{}").empty());
    QVERIFY(startWith(TWIN_PLUGIN_DIR, "twin.conn-mqtt", R"({"port": "x"})").find("configuration") !=
            std::string::npos);
    QVERIFY(!ranAnyway);
    QCOMPARE(live.stats().records, std::uint64_t(0));
    live.stop(); // idempotent when nothing runs
}

#include "tst_plugin_host.moc"
