#include "twin/ui/telemetry/TelemetryDocks.h"

#include "twin/ui/assets/AssetTreeModel.h"
#include "twin/ui/assets/AssetTreePanel.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/telemetry/AlarmPanel.h"
#include "twin/ui/telemetry/DataQualityPanel.h"
#include "twin/ui/telemetry/HealthPanel.h"
#include "twin/ui/telemetry/ReplayTimeline.h"
#include "twin/ui/telemetry/SceneFillLevels.h"
#include "twin/ui/telemetry/SceneValueLabels.h"
#include "twin/ui/telemetry/TelemetrySession.h"
#include "twin/viz/SceneController.h"
#include "twin/viz/StateColors.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>

#include <algorithm>
#include <unordered_map>

namespace twin::ui {

namespace {
const QColor kWarningColor(255, 190, 0);

QDockWidget *addDock(MainWindow &window, const QString &title, const char *name, QWidget *content)
{
    auto *dock = new QDockWidget(title, &window);
    dock->setObjectName(name);
    dock->setWidget(content);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    return dock;
}

// The most severe active alarm's colour per asset.
std::unordered_map<model::AssetId, QColor> alarmColors(const TelemetrySnapshot &s)
{
    std::unordered_map<model::AssetId, int> worst;
    for (const model::AlarmRecord &alarm : s.alarms)
        if (alarm.active())
            worst[alarm.asset] = std::max(worst[alarm.asset], int(alarm.severity));
    std::unordered_map<model::AssetId, QColor> colors;
    for (const auto &[id, severity] : worst)
        colors[id] = viz::alarmColor(severity);
    return colors;
}

// State badge per asset with rules: the state colour, tooltip lines with the state and active alarms. An
// asset with an active alarm and no state of its own (an anomaly a kept detector found on a skid) takes the
// alarm's colour.
AssetTreeModel::BadgeMap stateBadges(const TelemetrySnapshot &s)
{
    AssetTreeModel::BadgeMap badges;
    for (const auto &[id, state] : s.states)
        badges[id] = {viz::stateColor(state), QObject::tr("State: %1").arg(QString::fromStdString(state))};
    for (const model::AlarmRecord &alarm : s.alarms)
        if (alarm.active())
            badges[alarm.asset].text +=
                QObject::tr("\nAlarm (%1%2): %3")
                    .arg(QString::fromUtf8(model::severityName(alarm.severity)),
                         alarm.acknowledged ? QObject::tr(", acknowledged") : QString(),
                         QString::fromStdString(alarm.name));
    for (const auto &[id, color] : alarmColors(s))
        if (AssetTreeModel::Badge &badge = badges[id]; !badge.color.isValid()) {
            badge.color = color;
            badge.text = badge.text.trimmed();
        }
    return badges;
}

// Live states colour the 3D scene and badge the tree; rule errors go to the status bar.
void followStates(MainWindow &window, TelemetrySession &session)
{
    auto *controller = window.sceneWidget()->controller();
    AssetTreeModel *tree = window.treePanel()->model();
    auto lastError = std::make_shared<QString>();
    QObject::connect(&session, &TelemetrySession::snapshotChanged, &window,
                     [&window, &session, controller, tree, lastError] {
                         const auto s = session.snapshot();
                         controller->setStateOverlay(s->states); // re-colours only changed assets
                         controller->setAlarmAssets(alarmColors(*s));
                         tree->setBadges(AssetTreeModel::BadgeKind::State, stateBadges(*s));
                         if (s->error != *lastError) {
                             *lastError = s->error;
                             window.showError(s->error.isEmpty() ? QString()
                                                                 : QObject::tr("Rules: %1").arg(s->error));
                         }
                     });
    // The overlay holds asset ids of the old project until the session publishes for the new one.
    QObject::connect(&window.document(), &ProjectDocument::projectReplaced, controller, [controller] {
        controller->setStateOverlay({});
        controller->setAlarmAssets({});
    });
}

void followDataQuality(MainWindow &window, DataQualityPanel &panel)
{
    AssetTreeModel *tree = window.treePanel()->model();
    auto *controller = window.sceneWidget()->controller();
    // Problems badge the tree and put a marker above the asset in the 3D view.
    QObject::connect(&panel, &DataQualityPanel::assetProblemsChanged, tree, [tree, controller, &panel] {
        AssetTreeModel::BadgeMap badges;
        std::unordered_set<model::AssetId> assets;
        for (const auto &[id, text] : panel.assetProblems()) {
            badges[id] = {kWarningColor, text};
            assets.insert(id);
        }
        tree->setBadges(AssetTreeModel::BadgeKind::DataQuality, std::move(badges));
        controller->setProblemAssets(assets);
    });
}
} // namespace

TelemetrySession *installTelemetryDocks(MainWindow &window)
{
    auto *session = new TelemetrySession(window.document(), &window);
    auto *timeline = new ReplayTimeline(*session, &window);
    window.addToolBar(Qt::BottomToolBarArea, timeline);
    auto *alarms = new AlarmPanel(window.document(), *session, &window);
    auto *quality = new DataQualityPanel(window.document(), *session, &window);
    QDockWidget *alarmDock = addDock(window, QObject::tr("Alarms"), "alarmsDock", alarms);
    QDockWidget *qualityDock = addDock(window, QObject::tr("Data quality"), "dataQualityDock", quality);
    QDockWidget *healthDock = addDock(window, QObject::tr("Twin health"), "healthDock",
                                      new HealthPanel(window.document(), &window));
    window.tabifyDockWidget(alarmDock, qualityDock);
    window.tabifyDockWidget(qualityDock, healthDock);
    alarmDock->raise();
    window.resizeDocks({alarmDock}, {230}, Qt::Vertical);
    followStates(window, *session);
    followDataQuality(window, *quality);
    new SceneFillLevels(window.document(), *session, *window.sceneWidget()->controller(), &window);
    auto *labels = new SceneValueLabels(window.document(), *session, *quality,
                                        *window.sceneWidget()->controller(), &window);
    if (auto *view = window.findChild<QMenu *>(QStringLiteral("viewMenu"))) {
        QAction *toggle = view->addAction(QObject::tr("&Value labels"));
        toggle->setObjectName(QStringLiteral("actionValueLabels"));
        toggle->setCheckable(true);
        toggle->setChecked(labels->enabled());
        QObject::connect(toggle, &QAction::toggled, labels, &SceneValueLabels::setEnabled);
    }
    return session;
}

} // namespace twin::ui
