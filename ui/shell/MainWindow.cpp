#include "twin/ui/shell/MainWindow.h"

#include "twin/ui/assets/AssetTreePanel.h"
#include "twin/ui/assets/PropertyEditor.h"
#include "twin/ui/assets/RelationshipEditor.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/calibration/CalibrationPanel.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/import/ImportWizard.h"
#include "twin/ui/plot/PlotPanel.h"
#include "twin/ui/rules/RulesEditor.h"
#include "twin/ui/shell/EditActions.h"
#include "twin/ui/shell/FileActions.h"
#include "twin/ui/shell/LiveActions.h"
#include "twin/ui/simulation/BindingEditor.h"
#include "twin/ui/simulation/ScenarioCompare3D.h"
#include "twin/ui/simulation/ScenarioPanel.h"
#include "twin/ui/simulation/ShadowRunner.h"
#include "twin/ui/telemetry/TelemetryDocks.h"
#include "twin/viz/SceneController.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

namespace twin::ui {

MainWindow::MainWindow(ProjectDocument &document, QWidget *parent) : QMainWindow(parent), m_document(document)
{
    setObjectName("TwinworksMainWindow");
    resize(1400, 860);
    m_scene = new SceneWidget(document, this);
    setCentralWidget(m_scene);

    auto dock = [this](const QString &title, const char *name, QWidget *content, Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        addDockWidget(area, d);
        return d;
    };
    m_tree = new AssetTreePanel(document, this);
    m_properties = new PropertyEditor(document, this);
    m_relationships = new RelationshipEditor(document, this);
    auto *treeDock = dock(tr("Assets"), "assetsDock", m_tree, Qt::LeftDockWidgetArea);
    auto *propDock = dock(tr("Properties"), "propertiesDock", m_properties, Qt::RightDockWidgetArea);
    auto *relDock = dock(tr("Relationships"), "relationshipsDock", m_relationships, Qt::RightDockWidgetArea);
    resizeDocks({treeDock, propDock}, {340, 360}, Qt::Horizontal);
    resizeDocks({propDock, relDock}, {560, 220}, Qt::Vertical);

    installFileActions(*this);
    installImportActions(*this);
    installEditActions(*this);
    m_telemetry = installTelemetryDocks(*this);
    installLiveActions(*this);
    installPlotDock(*this);
    installRulesEditor(*this);
    installScenarioCompare3D(*this);
    installScenarioDocks(*this);
    installBindingEditor(*this);
    installCalibrationDock(*this);
    installShadowRunner(*this);
    connect(&document, &ProjectDocument::undoStateChanged, this, &MainWindow::updateTitle);
    connect(&document, &ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(&document, &ProjectDocument::errorOccurred, this, &MainWindow::showError);

    m_autosave = new QTimer(this);
    m_autosave->setInterval(qEnvironmentVariableIntValue("TWIN_AUTOSAVE_MS") > 0
                                ? qEnvironmentVariableIntValue("TWIN_AUTOSAVE_MS")
                                : 60000);
    connect(m_autosave, &QTimer::timeout, &document, &ProjectDocument::autosave);
    m_autosave->start();
    restoreLayout();
    updateTitle();
    statusBar()->showMessage(tr("Ready"));
    // Meshes that could not be loaded (drawn as cubes instead): say so in the status bar.
    auto reportMeshErrors = [this] {
        const QStringList errors = m_scene->controller()->meshErrors();
        if (!errors.isEmpty())
            showError(tr("Mesh not loaded, drawn as a cube: %1").arg(errors.join(QStringLiteral("; "))));
    };
    connect(m_scene->controller(), &viz::SceneController::layersChanged, this, reportMeshErrors);
    reportMeshErrors();
}

MainWindow::~MainWindow() = default;

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
}

void MainWindow::updateTitle()
{
    setWindowTitle(
        QString("%1%2 — Twinworks").arg(m_document.displayName(), m_document.isModified() ? "*" : ""));
}

void MainWindow::showError(const QString &message)
{
    if (!message.isEmpty())
        statusBar()->showMessage(message, 10000);
}

QString MainWindow::saveScreenshot(const QString &path)
{
    const QImage image = grab().toImage();
    if (image.isNull())
        return tr("Could not capture the window");
    if (!image.save(path, "PNG"))
        return tr("Could not write %1").arg(path);
    return {};
}

bool MainWindow::maybeSave()
{
    if (!m_document.isModified() || qEnvironmentVariableIsSet("TWIN_NO_PROMPTS"))
        return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"), tr("%1 has unsaved changes. Save them?").arg(m_document.displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Discard)
        return true;
    return saveDocument(*this, false);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    QFile::remove(m_document.autosaveTarget()); // a clean exit leaves nothing to recover
    event->accept();
}

} // namespace twin::ui
