#include "twin/ui/document/ProjectDocument.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/lifecycle/AuditLog.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/project/StartAsset.h"
#include "twin/model/state/RuleSet.h"
#include "twin/ui/document/SelectionModel.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QStandardPaths>
#include <QThreadPool>

#include <chrono>

namespace twin::ui {

ProjectDocument::ProjectDocument(QObject *parent)
    : QObject(parent), m_project(std::make_unique<model::Project>()),
      m_undo(std::make_unique<model::UndoStack>(m_project->graph)), m_selection(new SelectionModel(this))
{
    m_undo->onChanged = [this] { undoStackChanged(); };
    m_undo->onRecorded = [this](const std::string &action, const std::string &text) { audit(action, text); };
    m_rulesSeen = rulesFingerprint();
}

ProjectDocument::~ProjectDocument()
{
    m_undo->onChanged = nullptr;
}

void ProjectDocument::audit(const std::string &kind, const std::string &summary)
{
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    model::lifecycle::appendAudit(m_project->meta, kind, summary, now);
    if (!m_dirtyWithoutUndo) { // the trail is saved with the project: it has changed even when undone back
        m_dirtyWithoutUndo = true;
        emit undoStateChanged();
    }
}

QString ProjectDocument::displayName() const
{
    if (!m_path.isEmpty())
        return QFileInfo(m_path).fileName();
    auto it = m_project->meta.find("name");
    return it != m_project->meta.end() ? QString::fromStdString(it->second) : tr("Untitled");
}

QString ProjectDocument::execute(std::unique_ptr<model::Command> command,
                                 std::vector<model::AssetId> selectionAfter)
{
    command->selectionBefore = m_selection->selection();
    command->selectionAfter = selectionAfter;
    auto status = m_undo->push(std::move(command));
    if (!status) {
        const QString message = QString::fromStdString(status.error());
        emit errorOccurred(message);
        return message;
    }
    m_selection->setSelection(std::move(selectionAfter));
    return {};
}

QString ProjectDocument::execute(std::unique_ptr<model::Command> command)
{
    return execute(std::move(command), m_selection->selection());
}

std::string ProjectDocument::rulesFingerprint() const
{
    std::string out;
    const std::string prefix = model::ruleSetMetaKey({});
    for (auto it = m_project->meta.lower_bound(prefix);
         it != m_project->meta.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        out.append(it->first).append(1, '\0').append(it->second).append(1, '\0');
    return out;
}

void ProjectDocument::undoStackChanged()
{
    std::string rules = rulesFingerprint();
    if (rules != m_rulesSeen) {
        m_rulesSeen = std::move(rules);
        emit rulesChanged();
    }
    emit undoStateChanged();
}

void ProjectDocument::undo()
{
    if (m_undo->undo())
        m_selection->setSelection(m_undo->restoredSelection());
}

void ProjectDocument::redo()
{
    if (m_undo->redo())
        m_selection->setSelection(m_undo->restoredSelection());
}

QString ProjectDocument::open(const QString &path)
{
    auto fresh = std::make_unique<model::Project>();
    auto status = model::loadProject(path.toStdString(), *fresh);
    if (!status)
        return QString::fromStdString(status.error());
    adopt(std::move(fresh), path, false);
    return {};
}

void ProjectDocument::adopt(std::unique_ptr<model::Project> project, const QString &path, bool modified)
{
    m_selection->clear();
    m_undo->onChanged = nullptr;
    auto undo = std::make_unique<model::UndoStack>(project->graph);
    undo->onChanged = [this] { undoStackChanged(); };
    undo->onRecorded = [this](const std::string &action, const std::string &text) { audit(action, text); };
    // Views observing the old graph detach on projectReplaced; keep the old one alive until then.
    std::unique_ptr<model::Project> old = std::move(m_project);
    m_project = std::move(project);
    m_undo = std::move(undo);
    m_path = path;
    m_dirtyWithoutUndo = modified;
    m_rulesSeen = rulesFingerprint(); // projectReplaced makes every view re-read the rules
    emit projectReplaced();
    emit filePathChanged();
    emit undoStateChanged();
    old.reset();
    // Something to look at from the start: the project's start asset selected (its properties, binding and
    // signals shown).
    if (const model::AssetId start = model::startAsset(*m_project); start != model::kNoAsset)
        m_selection->setSelection({start});
}

void ProjectDocument::addTypes(std::vector<model::AssetType> types)
{
    for (auto &type : types)
        m_project->types.add(std::move(type));
    m_dirtyWithoutUndo = true;
    emit typesChanged();
    emit undoStateChanged();
}

void ProjectDocument::markHistoryChanged()
{
    m_dirtyWithoutUndo = true;
    emit historyChanged();
    emit undoStateChanged();
}

void ProjectDocument::setTypeMesh(const std::string &typeId, const std::string &mesh)
{
    const auto it = m_project->meta.find("mesh:" + typeId);
    if (it != m_project->meta.end() && it->second == mesh)
        return;
    model::setMeshForType(*m_project, typeId, mesh);
    m_dirtyWithoutUndo = true;
    emit typeMeshChanged(QString::fromStdString(typeId));
    emit undoStateChanged();
}

QString ProjectDocument::save()
{
    if (m_path.isEmpty())
        return tr("The project has no file name yet; use Save As.");
    return saveAs(m_path);
}

QString ProjectDocument::saveAs(const QString &path)
{
    auto status = model::saveProject(model::captureProject(*m_project), path.toStdString());
    if (!status)
        return QString::fromStdString(status.error());
    QFile::remove(QString::fromStdString(model::autosavePath(path.toStdString())));
    m_undo->setClean();
    m_dirtyWithoutUndo = false;
    if (m_path != path) {
        m_path = path;
        emit filePathChanged();
    }
    emit undoStateChanged();
    return {};
}

QString ProjectDocument::autosaveTarget() const
{
    if (!m_path.isEmpty())
        return QString::fromStdString(model::autosavePath(m_path.toStdString()));
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + "/untitled.twin.autosave";
}

void ProjectDocument::autosave()
{
    if (m_autosaveRunning || !isModified())
        return;
    m_autosaveRunning = true;
    auto data = std::make_shared<model::ProjectData>(model::captureProject(*m_project));
    const std::string target = autosaveTarget().toStdString();
    QPointer<ProjectDocument> self(this);
    QThreadPool::globalInstance()->start([data, target, self] {
        auto status = model::saveProject(*data, target);
        QMetaObject::invokeMethod(
            self.data(),
            [self, message = status ? QString() : QString::fromStdString(status.error())] {
                if (!self)
                    return;
                self->m_autosaveRunning = false;
                if (!message.isEmpty())
                    emit self->errorOccurred(tr("Autosave failed: %1").arg(message));
            },
            Qt::QueuedConnection);
    });
}

} // namespace twin::ui
