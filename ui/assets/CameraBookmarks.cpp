#include "twin/ui/assets/CameraBookmarks.h"

#include "twin/model/commands/MetaEntryCommand.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/ProjectDocument.h"

#include <QAction>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QQuickItem>
#include <QVector3D>

#include <nlohmann/json.hpp>

#include <cmath>

namespace twin::ui {

using nlohmann::json;

CameraBookmarks::CameraBookmarks(ProjectDocument &document, SceneWidget &scene, QMenu *menu, QObject *parent)
    : QObject(parent), m_document(document), m_scene(scene), m_menu(menu)
{
    connect(&document, &ProjectDocument::projectReplaced, this, &CameraBookmarks::rebuildMenu);
    connect(&document, &ProjectDocument::undoStateChanged, this, &CameraBookmarks::rebuildMenu);
    rebuildMenu();
}

QStringList CameraBookmarks::names() const
{
    QStringList out;
    const auto &meta = m_document.project().meta;
    const std::string prefix = kMetaPrefix;
    for (auto it = meta.lower_bound(prefix); it != meta.end() && it->first.rfind(prefix, 0) == 0; ++it)
        out << QString::fromStdString(it->first.substr(prefix.size()));
    return out;
}

QString CameraBookmarks::save(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("A bookmark needs a name.");
    QQuickItem *root = m_scene.rootObject();
    if (!root)
        return tr("The 3D view is not available.");
    const QVector3D target = root->property("target").value<QVector3D>();
    const json view{{"target", {target.x(), target.y(), target.z()}},
                    {"yaw", root->property("yaw").toDouble()},
                    {"pitch", root->property("pitch").toDouble()},
                    {"distance", root->property("distance").toDouble()}};
    return m_document.execute(std::make_unique<model::MetaEntryCommand>(
        m_document.project(), kMetaPrefix + trimmed.toStdString(), view.dump(),
        "Save camera bookmark " + trimmed.toStdString(), "a bookmark needs a name"));
}

bool CameraBookmarks::recall(const QString &name)
{
    const auto &meta = m_document.project().meta;
    const auto it = meta.find(kMetaPrefix + name.toStdString());
    QQuickItem *root = m_scene.rootObject();
    if (it == meta.end() || !root)
        return false;
    const json view = json::parse(it->second, nullptr, false);
    if (!view.is_object() || !view.contains("target") || !view["target"].is_array() ||
        view["target"].size() != 3)
        return false;
    for (const char *key : {"yaw", "pitch", "distance"})
        if (view.contains(key) && !view[key].is_number())
            return false; // a hand-edited file: nothing to fly to
    for (const json &v : view["target"])
        if (!v.is_number())
            return false;
    const auto &t = view["target"];
    const QVector3D target(t[0].get<float>(), t[1].get<float>(), t[2].get<float>());
    return QMetaObject::invokeMethod(
        root, "flyTo", Q_ARG(QVariant, QVariant::fromValue(target)), Q_ARG(QVariant, view.value("yaw", 35.0)),
        Q_ARG(QVariant, view.value("pitch", -30.0)), Q_ARG(QVariant, view.value("distance", 30.0)));
}

void CameraBookmarks::askAndSave()
{
    bool ok = false;
    const QString name = QInputDialog::getText(m_menu->parentWidget(), tr("Save camera bookmark"),
                                               tr("Name of this view:"), QLineEdit::Normal, QString(), &ok);
    if (ok)
        if (const QString error = save(name); !error.isEmpty())
            QMessageBox::warning(m_menu->parentWidget(), tr("Save camera bookmark"), error);
}

void CameraBookmarks::rebuildMenu()
{
    m_menu->clear();
    QAction *add = m_menu->addAction(tr("&Save view as bookmark…"), this, &CameraBookmarks::askAndSave);
    add->setObjectName(QStringLiteral("actionSaveBookmark"));
    const QStringList all = names();
    if (!all.isEmpty())
        m_menu->addSeparator();
    for (int i = 0; i < all.size(); ++i) {
        const QString name = all[i];
        QAction *go = m_menu->addAction(name, this, [this, name] { recall(name); });
        go->setObjectName(QStringLiteral("bookmark:") + name);
        if (i < 9)
            go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
}

} // namespace twin::ui
