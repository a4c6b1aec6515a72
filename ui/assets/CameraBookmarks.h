#pragma once
// Camera bookmarks: named views of the 3D scene (orbit target, yaw, pitch, distance) saved in the project
// (meta "workbench:bookmark:<name>", one undoable step each), recalled from View > Bookmarks — Ctrl+1 to
// Ctrl+9 for the first nine, by name — with a smooth flight of the camera (qml/SceneView.qml flyTo).
#include <QObject>
#include <QString>
#include <QStringList>

class QMenu;

namespace twin::ui {

class ProjectDocument;
class SceneWidget;

class CameraBookmarks : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kMetaPrefix = "workbench:bookmark:";

    CameraBookmarks(ProjectDocument &document, SceneWidget &scene, QMenu *menu, QObject *parent = nullptr);

    // Saves the current view under `name` (replacing one of that name); the error text, or empty.
    QString save(const QString &name);
    // Flies the camera to the bookmark; false when there is none of that name.
    bool recall(const QString &name);
    QStringList names() const; // in name order

private:
    void rebuildMenu();
    void askAndSave();

    ProjectDocument &m_document;
    SceneWidget &m_scene;
    QMenu *m_menu; // not owned
};

} // namespace twin::ui
