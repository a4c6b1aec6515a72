#pragma once
// The 3D view: SceneView.qml in a QQuickWidget, bound to a viz::SceneController over the document.
#include <QQuickWidget>

namespace twin::viz {
class SceneController;
}

namespace twin::ui {

class ProjectDocument;

class SceneWidget : public QQuickWidget
{
    Q_OBJECT
public:
    explicit SceneWidget(ProjectDocument &document, QWidget *parent = nullptr);
    ~SceneWidget() override;
    viz::SceneController *controller() const { return m_controller; }
    void fit(bool selectionOnly);
    // Views that only show (scenario comparison): clicks and drags never edit the project or the selection.
    void setReadOnly(bool readOnly) { m_readOnly = readOnly; }
    QString loadError() const { return m_loadError; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void onClicked(qulonglong id, bool additive);

    ProjectDocument &m_document;
    viz::SceneController *m_controller; // Owned (QObject child).
    QString m_loadError;
    bool m_readOnly = false;
    bool m_fitPending = true; // frame everything once the view has a size
};

} // namespace twin::ui
