// Replays the demo in the real workbench window: the faulted pump changes colour in the 3D scene and in the
// tree, the alarm dock lists and acknowledges its alarm, seeking back restores the running colour, the GUI
// thread keeps ticking while the worker replays as fast as it can, and the data-quality dock lists the store.
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/detect/DetectorDefinition.h"
#include "twin/model/lifecycle/AuditLog.h"
#include "twin/model/replay/ReplayEngine.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/assets/AssetTreeModel.h"
#include "twin/ui/assets/AssetTreePanel.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/telemetry/AlarmPanel.h"
#include "twin/ui/telemetry/AlarmTableModel.h"
#include "twin/ui/telemetry/DataQualityModel.h"
#include "twin/ui/telemetry/DataQualityPanel.h"
#include "twin/ui/telemetry/ReplayTimeline.h"
#include "twin/ui/telemetry/TelemetrySession.h"
#include "twin/viz/SceneController.h"
#include "twin/viz/StateColors.h"

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSlider>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace twin;
using model::AssetId;
using model::kNsPerSecond;
using model::TimeNs;
using ui::AssetTreeModel;

namespace {
const char *kPump = "Riverside site/Pump station PS-1/Skid 2/Pump P-102";
constexpr TimeNs kMinute = 60 * kNsPerSecond;

AssetId byPath(const model::Project &p, const std::string &path)
{
    for (AssetId id : p.graph.allIds())
        if (p.graph.path(id) == path)
            return id;
    return model::kNoAsset;
}

// The demo with its recording; fills the history the way tst_replay does if the demo comes without one.
std::unique_ptr<model::Project> demoWithHistory()
{
    auto project = std::make_unique<model::Project>();
    if (!model::buildDemoTwin(*project).ok())
        return nullptr;
    if (project->history && project->history->sampleCount() > 0)
        return project;
    project->history = std::make_shared<model::TimeSeriesStore>();
    const auto columns = model::demoTelemetryColumns();
    for (size_t c = 0; c < columns.size(); ++c) {
        const auto signal = project->history->addSignal(
            {byPath(*project, columns[c].assetPath), columns[c].telemetry}, columns[c].unit);
        for (int s = 0; s < model::kDemoTelemetrySeconds; ++s)
            project->history->append(signal, model::kDemoTelemetryStart + TimeNs(s) * kNsPerSecond,
                                     model::demoTelemetryValue(c, s));
    }
    return project;
}

// Where the pump is in Fault and its low-pressure alarm is active, from a replay of the same store.
struct Episode
{
    TimeNs faultFrom = 0, faultTo = 0;
    TimeNs alarmFrom = 0, alarmTo = 0;
};

Episode findEpisode(const model::Project &project, AssetId pump)
{
    Episode e;
    auto engine = model::StateEngine::create(project, model::projectRuleSets(project));
    if (!engine.ok())
        return e;
    model::ReplayEngine replay(*project.history, **engine);
    replay.advanceTo(replay.end());
    for (const auto &c : (*engine)->changes())
        if (c.asset == pump) {
            if (c.to == "Fault" && !e.faultFrom)
                e.faultFrom = c.time;
            else if (e.faultFrom && !e.faultTo)
                e.faultTo = c.time;
        }
    for (const auto &a : (*engine)->alarms())
        if (a.asset == pump && a.name == "Low discharge pressure" && !e.alarmFrom) {
            e.alarmFrom = a.raised;
            e.alarmTo = a.cleared;
        }
    return e;
}

int rowWithText(QAbstractItemModel *model, int column, const QString &text)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, column).data().toString() == text)
            return row;
    return -1;
}
} // namespace

class TestReplayGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void snapshotsAreVersionedAndImmutable();
    void timelineButtonsAndSliderMoveTheClock();
    void faultEpisodeColoursPumpAndRaisesAlarm();
    void acknowledgeFromAlarmDock();
    void seekBackRestoresRunningColour();
    void valueLabelsFollowTheClock();
    void maxSpeedReplayKeepsGuiResponsive();
    void dataQualityDockListsSignals();
    void screenshotInFaultEpisode();
    void keptDetectorAlarmInTheDock();

private:
    void seekAndWait(TimeNs t);
    QColor pumpColor() { return m_window->sceneWidget()->controller()->assetColor(m_pump); }
    QColor treeBadge()
    {
        AssetTreeModel *tree = m_window->treePanel()->model();
        return tree->indexOf(m_pump).data(AssetTreeModel::BadgeColorRole).value<QColor>();
    }

    ui::ProjectDocument *m_document = nullptr;
    ui::MainWindow *m_window = nullptr;
    ui::TelemetrySession *m_session = nullptr;
    ui::ReplayTimeline *m_timeline = nullptr;
    AssetId m_pump = model::kNoAsset;
    Episode m_episode;
    TimeNs m_begin = 0;
};

void TestReplayGui::initTestCase()
{
    qputenv("TWIN_NO_PROMPTS", "1");
    QCoreApplication::setOrganizationName("TwinworksReplayTest");
    m_document = new ui::ProjectDocument;
    m_window = new ui::MainWindow(*m_document);
    auto project = demoWithHistory();
    QVERIFY(project);
    m_pump = byPath(*project, kPump);
    QVERIFY(m_pump != model::kNoAsset);
    m_episode = findEpisode(*project, m_pump);
    QVERIFY2(m_episode.faultFrom > 0 && m_episode.faultTo > m_episode.faultFrom,
             "no Fault episode in the demo");
    QVERIFY2(m_episode.alarmFrom > 0, "no low-pressure alarm in the demo");
    // A detector kept for Skid 2, trained on the first 30 minutes: the replay's alarms include its "Anomaly".
    model::detect::DetectorDefinition kept;
    kept.trainFrom = model::kDemoTelemetryStart;
    kept.trainTo = model::kDemoTelemetryStart + 30 * kMinute;
    project->meta[model::detect::detectorKey("Riverside site/Pump station PS-1/Skid 2")] =
        model::detect::detectorToJson(kept);
    m_document->adopt(std::move(project), {}, false);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_session = m_window->telemetrySession();
    QVERIFY(m_session);
    m_timeline = m_window->findChild<ui::ReplayTimeline *>("replayTimeline");
    QVERIFY(m_timeline);
    QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot()->hasHistory, 10000);
    QVERIFY2(m_session->snapshot()->error.isEmpty(), qPrintable(m_session->snapshot()->error));
    m_begin = m_session->snapshot()->begin;
    QCOMPARE(m_begin, model::kDemoTelemetryStart);
    QTRY_VERIFY(m_window->sceneWidget()->rootObject() != nullptr);
}

void TestReplayGui::cleanupTestCase()
{
    delete m_window;
    delete m_document;
}

void TestReplayGui::seekAndWait(TimeNs t)
{
    m_session->pause();
    m_session->seek(t);
    QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot()->position == t && !m_session->snapshot()->playing, 10000);
    // Views update when the (coalesced) announcement arrives, up to a frame later.
    QTRY_COMPARE(m_session->announcedVersion(), m_session->snapshot()->version);
}

void TestReplayGui::snapshotsAreVersionedAndImmutable()
{
    seekAndWait(m_begin + 10 * kMinute);
    const auto before = m_session->snapshot();
    QSignalSpy changed(m_session, &ui::TelemetrySession::snapshotChanged);
    m_session->step(kMinute);
    QTRY_VERIFY(m_session->snapshot()->version > before->version);
    QTRY_VERIFY(changed.count() >= 1);
    const auto after = m_session->snapshot();
    QCOMPARE(after->position, before->position + kMinute);
    QCOMPARE(before->position, m_begin + 10 * kMinute); // a published snapshot never changes
    QVERIFY(after->samplesFed > before->samplesFed);
    QVERIFY(!after->playing);
    QCOMPARE(after->latestTimes.size(), m_document->project().history->signalCount());
}

void TestReplayGui::timelineButtonsAndSliderMoveTheClock()
{
    seekAndWait(m_begin + 20 * kMinute);
    auto *forward = m_timeline->findChild<QToolButton *>("replayForward1mButton");
    auto *back = m_timeline->findChild<QToolButton *>("replayBack1sButton");
    QVERIFY(forward && back);
    QTest::mouseClick(forward, Qt::LeftButton);
    QTRY_COMPARE(m_session->snapshot()->position, m_begin + 21 * kMinute);
    QTest::mouseClick(back, Qt::LeftButton);
    QTRY_COMPARE(m_session->snapshot()->position, m_begin + 21 * kMinute - kNsPerSecond);
    auto *label = m_timeline->findChild<QLabel *>("replayTime");
    QTRY_VERIFY2(label->text().startsWith("2026-01-05 06:20:59 UTC"), qPrintable(label->text()));
    // Dragging the slider seeks; the end of the slider is the end of the recording.
    auto *slider = m_timeline->findChild<QSlider *>("replaySlider");
    slider->setValue(slider->maximum());
    QTRY_COMPARE(m_session->snapshot()->position, m_session->snapshot()->end);
    auto *speed = m_timeline->findChild<QComboBox *>("replaySpeed");
    QCOMPARE(speed->count(), 7);
    QCOMPARE(speed->itemText(6), QString("max"));
}

void TestReplayGui::faultEpisodeColoursPumpAndRaisesAlarm()
{
    seekAndWait(m_begin + 5 * kMinute);
    const QColor running = viz::stateColor("Running");
    QTRY_COMPARE(pumpColor(), running);
    QCOMPARE(treeBadge(), running);
    // Play through the episode at 600x from shortly before it, recording every colour the scene shows.
    QSet<QRgb> seen;
    auto record = connect(m_session, &ui::TelemetrySession::snapshotChanged, this,
                          [&] { seen.insert(pumpColor().rgb()); });
    seekAndWait(m_episode.faultFrom - 6 * kMinute);
    auto *speed = m_timeline->findChild<QComboBox *>("replaySpeed");
    speed->setCurrentIndex(speed->findData(600.0));
    emit speed->activated(speed->currentIndex());
    m_timeline->playAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot()->position > m_episode.faultFrom + kMinute, 15000);
    m_session->pause();
    disconnect(record);
    QVERIFY2(seen.contains(viz::stateColor("Degraded").rgb()), "Degraded colour never shown");
    QVERIFY2(seen.contains(viz::stateColor("Fault").rgb()), "Fault colour never shown");
    // Positioned inside the episode: Fault in the scene and in the tree, the alarm listed.
    seekAndWait((m_episode.faultFrom + m_episode.faultTo) / 2);
    QTRY_COMPARE(pumpColor(), viz::stateColor("Fault"));
    QTRY_COMPARE(treeBadge(), viz::stateColor("Fault"));
    const QModelIndex item = m_window->treePanel()->model()->indexOf(m_pump);
    QVERIFY(!item.data(Qt::DecorationRole).value<QIcon>().isNull());
    auto *alarms = m_window->findChild<ui::AlarmPanel *>("alarmPanel");
    QVERIFY(alarms);
    QTRY_VERIFY(
        rowWithText(alarms->view()->model(), ui::AlarmTableModel::NameColumn, "Low discharge pressure") >= 0);
}

void TestReplayGui::acknowledgeFromAlarmDock()
{
    seekAndWait(m_episode.alarmFrom + 10 * kNsPerSecond);
    auto *panel = m_window->findChild<ui::AlarmPanel *>("alarmPanel");
    panel->setActiveOnly(true);
    QAbstractItemModel *table = panel->view()->model();
    int row = -1;
    QTRY_VERIFY((row = rowWithText(table, ui::AlarmTableModel::NameColumn, "Low discharge pressure")) >= 0);
    QCOMPARE(table->index(row, ui::AlarmTableModel::ClearedColumn).data().toString(), QString("active"));
    QCOMPARE(table->index(row, ui::AlarmTableModel::AssetColumn).data().toString(), QString(kPump));
    QVERIFY(m_window->treePanel()
                ->model()
                ->indexOf(m_pump)
                .data(Qt::ToolTipRole)
                .toString()
                .contains("Low discharge pressure"));
    // Selecting the alarm selects the asset; Acknowledge acknowledges it.
    m_document->selection().clear();
    panel->view()->selectRow(row);
    QCOMPARE(m_document->selection().selection(), std::vector<AssetId>{m_pump});
    auto *button = panel->findChild<QPushButton *>("alarmAcknowledge");
    QVERIFY(button->isEnabled());
    const auto alarmId = table->index(row, 0).data(ui::AlarmTableModel::AlarmIdRole).toULongLong();
    QSignalSpy clicked(button, &QPushButton::clicked);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(clicked.count(), 1);
    auto acknowledgedInTable = [&] {
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->index(r, 0).data(ui::AlarmTableModel::AlarmIdRole).toULongLong() == alarmId)
                return table->index(r, ui::AlarmTableModel::AcknowledgedColumn).data().toString() == "yes";
        return false;
    };
    QTRY_VERIFY(acknowledgedInTable());
    QVERIFY(!button->isEnabled());
    // The acknowledgement is in the project's audit trail, with the alarm and the asset.
    const auto trail = model::lifecycle::auditEntries(m_document->project().meta);
    QVERIFY(!trail.empty());
    QCOMPARE(QString::fromStdString(trail.back().kind), QString("acknowledge"));
    QVERIFY2(trail.back().summary.find("Low discharge pressure on " + std::string(kPump)) !=
                 std::string::npos,
             trail.back().summary.c_str());
    QVERIFY(model::lifecycle::verifyAudit(m_document->project().meta).ok());
    // Still acknowledged after stepping on (and after a seek back and forth: same alarm, same raise time).
    m_session->step(5 * kNsPerSecond);
    seekAndWait(m_begin);
    seekAndWait(m_episode.alarmFrom + 20 * kNsPerSecond);
    bool acknowledged = false;
    for (const auto &a : m_session->snapshot()->alarms)
        if (a.asset == m_pump && a.name == "Low discharge pressure" && a.active())
            acknowledged = a.acknowledged;
    QVERIFY(acknowledged);
    panel->setActiveOnly(false);
    m_document->selection().clear(); // the selection tint would change the pump's colour
}

void TestReplayGui::seekBackRestoresRunningColour()
{
    m_document->selection().clear();
    seekAndWait((m_episode.faultFrom + m_episode.faultTo) / 2);
    QTRY_COMPARE(pumpColor(), viz::stateColor("Fault"));
    seekAndWait(m_begin + 5 * kMinute);
    QTRY_COMPARE(pumpColor(), viz::stateColor("Running"));
    QTRY_COMPARE(treeBadge(), viz::stateColor("Running"));
    // No active alarm before the episode.
    for (const auto &a : m_session->snapshot()->alarms)
        QVERIFY(!a.active() || a.asset != m_pump);
}

// The pump's value label in the 3D view: its values at the clock, framed in its alarm's colour inside the
// fault episode and in green before it; View > Value labels takes the labels away and brings them back.
void TestReplayGui::valueLabelsFollowTheClock()
{
    viz::SceneController *scene = m_window->sceneWidget()->controller();
    auto pressureIn = [&](const QString &text) {
        const QRegularExpression line(QStringLiteral("dischargePressure  (-?[0-9.]+) bar"));
        const auto match = line.match(text);
        return match.hasMatch() ? match.captured(1).toDouble() : std::nan("");
    };
    auto latest = [&] {
        const auto id = m_document->project().history->findSignal({m_pump, "dischargePressure"});
        return m_session->snapshot()->latestValues.at(*id);
    };
    auto label = [&] {
        const auto &labels = scene->assetLabels();
        return labels.count(m_pump) ? labels.at(m_pump) : viz::AssetLabel{};
    };
    seekAndWait((m_episode.faultFrom + m_episode.faultTo) / 2);
    QTRY_VERIFY(label().text.startsWith("Pump P-102\n"));
    QTRY_VERIFY(std::abs(pressureIn(label().text) - latest()) < 0.01);
    QVERIFY(label().color != QColor(90, 200, 120)); // an active alarm's colour
    QVERIFY(label().priority > 2);
    const double inFault = pressureIn(label().text);
    seekAndWait(m_begin + 5 * kMinute);
    QTRY_COMPARE(label().color, QColor(90, 200, 120));
    QTRY_VERIFY(std::abs(pressureIn(label().text) - latest()) < 0.01);
    QVERIFY(pressureIn(label().text) > inFault); // low discharge pressure was the fault
    // The tanks are drawn filled to their level (0 to 6.5 m, the telemetry's declared range).
    const AssetId tank = byPath(m_document->project(), "Riverside site/Pump station PS-1/Storage tank T-1");
    const auto levelId = m_document->project().history->findSignal({tank, "level"});
    QVERIFY(levelId);
    QTRY_VERIFY(scene->fillLevels().count(tank));
    QCOMPARE(scene->fillLevels().at(tank), float(m_session->snapshot()->latestValues.at(*levelId) / 6.5));
    QCOMPARE(scene->fillCount(), 2);
    auto *toggle = m_window->findChild<QAction *>("actionValueLabels");
    QVERIFY(toggle && toggle->isChecked());
    toggle->trigger();
    QVERIFY(scene->assetLabels().empty());
    toggle->trigger();
    QVERIFY(!scene->assetLabels().empty());
}

void TestReplayGui::maxSpeedReplayKeepsGuiResponsive()
{
    auto *speed = m_timeline->findChild<QComboBox *>("replaySpeed");
    // A GUI-thread timer must keep ticking while the worker replays the whole recording, at 10,000x (0.7 s of
    // wall time for the demo's two hours) and as fast as it can.
    for (int index : {speed->findData(10000.0), speed->count() - 1}) {
        seekAndWait(m_begin);
        QTimer ticker;
        int ticks = 0;
        QElapsedTimer sinceTick;
        qint64 longestGapMs = 0;
        connect(&ticker, &QTimer::timeout, this, [&] {
            if (ticks++)
                longestGapMs = std::max(longestGapMs, sinceTick.elapsed());
            sinceTick.restart();
        });
        speed->setCurrentIndex(index);
        emit speed->activated(index);
        QElapsedTimer wall;
        wall.start();
        ticker.start(5);
        sinceTick.start();
        m_timeline->playAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_session->snapshot()->position == m_session->snapshot()->end &&
                                     !m_session->snapshot()->playing,
                                 20000);
        const qint64 elapsed = wall.elapsed();
        ticker.stop();
        const auto s = m_session->snapshot();
        qInfo("%s: %.1f simulated hours in %lld ms, %llu samples fed, %d GUI ticks, longest GUI gap %lld ms",
              qPrintable(speed->itemText(index)), double(s->end - s->begin) / 3.6e12, elapsed,
              qulonglong(s->samplesFed), ticks, longestGapMs);
        QCOMPARE(s->asFastAsPossible, index == speed->count() - 1);
        QVERIFY2(longestGapMs < 1000, "the GUI thread stalled during the replay");
        // The timer kept firing through the replay: at least one tick per 200 ms of it (a loaded machine
        // stretches the replay and the gaps alike, so no fixed count).
        if (!s->asFastAsPossible)
            QVERIFY2(ticks >= std::max<qint64>(3, elapsed / 200),
                     qPrintable(QString("%1 ticks in %2 ms").arg(ticks).arg(elapsed)));
    }
    const auto s = m_session->snapshot();
    // The episode is over at the end: the pump runs again, the alarm is history.
    QTRY_COMPARE(pumpColor(), viz::stateColor("Running"));
    QVERIFY(std::any_of(s->alarms.begin(), s->alarms.end(),
                        [&](const auto &a) { return a.asset == m_pump && !a.active(); }));
    speed->setCurrentIndex(0);
    emit speed->activated(0);
}

void TestReplayGui::dataQualityDockListsSignals()
{
    auto *panel = m_window->findChild<ui::DataQualityPanel *>("dataQualityPanel");
    QVERIFY(panel);
    const size_t signalCount = m_document->project().history->signalCount();
    QTRY_VERIFY_WITH_TIMEOUT(!panel->scanning() && panel->model()->rowCount() == int(signalCount), 10000);
    ui::DataQualityModel *model = panel->model();
    std::uint64_t total = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        total += model->rowAt(row)->count;
        QVERIFY(model->rowAt(row)->rateHz > 0.99 && model->rowAt(row)->rateHz < 1.01); // 1 Hz recording
    }
    QCOMPARE(total, m_document->project().history->sampleCount());
    const int pumpRow = rowWithText(panel->view()->model(), ui::DataQualityModel::AssetColumn, kPump);
    QVERIFY(pumpRow >= 0);
    m_document->selection().clear();
    panel->view()->selectRow(pumpRow);
    QCOMPARE(m_document->selection().selection(), std::vector<AssetId>{m_pump});
    // Freshness follows the clock: at the end every signal has a sample at most a second old.
    QCOMPARE(panel->view()->model()->index(pumpRow, ui::DataQualityModel::FreshnessColumn).data().toString(),
             QString("0.0 s"));
}

void TestReplayGui::screenshotInFaultEpisode()
{
    seekAndWait((m_episode.faultFrom + m_episode.faultTo) / 2);
    m_document->selection().clear();
    QTRY_COMPARE(pumpColor(), viz::stateColor("Fault"));
    m_window->treePanel()->view()->expandAll();
    QTest::qWait(1500); // let the 3D view render the new colours
    QTemporaryDir dir;
    const QString path = qEnvironmentVariableIsSet("TWIN_REPLAY_SCREENSHOT")
                             ? qEnvironmentVariable("TWIN_REPLAY_SCREENSHOT")
                             : dir.path() + "/replay.png";
    QVERIFY(m_window->saveScreenshot(path).isEmpty());
    const QImage image(path);
    QVERIFY(!image.isNull());
    // Something reddish (the faulted pump) is drawn in the 3D view.
    const QRect sceneRect(m_window->sceneWidget()->mapTo(m_window, QPoint(0, 0)),
                          m_window->sceneWidget()->size());
    const QImage scene = image.copy(sceneRect);
    int red = 0;
    for (int y = 0; y < scene.height(); y += 2)
        for (int x = 0; x < scene.width(); x += 2) {
            const QColor c = scene.pixelColor(x, y);
            red += c.red() > 120 && c.red() > 2 * c.green() && c.red() > 2 * c.blue();
        }
    QVERIFY2(red > 20, qPrintable(QString("red pixels: %1").arg(red)));
}

// The kept detector watches the workbench's replay: its "Anomaly" on Skid 2 is in the alarm dock, raised
// before the rules' low-pressure alarm.
void TestReplayGui::keptDetectorAlarmInTheDock()
{
    seekAndWait(m_episode.alarmFrom + 10 * kNsPerSecond);
    auto *panel = m_window->findChild<ui::AlarmPanel *>("alarmPanel");
    panel->setActiveOnly(false);
    QAbstractItemModel *table = panel->view()->model();
    int row = -1;
    QTRY_VERIFY((row = rowWithText(table, ui::AlarmTableModel::NameColumn, "Anomaly")) >= 0);
    QCOMPARE(table->index(row, ui::AlarmTableModel::AssetColumn).data().toString(),
             QString("Riverside site/Pump station PS-1/Skid 2"));
    QVERIFY(m_session->snapshot()->error.isEmpty());

    // While it is active, the skid (no state of its own) shows it in the tree and in the scene.
    const AssetId skid = byPath(m_document->project(), "Riverside site/Pump station PS-1/Skid 2");
    TimeNs raised = 0;
    for (const auto &alarm : m_session->snapshot()->alarms)
        if (alarm.asset == skid && alarm.name == "Anomaly" && (raised == 0 || alarm.raised < raised))
            raised = alarm.raised; // the first one
    QVERIFY(raised > 0);
    seekAndWait(raised + 2 * kNsPerSecond);
    bool active = false;
    for (const auto &alarm : m_session->snapshot()->alarms)
        active = active || (alarm.asset == skid && alarm.name == "Anomaly" && alarm.active());
    QVERIFY(active);
    const QModelIndex node = m_window->treePanel()->model()->indexOf(skid);
    QVERIFY(node.data(AssetTreeModel::BadgeColorRole).value<QColor>().isValid());
    QVERIFY2(node.data(Qt::ToolTipRole).toString().contains("Anomaly"),
             qPrintable(node.data(Qt::ToolTipRole).toString()));
    viz::SceneController *scene = m_window->sceneWidget()->controller();
    QVERIFY(scene->alarmAssets().count(skid));
    QVERIFY(scene->markerColor(skid).isValid());
    QVERIFY(scene->markerPosition(skid) != QVector3D());
    if (const QByteArray shot = qgetenv("TWIN_REPLAY_SCREENSHOT_ANOMALY"); !shot.isEmpty())
        QVERIFY(m_window->saveScreenshot(QString::fromLocal8Bit(shot)).isEmpty());
    // A minute before it was raised: no marker.
    seekAndWait(raised - 60 * kNsPerSecond);
    QVERIFY(!scene->alarmAssets().count(skid));
    QVERIFY(!scene->markerColor(skid).isValid());
}

QTEST_MAIN(TestReplayGui)
#include "tst_replay_gui.moc"
