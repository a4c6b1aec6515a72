#include "twin/viz/SceneController.h"

#include "twin/viz/LayerListModel.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/Project.h"
#include "twin/viz/SceneLayer_p.h"
#include "twin/viz/StateColors.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMetaObject>

#include <limits>

namespace twin::viz {

SceneController::SceneController(QObject *parent) : QObject(parent), m_layerModel(new LayerListModel(this)) {}

SceneController::~SceneController()
{
    detach();
    m_layers.clear();
}

void SceneController::detach()
{
    if (m_project)
        m_project->graph.removeObserver(this);
    m_project = nullptr;
}

void SceneController::setProject(model::Project *project)
{
    if (project == m_project)
        return;
    endDrag();
    detach();
    m_project = project;
    if (m_project)
        m_project->graph.addObserver(this);
    m_selection.clear();
    rebuild();
    if (!m_hoverText.isEmpty()) {
        m_hoverText.clear();
        emit hoverTextChanged();
    }
}

QVariantList SceneController::layers()
{
    ensureBuilt();
    return m_layerList;
}

QObject *SceneController::layerModel()
{
    ensureBuilt();
    return m_layerModel;
}

int SceneController::drawnCount()
{
    ensureBuilt();
    return int(m_slots.size());
}

void SceneController::setColorProperty(const QString &name)
{
    if (name == m_colorProperty)
        return;
    m_colorProperty = name;
    m_colorPropertyStd = name.toStdString();
    if (!m_dirty)
        for (const auto &[id, slot] : m_slots)
            updateInstance(id, false);
    emit colorPropertyChanged();
}

void SceneController::setSelection(const std::vector<model::AssetId> &ids)
{
    std::unordered_set<model::AssetId> next(ids.begin(), ids.end());
    if (next == m_selection)
        return;
    std::swap(next, m_selection); // next now holds the old selection
    if (!m_dirty) {
        for (model::AssetId id : next)
            if (!m_selection.count(id))
                updateInstance(id, false);
        for (model::AssetId id : m_selection)
            if (!next.count(id))
                updateInstance(id, false);
        fillOutline();
        if (!layerListMatches())
            publishLayerList();
    }
    if (!m_labels.empty())
        labelsMoved(); // the selected assets' labels go first
    emit selectionChanged();
}

void SceneController::setStateOverlay(const std::unordered_map<model::AssetId, std::string> &states)
{
    std::vector<model::AssetId> touched;
    for (const auto &[id, state] : states) {
        auto it = m_overlay.find(id);
        if (it == m_overlay.end() || it->second != state)
            touched.push_back(id);
    }
    for (const auto &[id, state] : m_overlay)
        if (!states.count(id))
            touched.push_back(id);
    m_overlay = states;
    if (!m_dirty)
        for (model::AssetId id : touched)
            updateInstance(id, false);
}

QVariantList SceneController::legend() const
{
    QVariantList entries;
    if (!m_colorOverlay.empty())
        return entries;
    for (const std::string &state : stateNames()) {
        QVariantMap entry;
        entry.insert(QStringLiteral("name"), QString::fromStdString(state));
        entry.insert(QStringLiteral("color"), stateColor(state));
        entries.append(entry);
    }
    return entries;
}

void SceneController::setColorOverlay(std::unordered_map<model::AssetId, QColor> colors, QColor others)
{
    if (colors == m_colorOverlay && others == m_overlayOthers)
        return;
    const bool hadOverlay = !m_colorOverlay.empty();
    m_colorOverlay = std::move(colors);
    m_overlayOthers = others;
    if (hadOverlay != !m_colorOverlay.empty())
        emit legendChanged();
    if (m_dirty)
        return;
    std::vector<model::AssetId> ids;
    for (const auto &[id, slot] : m_slots)
        ids.push_back(id);
    for (model::AssetId id : ids)
        updateInstance(id, false);
}

std::string SceneController::overlayState(model::AssetId id) const
{
    auto it = m_overlay.find(id);
    return it == m_overlay.end() ? std::string() : it->second;
}

// --- graph notifications ---------------------------------------------------------------

void SceneController::inserted(model::AssetId)
{
    markStructureDirty();
}
void SceneController::removed(model::AssetId, model::AssetId)
{
    markStructureDirty();
}
void SceneController::reset()
{
    markStructureDirty();
}

void SceneController::changed(model::AssetId id)
{
    if (m_dirty)
        return;
    const model::Asset *asset = m_project->graph.find(id);
    const auto it = m_slots.find(id);
    if (!asset)
        return;
    // A type change may move the asset to another layer (or out of the scene).
    const std::string key = layerKey(model::meshForType(*m_project, asset->typeId));
    if (it == m_slots.end()) {
        if (!key.empty())
            markStructureDirty();
        return;
    }
    if (key != m_layers[size_t(it->second.layer)]->meshKey)
        markStructureDirty();
    else
        updateInstance(id, false);
}

void SceneController::placementChanged(model::AssetId id)
{
    if (!m_dirty)
        updateInstance(id, true);
}

void SceneController::markStructureDirty()
{
    m_dirty = true;
    if (m_rebuildQueued)
        return;
    m_rebuildQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_rebuildQueued = false;
            ensureBuilt();
        },
        Qt::QueuedConnection);
}

void SceneController::setBaseDirectory(const QString &directory)
{
    if (directory == m_baseDirectory)
        return;
    m_baseDirectory = directory;
    m_resolvedKeys.clear();
    markStructureDirty();
}

QString SceneController::resolveMeshPath(const QString &path) const
{
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    QStringList roots;
    if (!m_baseDirectory.isEmpty())
        roots << m_baseDirectory;
    if (!QCoreApplication::applicationDirPath().isEmpty())
        roots << QCoreApplication::applicationDirPath() + QStringLiteral("/../share/twinworks");
    roots << QStringLiteral(TWIN_RESOURCE_DIR);
    for (const QString &root : roots) {
        const QString candidate = QDir::cleanPath(QDir(root).absoluteFilePath(path));
        if (QFileInfo(candidate).isFile())
            return candidate;
    }
    return QDir::cleanPath(QDir(roots.front()).absoluteFilePath(path));
}

std::string SceneController::layerKey(const std::string &mesh)
{
    if (mesh == "none" || mesh.empty())
        return {};
    if (mesh == "cylinder" || mesh == "sphere")
        return mesh;
    if (mesh.rfind("file:", 0) != 0)
        return "cube";
    if (auto it = m_resolvedKeys.find(mesh); it != m_resolvedKeys.end())
        return it->second;
    const QString resolved = resolveMeshPath(QString::fromStdString(mesh.substr(5)));
    return m_resolvedKeys[mesh] = "file:" + resolved.toStdString();
}

void SceneController::refresh()
{
    m_resolvedKeys.clear(); // files may have appeared or moved
    m_dirty = true;
    ensureBuilt();
}

void SceneController::ensureBuilt()
{
    if (m_dirty)
        rebuild();
}

// --- picking -----------------------------------------------------------------------------

qulonglong SceneController::pickRay(QVector3D origin, QVector3D direction)
{
    ensureBuilt();
    if (direction.isNull())
        return 0;
    float best = std::numeric_limits<float>::max();
    model::AssetId hit = model::kNoAsset;
    for (const auto &layer : m_layers) {
        const size_t n = layer->boxes.size();
        const OrientedBox *boxes = layer->boxes.data();
        for (size_t i = 0; i < n; ++i) {
            const float t = boxes[i].intersect(origin, direction);
            if (t >= 0.f && t < best) {
                best = t;
                hit = layer->ids[i];
            }
        }
    }
    return hit;
}

void SceneController::click(QVector3D origin, QVector3D direction, bool additive)
{
    emit assetClicked(pickRay(origin, direction), additive);
}

void SceneController::hover(QVector3D origin, QVector3D direction)
{
    const model::AssetId id = pickRay(origin, direction);
    QString text;
    if (const model::Asset *asset = id && m_project ? m_project->graph.find(id) : nullptr) {
        const model::AssetType *type = m_project->types.find(asset->typeId);
        text = QString::fromStdString(asset->name);
        if (type)
            text += QStringLiteral(" — ") + QString::fromStdString(type->label());
    }
    if (text != m_hoverText) {
        m_hoverText = text;
        emit hoverTextChanged();
    }
}

void SceneController::clearHover()
{
    if (m_hoverText.isEmpty())
        return;
    m_hoverText.clear();
    emit hoverTextChanged();
}

// --- dragging ----------------------------------------------------------------------------

bool SceneController::beginDrag(QVector3D origin, QVector3D direction)
{
    endDrag();
    const model::AssetId id = pickRay(origin, direction);
    if (!id || !m_selection.count(id) || !m_project)
        return false;
    const model::Asset *grabbed = m_project->graph.find(id);
    m_dragHeight = grabbed->placement.position[1];
    if (!rayHitsGround(origin, direction, m_dragHeight, m_dragStart))
        return false;
    m_dragOriginal.clear();
    for (model::AssetId selected : m_selection)
        if (const model::Asset *asset = m_project->graph.find(selected))
            m_dragOriginal[selected] = asset->placement;
    m_dragging = true;
    emit draggingChanged();
    return true;
}

void SceneController::dragTo(QVector3D origin, QVector3D direction)
{
    QVector3D hit;
    if (!m_dragging || !rayHitsGround(origin, direction, m_dragHeight, hit))
        return;
    const QVector3D delta = hit - m_dragStart;
    PlacementMap placements = m_dragOriginal;
    for (auto &[id, placement] : placements) {
        placement.position[0] += delta.x();
        placement.position[2] += delta.z();
    }
    emit placementsDragged(placements);
}

void SceneController::endDrag()
{
    if (!m_dragging)
        return;
    m_dragging = false;
    m_dragOriginal.clear();
    emit draggingChanged();
    emit dragFinished();
}

// --- bounds / queries --------------------------------------------------------------------

void SceneController::bounds(bool selectionOnly, QVector3D &min, QVector3D &max)
{
    ensureBuilt();
    const float big = std::numeric_limits<float>::max();
    min = QVector3D(big, big, big);
    max = -min;
    bool useSelection = selectionOnly;
    if (useSelection) {
        useSelection = false;
        for (model::AssetId id : m_selection)
            useSelection = useSelection || m_slots.count(id);
    }
    for (const auto &layer : m_layers)
        for (size_t i = 0; i < layer->boxes.size(); ++i)
            if (!useSelection || m_selection.count(layer->ids[i]))
                layer->boxes[i].extendBounds(min, max);
    if (min.x() > max.x()) { // nothing drawn
        min = QVector3D(-1, -1, -1);
        max = QVector3D(1, 1, 1);
    }
}

QVector3D SceneController::boundsCenter(bool selectionOnly)
{
    QVector3D min, max;
    bounds(selectionOnly, min, max);
    return (min + max) * 0.5f;
}

float SceneController::boundsRadius(bool selectionOnly)
{
    QVector3D min, max;
    bounds(selectionOnly, min, max);
    return std::max(0.5f, (max - min).length() * 0.5f);
}

QVector3D SceneController::assetPosition(qulonglong id)
{
    ensureBuilt();
    const auto it = m_slots.find(id);
    if (it == m_slots.end())
        return {};
    return m_layers[size_t(it->second.layer)]->table->positionAt(it->second.index);
}

QColor SceneController::assetColor(qulonglong id)
{
    ensureBuilt();
    const model::Asset *asset = m_project ? m_project->graph.find(id) : nullptr;
    return asset && m_slots.count(id) ? displayColor(*asset) : QColor();
}

} // namespace twin::viz
