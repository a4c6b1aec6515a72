#pragma once
// The workbench window: docks around the 3D view. Menu actions live in FileActions / EditActions.
#include <QMainWindow>

class QTimer;

namespace twin::ui {

class AssetTreePanel;
class ProjectDocument;
class PropertyEditor;
class RelationshipEditor;
class SceneWidget;
class TelemetrySession;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(ProjectDocument &document, QWidget *parent = nullptr);
    ~MainWindow() override;

    ProjectDocument &document() { return m_document; }
    AssetTreePanel *treePanel() const { return m_tree; }
    PropertyEditor *propertyEditor() const { return m_properties; }
    RelationshipEditor *relationshipEditor() const { return m_relationships; }
    SceneWidget *sceneWidget() const { return m_scene; }
    // Replay/live telemetry: states, alarms, clock (created by installTelemetryDocks; owned as a child).
    TelemetrySession *telemetrySession() const { return m_telemetry; }

    // Renders the whole window (3D view included) to a PNG. Returns an error text or empty.
    QString saveScreenshot(const QString &path);
    // Asks about unsaved changes; true when it is fine to discard the current project.
    bool maybeSave();
    void showError(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void updateTitle();
    void restoreLayout();

    ProjectDocument &m_document;
    AssetTreePanel *m_tree;
    PropertyEditor *m_properties;
    RelationshipEditor *m_relationships;
    SceneWidget *m_scene;
    QTimer *m_autosave;
    TelemetrySession *m_telemetry = nullptr;
};

} // namespace twin::ui
