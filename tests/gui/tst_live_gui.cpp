// Live telemetry in the real workbench window: a real Mosquitto broker, the MQTT dialog filled through its
// API, payloads for pump P-101 that drive it Off -> Running -> Degraded (demo rules), the status bar's link
// state and counters, the pump's colour, a broker restart (Reconnecting, then Connected again), the data-
// quality marker layer, and disconnecting back to replay over the newly stored history.
#include "MqttTestBroker.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/shell/LiveActions.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/telemetry/DataQualityPanel.h"
#include "twin/ui/telemetry/MqttConnectDialog.h"
#include "twin/ui/telemetry/ReplayTimeline.h"
#include "twin/ui/telemetry/TelemetrySession.h"
#include "twin/viz/SceneController.h"
#include "twin/viz/StateColors.h"

#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QProcess>
#include <QSlider>
#include <QtTest>

using namespace twin;
using model::AssetId;

namespace {
const char *kPump = "Riverside site/Pump station PS-1/Skid 1/Pump P-101";

AssetId byPath(const model::Project &p, const std::string &path)
{
    for (AssetId id : p.graph.allIds())
        if (p.graph.path(id) == path)
            return id;
    return model::kNoAsset;
}
} // namespace

class TestLiveGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void dialogKeepsPasswordOutOfProject();
    void connectShowsLinkAndLiveTimeline();
    void payloadsDrivePumpState();
    void brokerRestartReconnects();
    void problemAssetsGetMarkers();
    void disconnectReturnsToReplay();

private:
    // Publishes JSON lines (one message each, QoS 1) with mosquitto_pub.
    bool publish(const QByteArrayList &lines);
    QString statusText() const
    {
        auto *label = m_window->findChild<QLabel *>("liveStatusText");
        return label ? label->text() : QString();
    }

    MqttTestBroker m_broker;
    ui::ProjectDocument *m_document = nullptr;
    ui::MainWindow *m_window = nullptr;
    ui::TelemetrySession *m_session = nullptr;
    AssetId m_pump = model::kNoAsset;
    std::uint64_t m_storedBefore = 0;
};

void TestLiveGui::initTestCase()
{
    if (MqttTestBroker::executable().isEmpty() || QStandardPaths::findExecutable("mosquitto_pub").isEmpty())
        QSKIP("mosquitto / mosquitto_pub not installed");
    if (!QDir(TWIN_PLUGIN_DIR).exists("twin-conn-mqtt.so"))
        QSKIP("conn-mqtt plugin not built");
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
    qputenv("TWIN_NO_PROMPTS", "1");
    QCoreApplication::setOrganizationName("TwinworksLiveTest");
    m_document = new ui::ProjectDocument;
    m_window = new ui::MainWindow(*m_document);
    auto project = std::make_unique<model::Project>();
    QVERIFY(model::buildDemoTwin(*project).ok());
    m_pump = byPath(*project, kPump);
    QVERIFY(m_pump != model::kNoAsset);
    if (!project->history)
        project->history = std::make_shared<model::TimeSeriesStore>();
    m_storedBefore = project->history->sampleCount();
    m_document->adopt(std::move(project), {}, false);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_session = m_window->telemetrySession();
    QTRY_VERIFY(m_window->sceneWidget()->rootObject() != nullptr);
}

void TestLiveGui::cleanupTestCase()
{
    delete m_window;
    delete m_document;
}

bool TestLiveGui::publish(const QByteArrayList &lines)
{
    QProcess pub;
    pub.start("mosquitto_pub", {"-h", "127.0.0.1", "-p", QString::number(m_broker.port()), "-q", "1", "-t",
                                "plant/P-101", "-l"});
    if (!pub.waitForStarted(5000))
        return false;
    for (const QByteArray &line : lines)
        pub.write(line + '\n');
    pub.closeWriteChannel();
    return pub.waitForFinished(10000) && pub.exitCode() == 0;
}

void TestLiveGui::dialogKeepsPasswordOutOfProject()
{
    ui::MqttConnectDialog dialog(m_document->project());
    QVERIFY(dialog.projectSignals(m_document->project()).contains("P-101.flow"));
    dialog.setHost("127.0.0.1");
    dialog.setPort(m_broker.port());
    dialog.setPassword("secret");
    const QJsonObject saved = dialog.settings();
    QVERIFY(!saved.contains("password"));
    QVERIFY(dialog.connectorConfig().contains("\"password\":\"secret\""));
    // A dialog opened later in the session gets the password back from memory.
    ui::MqttConnectDialog again(m_document->project());
    again.setSettings(saved);
    QVERIFY(again.connectorConfig().contains("\"password\":\"secret\""));
}

void TestLiveGui::connectShowsLinkAndLiveTimeline()
{
    ui::MqttConnectDialog dialog(m_document->project(), m_window);
    dialog.setHost("127.0.0.1");
    dialog.setPort(m_broker.port());
    dialog.setClientId("twin-live-gui");
    dialog.setTopics("plant/#");
    dialog.setQos(1);
    dialog.clearMappings();
    dialog.addMapping("plant/P-101", "/flow", "P-101.flow");
    dialog.addMapping("plant/P-101", "/pressure", "P-101.dischargePressure");
    ui::connectMqtt(*m_window, dialog);
    const std::string meta = m_document->project().meta.at(ui::MqttConnectDialog::kMetaKey);
    QVERIFY(meta.find("P-101.dischargePressure") != std::string::npos);
    QVERIFY(meta.find("password") == std::string::npos);

    QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot()->live, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(statusText().contains("Connected"), 10000);
    QVERIFY(statusText().contains(QString("127.0.0.1:%1").arg(m_broker.port())));
    QVERIFY(ui::liveStatusWidget(*m_window)->isVisible());
    auto *timeline = m_window->findChild<ui::ReplayTimeline *>("replayTimeline");
    QTRY_VERIFY(timeline->liveLabel()->isVisible());
    QVERIFY(!timeline->slider()->isVisible());
}

void TestLiveGui::payloadsDrivePumpState()
{
    auto *controller = m_window->sceneWidget()->controller();
    // 60 s of samples ending now: flow 250, pressure 2.0 -> Running after 5 s, Degraded after 30 more.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QByteArrayList lines;
    for (int s = 60; s >= 0; --s)
        lines.append(QString(R"({"ts": %1, "flow": 250, "pressure": 2.0})").arg(now - s * 1000).toUtf8());
    lines.append("{not json"); // a malformed payload: counted as a problem
    QVERIFY(publish(lines));
    QTRY_COMPARE_WITH_TIMEOUT(m_session->snapshot()->stateOf(m_pump), std::string("Degraded"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(controller->assetColor(m_pump), viz::stateColor("Degraded"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot()->liveProblems >= 1, 5000);
    const auto s = m_session->snapshot();
    QCOMPARE(s->liveStored, std::uint64_t(2 * 61));
    QTRY_VERIFY(statusText().contains("122 records"));
    QVERIFY(ui::liveStatusWidget(*m_window)->toolTip().contains("122 samples stored"));
    QVERIFY(statusText().contains("1 problems"));
    QTest::qWait(200); // let the status bar lay out its new text before the grab
    const QString shot = QDir::temp().filePath("twin_live_gui.png");
    QVERIFY(m_window->saveScreenshot(shot).isEmpty());
    qInfo() << "screenshot" << shot;
}

void TestLiveGui::brokerRestartReconnects()
{
    m_broker.stop();
    QTRY_VERIFY_WITH_TIMEOUT(statusText().contains("Reconnecting") || statusText().contains("Disconnected"),
                             10000);
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(statusText().contains("Connected") && !statusText().contains("Reconnecting"),
                             15000);
    // Data flows again after the reconnect (resubscribed).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(publish({QString(R"({"ts": %1, "flow": 250, "pressure": 2.0})").arg(now).toUtf8()}));
    QTRY_COMPARE_WITH_TIMEOUT(m_session->snapshot()->liveStored, std::uint64_t(2 * 62), 10000);
}

void TestLiveGui::problemAssetsGetMarkers()
{
    auto *controller = m_window->sceneWidget()->controller();
    auto *panel = m_window->findChild<ui::DataQualityPanel *>("dataQualityPanel");
    QVERIFY(panel);
    panel->rescan();
    // While live, the demo's recorded signals are stale against the wall clock: their assets are marked.
    QTRY_VERIFY_WITH_TIMEOUT(!panel->assetProblems().empty(), 10000);
    QTRY_VERIFY(controller->markerCount() > 0);
    const AssetId marked = panel->assetProblems().front().first;
    QTRY_VERIFY(controller->problemAssets().count(marked));
    if (controller->assetPosition(marked) != QVector3D())
        QVERIFY(controller->markerPosition(marked).y() > controller->assetPosition(marked).y());
}

void TestLiveGui::disconnectReturnsToReplay()
{
    m_session->disconnectLive();
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->snapshot()->live, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot()->hasHistory, 10000);
    QTRY_VERIFY(statusText().contains("Disconnected"));
    QCOMPARE(m_document->project().history->sampleCount(), m_storedBefore + 2 * 62);
    auto *timeline = m_window->findChild<ui::ReplayTimeline *>("replayTimeline");
    QTRY_VERIFY(timeline->slider()->isVisible());
    QVERIFY(!timeline->liveLabel()->isVisible());
    // The live samples are replayable: the range reaches them.
    QVERIFY(m_session->snapshot()->end >= (QDateTime::currentMSecsSinceEpoch() - 120'000) * 1'000'000LL);
    QVERIFY(m_document->isModified());
}

QTEST_MAIN(TestLiveGui)
#include "tst_live_gui.moc"
