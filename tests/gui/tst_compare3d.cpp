// Side-by-side 3D comparison of two scenario runs: synthetic runs written into the demo's history (no
// plugins), the shared timeline colours P-102 Running on the left and Degraded/Fault on the right after the
// pressure collapse, both views render, presentation mode opens full screen, follows the keys and Esc leaves.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/simulation/ScenarioCompare3D.h"
#include "twin/ui/simulation/ScenarioPresentation.h"
#include "twin/viz/SceneController.h"
#include "twin/viz/StateColors.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSet>
#include <QtTest>

using namespace twin;
using model::AssetId;
using model::kNsPerSecond;
using model::TimeNs;
namespace sc = model::scenario;

namespace {
const char *kP102 = "Riverside site/Pump station PS-1/Skid 2/Pump P-102";
constexpr TimeNs kStart = 1767600000LL * kNsPerSecond;
constexpr TimeNs sec(int s)
{
    return TimeNs(s) * kNsPerSecond;
}

void write(model::Project &p, AssetId asset, const std::string &name, TimeNs from, int seconds,
           const std::function<double(int)> &value)
{
    const auto id = p.history->addSignal({asset, name});
    for (int s = 0; s <= seconds; ++s)
        p.history->append(id, from + sec(s), value(s));
}

// The demo with 5 minutes of observed running for every pump and motor before kStart and two 5-minute
// runs of P-102: "baseline" runs normally, "degraded" loses discharge pressure one minute in.
std::unique_ptr<model::Project> demoWithRuns()
{
    auto p = std::make_unique<model::Project>();
    if (!model::buildDemoTwin(*p).ok())
        return nullptr;
    p->history = std::make_shared<model::TimeSeriesStore>();
    for (AssetId id : p->graph.allIds()) {
        const std::string &type = p->graph.find(id)->typeId;
        if (type.find(":Pump;") != std::string::npos) {
            write(*p, id, "flow", kStart - sec(300), 299, [](int) { return 50.0; });
            write(*p, id, "dischargePressure", kStart - sec(300), 299, [](int) { return 4.0; });
        } else if (type.find(":Motor;") != std::string::npos) {
            write(*p, id, "current", kStart - sec(300), 299, [](int) { return 40.0; });
            write(*p, id, "windingTemperature", kStart - sec(300), 299, [](int) { return 75.0; });
        }
    }
    const AssetId pump = sc::findAssetByPath(*p, kP102);
    const std::vector<sc::Kpi> kpis = {{"meanFlow", "mean(flow)", "m3/h"},
                                       {"minPressure", "min(dischargePressure)", "bar"}};
    for (const char *name : {"baseline", "degraded"}) {
        const bool degraded = std::string(name) == "degraded";
        write(*p, pump, sc::scenarioSignalName(name, "flow"), kStart, 300, [](int) { return 50.0; });
        write(*p, pump, sc::scenarioSignalName(name, "dischargePressure"), kStart, 300,
              [degraded](int s) { return degraded && s >= 60 ? 1.0 : 4.0; });
        sc::ScenarioDefinition def;
        def.name = name;
        def.description = degraded ? "P-102 suction blocked after 1 min" : "P-102 as it runs now";
        def.targets = {kP102};
        def.horizon = 300;
        def.kpis = kpis;
        sc::setScenario(*p, def);
        sc::setScenarioRunRecord(
            *p, name,
            std::string(R"({"signalPrefix": "scenario:)") + name +
                R"(/", "outcome": "completed", "kpis": {"meanFlow": 50, "minPressure": )" +
                (degraded ? "1" : "4") + "}}");
    }
    return p;
}

// A rendered view shows more than a background: many distinct colours.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}
} // namespace

class TestCompare3D : public QObject
{
    Q_OBJECT
    ui::ProjectDocument *m_document = nullptr;
    ui::ScenarioCompare3D *m_compare = nullptr;
    AssetId m_pump = model::kNoAsset;

    QColor colour(ui::SceneWidget *view) { return view->controller()->assetColor(m_pump); }

private slots:
    void initTestCase()
    {
        auto project = demoWithRuns();
        QVERIFY(project);
        m_pump = sc::findAssetByPath(*project, kP102);
        m_document = new ui::ProjectDocument(this);
        m_document->adopt(std::move(project), QString(), false);
        m_compare = new ui::ScenarioCompare3D(*m_document);
        m_compare->resize(1400, 700);
        m_compare->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_compare));
    }
    void cleanupTestCase() { delete m_compare; }

    void runsListed()
    {
        QComboBox *left = m_compare->runCombo(0);
        QCOMPARE(left->count(), 2);
        QCOMPARE(m_compare->run(0), QString("baseline"));
        QCOMPARE(m_compare->run(1), QString("degraded"));
        m_compare->setRuns("baseline", "degraded");
        QVERIFY(m_compare->track(0) && m_compare->track(1));
        QCOMPARE(m_compare->begin(), kStart);
        QCOMPARE(m_compare->end(), kStart + sec(300));
        QCOMPARE(m_compare->slider()->maximum(), 300);
        auto *kpis = m_compare->findChild<QLabel *>("compareKpisRight");
        QVERIFY(kpis && kpis->text().contains("minPressure"));
    }

    void compareViewsNeverEditTheTwin()
    {
        // A click or a drag report from a compare view must not select or move anything in the project.
        ui::SceneWidget *view = m_compare->view(0);
        const auto before = m_document->project().graph.find(m_pump)->placement;
        const int steps = m_document->undoStack().count();
        m_document->selection().clear();
        emit view->controller()->assetClicked(m_pump, false);
        QVERIFY(m_document->selection().selection().empty());
        viz::PlacementMap moved{{m_pump, before}};
        moved[m_pump].position[0] += 5;
        emit view->controller()->placementsDragged(moved);
        QVERIFY(m_document->project().graph.find(m_pump)->placement == before);
        QCOMPARE(m_document->undoStack().count(), steps);
    }
    void timelineColoursBothViews()
    {
        const QColor running = viz::stateColor("Running");
        m_compare->setTime(kStart + sec(30)); // before the collapse: both running
        QCOMPARE(colour(m_compare->view(0)), running);
        QCOMPARE(colour(m_compare->view(1)), running);
        QVERIFY(m_compare->timeLabel()->text().contains("T+00:00:30"));
        m_compare->slider()->setValue(120); // the user drags the slider: Degraded on the right
        QCOMPARE(m_compare->time(), kStart + sec(120));
        QCOMPARE(colour(m_compare->view(0)), running);
        QCOMPARE(colour(m_compare->view(1)), viz::stateColor("Degraded"));
        m_compare->setTime(kStart + sec(250));
        QCOMPARE(colour(m_compare->view(0)), running);
        QCOMPARE(colour(m_compare->view(1)), viz::stateColor("Fault"));
        m_compare->setTime(kStart + sec(30)); // and back
        QCOMPARE(colour(m_compare->view(1)), running);
    }

    void playAdvances()
    {
        m_compare->setTime(kStart);
        m_compare->setPlaying(true);
        QVERIFY(m_compare->isPlaying());
        QTRY_VERIFY(m_compare->time() > kStart);
        m_compare->setPlaying(false);
        const TimeNs stopped = m_compare->time();
        QTest::qWait(300);
        QCOMPARE(m_compare->time(), stopped);
    }

    void viewsRender()
    {
        m_compare->setTime(kStart + sec(250));
        for (int side = 0; side < 2; ++side) {
            ui::SceneWidget *view = m_compare->view(side);
            QVERIFY2(view->loadError().isEmpty(), qPrintable(view->loadError()));
            QTRY_VERIFY_WITH_TIMEOUT(distinctColours(view->grabFramebuffer()) > 20, 10000);
        }
        const QString shot = qEnvironmentVariable("TWIN_COMPARE3D_SCREENSHOT");
        if (!shot.isEmpty()) {
            QTest::qWait(500);
            QVERIFY(m_compare->grab().save(shot, "PNG"));
        }
    }

    void presentationMode()
    {
        m_compare->setTime(kStart + sec(100));
        m_compare->showPresentation();
        ui::ScenarioPresentation *p = m_compare->presentation();
        QVERIFY(QTest::qWaitForWindowExposed(p));
        QTRY_VERIFY(p->isFullScreen());
        QVERIFY(p->findChild<QLabel *>("presentationTitleRight")->text().contains("degraded"));
        QVERIFY(p->findChild<QLabel *>("presentationKpisLeft")->text().contains("meanFlow"));
        QVERIFY(p->clock()->text().contains("T+00:01:40"));
        QCOMPARE(colour(p->view(1)), viz::stateColor("Degraded"));
        QTest::keyClick(p, Qt::Key_Right, Qt::ShiftModifier); // +60 s
        QCOMPARE(m_compare->time(), kStart + sec(160));
        QVERIFY(p->clock()->text().contains("T+00:02:40"));
        QCOMPARE(colour(p->view(1)), viz::stateColor("Fault"));
        QCOMPARE(colour(p->view(0)), viz::stateColor("Running"));
        QTest::keyClick(p, Qt::Key_Left);
        QCOMPARE(m_compare->time(), kStart + sec(150));
        QTest::keyClick(p, Qt::Key_Space);
        QVERIFY(m_compare->isPlaying());
        QTest::keyClick(p, Qt::Key_Space);
        QVERIFY(!m_compare->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(distinctColours(p->view(1)->grabFramebuffer()) > 20, 10000);
        if (const QString shot = qEnvironmentVariable("TWIN_PRESENTATION_SCREENSHOT"); !shot.isEmpty())
            QVERIFY(p->grab().save(shot, "PNG"));
        QTest::keyClick(p, Qt::Key_Escape);
        QTRY_VERIFY(!p->isVisible());
    }

    void menuActions()
    {
        ui::MainWindow window(*m_document);
        auto *open = window.findChild<QAction *>("actionCompare3D");
        auto *present = window.findChild<QAction *>("actionPresentation");
        QVERIFY(open && present);
        QCOMPARE(present->shortcut(), QKeySequence(Qt::Key_F11));
        open->trigger();
        auto *compare = window.findChild<ui::ScenarioCompare3D *>();
        QVERIFY(compare && compare->isVisible());
        QCOMPARE(compare->runCombo(0)->count(), 2);
        present->trigger();
        QTRY_VERIFY(compare->presentation()->isFullScreen());
        present->trigger(); // F11 again leaves
        QTRY_VERIFY(!compare->presentation()->isVisible());
    }
};

QTEST_MAIN(TestCompare3D)
#include "tst_compare3d.moc"
