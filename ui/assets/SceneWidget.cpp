#include "twin/ui/assets/SceneWidget.h"

#include "twin/model/commands/AssetCommands.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/viz/SceneController.h"

#include <QFileInfo>
#include <QQmlError>
#include <QQuickItem>
#include <QResizeEvent>
#include <QTimer>

namespace twin::ui {

SceneWidget::SceneWidget(ProjectDocument &document, QWidget *parent)
    : QQuickWidget(parent), m_document(document), m_controller(new viz::SceneController(this))
{
    setObjectName("sceneView");
    setResizeMode(QQuickWidget::SizeRootObjectToView);
    setMinimumSize(320, 240);
    // Relative "file:" meshes resolve against the project's folder first.
    auto projectFolder = [this] {
        const QString path = m_document.filePath();
        return path.isEmpty() ? QString() : QFileInfo(path).absolutePath();
    };
    m_controller->setBaseDirectory(projectFolder());
    m_controller->setProject(&document.project());
    // QQuickWidget has no setInitialProperties in Qt 6.4: set the property once the root exists.
    setSource(QUrl("qrc:/twinworks/qml/SceneView.qml"));
    if (QQuickItem *root = rootObject())
        root->setProperty("controller", QVariant::fromValue<QObject *>(m_controller));
    for (const QQmlError &error : errors())
        m_loadError += error.toString() + "\n";
    if (!m_loadError.isEmpty())
        qWarning("SceneView.qml: %s", qPrintable(m_loadError));

    connect(&document, &ProjectDocument::filePathChanged, this,
            [this, projectFolder] { m_controller->setBaseDirectory(projectFolder()); });
    connect(&document, &ProjectDocument::typeMeshChanged, m_controller, &viz::SceneController::refresh);
    connect(&document, &ProjectDocument::projectReplaced, this, [this, projectFolder] {
        m_controller->setBaseDirectory(projectFolder());
        m_controller->setProject(&m_document.project());
        m_fitPending = true;
        if (width() > 0 && height() > 0)
            QTimer::singleShot(0, this, [this] { fit(false); });
    });
    connect(&document.selection(), &SelectionModel::selectionChanged, this,
            [this] { m_controller->setSelection(m_document.selection().selection()); });
    connect(m_controller, &viz::SceneController::assetClicked, this, &SceneWidget::onClicked);
    connect(m_controller, &viz::SceneController::placementsDragged, this,
            [this](const viz::PlacementMap &placements) {
                if (!m_readOnly)
                    m_document.execute(std::make_unique<model::SetPlacementCommand>(placements));
            });
    connect(m_controller, &viz::SceneController::dragFinished, this,
            [this] { m_document.undoStack().seal(); });
}

SceneWidget::~SceneWidget()
{
    // The controller observes the document's graph; detach before the QML scene goes away.
    m_controller->setProject(nullptr);
}

void SceneWidget::onClicked(qulonglong id, bool additive)
{
    if (m_readOnly)
        return;
    SelectionModel &selection = m_document.selection();
    if (additive) {
        if (id)
            selection.toggle(id);
    } else {
        selection.setSelection(id ? std::vector<model::AssetId>{id} : std::vector<model::AssetId>{});
    }
}

void SceneWidget::fit(bool selectionOnly)
{
    if (QQuickItem *root = rootObject())
        QMetaObject::invokeMethod(root, "fitTo", Q_ARG(QVariant, selectionOnly));
}

} // namespace twin::ui

namespace twin::ui {

void SceneWidget::resizeEvent(QResizeEvent *event)
{
    QQuickWidget::resizeEvent(event);
    if (m_fitPending && event->size().width() > 0 && event->size().height() > 0) {
        m_fitPending = false;
        QTimer::singleShot(0, this, [this] { fit(false); });
    }
}

} // namespace twin::ui
