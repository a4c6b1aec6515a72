#pragma once
// One open project: the model, its undo stack, its file and the selection. Not a singleton:
// the main window owns one and passes it to every view.
#include "twin/model/commands/UndoStack.h"
#include "twin/model/project/Project.h"

#include <QObject>
#include <QString>
#include <memory>

namespace twin::ui {

class SelectionModel;

class ProjectDocument : public QObject
{
    Q_OBJECT
public:
    explicit ProjectDocument(QObject *parent = nullptr);
    ~ProjectDocument() override;

    model::Project &project() { return *m_project; }
    const model::Project &project() const { return *m_project; }
    model::UndoStack &undoStack() { return *m_undo; }
    // Appends to the project's audit trail (model/lifecycle/AuditLog.h) as the OS user, now: every edit, undo
    // and redo through the undo stack is recorded this way, and so are decisions made outside it (a
    // calibration approved, an alarm acknowledged).
    void audit(const std::string &kind, const std::string &summary);
    SelectionModel &selection() { return *m_selection; }
    QString filePath() const { return m_path; }
    QString displayName() const;
    bool isModified() const { return !m_undo->isClean() || m_dirtyWithoutUndo; }

    // Runs an edit as an undoable command, recording the selection around it. Returns the error text.
    QString execute(std::unique_ptr<model::Command> command, std::vector<model::AssetId> selectionAfter);
    QString execute(std::unique_ptr<model::Command> command); // keeps the selection
    void undo();
    void redo();

    // Replace the whole project. Nothing changes when loading fails; the error names the file.
    QString open(const QString &path);
    void adopt(std::unique_ptr<model::Project> project, const QString &path, bool modified);
    QString save();
    QString saveAs(const QString &path);
    // Adds (or replaces) asset types, e.g. from a DTDL import. Marks the project modified.
    void addTypes(std::vector<model::AssetType> types);
    // Sets the mesh drawn for a type ("cube", "cylinder", "sphere", "none", "file:<path>"; see
    // model::setMeshForType). Marks the project modified; not undoable.
    void setTypeMesh(const std::string &typeId, const std::string &mesh);
    // Telemetry history or saved mappings changed outside the undo stack (an import): marks the project
    // modified and emits historyChanged (the telemetry session reloads, plots re-read the store).
    void markHistoryChanged();
    // Writes an autosave copy in the background (the GUI thread only captures a plain copy).
    void autosave();
    QString autosaveTarget() const;

signals:
    void projectReplaced();                      // views must re-read everything
    void typesChanged();                         // the type registry changed; descriptor references are stale
    void typeMeshChanged(const QString &typeId); // a type's mesh hint changed: redraw the scene
    void undoStateChanged();                     // can undo/redo, texts, modified flag
    void historyChanged();                       // project.history gained data (see markHistoryChanged)
    void rulesChanged(); // a "rules:<typeId>" entry changed through the undo stack (edit, undo, redo)
    void filePathChanged();
    void errorOccurred(const QString &message);

private:
    void undoStackChanged(); // emits rulesChanged when the rule entries differ, then undoStateChanged
    std::string rulesFingerprint() const;

    std::unique_ptr<model::Project> m_project; // Owned.
    std::unique_ptr<model::UndoStack> m_undo;  // Owned; refers to m_project->graph.
    SelectionModel *m_selection;               // Owned (QObject child).
    QString m_path;
    bool m_dirtyWithoutUndo = false;
    bool m_autosaveRunning = false;
    std::string m_rulesSeen; // rulesFingerprint() when last checked
};

} // namespace twin::ui
