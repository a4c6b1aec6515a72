#pragma once
// View-model of the 3D scene (qml/SceneView.qml binds to it). GUI thread only.
//
// Draws every asset whose type has a mesh (model::meshForType) as one instance of an
// instanced Model per mesh kind ("layer"). Listens to the graph and updates single
// instances on placement/property changes; structural changes rebuild the tables
// (coalesced, once per event-loop turn, and on demand before any query).
// Never mutates the graph: drags are reported through placementsDragged().
#include "twin/model/graph/TwinGraph.h"
#include "twin/viz/OrientedBox.h"

#include <QColor>
#include <QObject>
#include <QStringList>
#include <QVariantList>
#include <QVector3D>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace twin::model {
struct Project;
}

namespace twin::viz {

class InstanceTable;
struct InstanceSpec;
class LayerListModel;
class MeshGeometry;
using PlacementMap = std::map<model::AssetId, model::Placement>;

// A text drawn above an asset in the view (its values, say), in the colour of its condition. Where labels
// overlap on screen the view keeps a selected asset's, then those of higher priority.
struct AssetLabel
{
    QString text;
    QColor color;
    int priority = 0;
    bool operator==(const AssetLabel &) const = default;
};

class SceneController : public QObject, private model::GraphObserver
{
    Q_OBJECT
    // [{source: "#Cube" | "", geometry: MeshGeometry | null, instancing: InstanceTable}]
    Q_PROPERTY(QVariantList layers READ layers NOTIFY layersChanged)
    // The same as a list model that changes row by row: what the view's Repeater3D shows.
    Q_PROPERTY(QObject *layerModel READ layerModel CONSTANT)
    Q_PROPERTY(QString colorProperty READ colorProperty WRITE setColorProperty NOTIFY colorPropertyChanged)
    Q_PROPERTY(QString hoverText READ hoverText NOTIFY hoverTextChanged)
    Q_PROPERTY(bool dragging READ dragging NOTIFY draggingChanged)
    Q_PROPERTY(int drawnCount READ drawnCount NOTIFY layersChanged)
    Q_PROPERTY(QStringList meshErrors READ meshErrors NOTIFY layersChanged)
    Q_PROPERTY(QVariantList legend READ legend NOTIFY legendChanged)
    // [{id, text, color, priority, position}]: labels to draw above assets (SceneLabels.cpp)
    Q_PROPERTY(QVariantList labels READ labels NOTIFY labelsChanged)

public:
    explicit SceneController(QObject *parent = nullptr);
    ~SceneController() override;

    // Not owned. The project must outlive the controller or be detached (nullptr) first.
    void setProject(model::Project *project);
    model::Project *project() const { return m_project; }

    // Folder of the open project file (empty when untitled). Relative "file:" meshes resolve against
    // it first, then against the bundled resources; see resolveMeshPath().
    void setBaseDirectory(const QString &directory);
    QString baseDirectory() const { return m_baseDirectory; }
    // Absolute path for a "file:" mesh path. Absolute paths are kept; relative ones are tried in the
    // base directory, <executable>/../share/twinworks and the source tree's resources/ (TWIN_RESOURCE_DIR),
    // in that order; the first existing file wins (the first candidate when none exists).
    QString resolveMeshPath(const QString &path) const;

    QVariantList layers();
    QObject *layerModel();
    QString colorProperty() const { return m_colorProperty; }
    void setColorProperty(const QString &name);
    QString hoverText() const { return m_hoverText; }
    bool dragging() const { return m_dragging; }
    int drawnCount();
    QStringList meshErrors() const { return m_meshErrors; }

    void setSelection(const std::vector<model::AssetId> &ids);
    const std::unordered_set<model::AssetId> &selection() const { return m_selection; }
    // Live/replayed state per asset (from the state engine); overrides the colour property while set.
    // Only assets whose state changed are re-coloured. An empty map removes the overlay.
    void setStateOverlay(const std::unordered_map<model::AssetId, std::string> &states);
    std::string overlayState(model::AssetId id) const;
    // A colour per asset that wins over states and the colour property while set (calibration status, say);
    // assets it does not name are drawn in `others`, a light grey, so the named ones stand out. An empty map
    // removes it. Every instance is re-coloured.
    void setColorOverlay(std::unordered_map<model::AssetId, QColor> colors,
                         QColor others = QColor(214, 214, 214));
    bool hasColorOverlay() const { return !m_colorOverlay.empty(); }
    // What the colours mean, for the view's legend: the operating states ({"name", "color"} maps), or nothing
    // while a colour overlay replaces them.
    QVariantList legend() const;
    // Assets with data-quality problems (stale signals, flagged samples): each drawn one gets an amber
    // marker sphere above it, drawn as a separate instanced layer (last in `layers`, only while any is
    // shown; not pickable, not counted in drawnCount). SceneMarkers.cpp.
    void setProblemAssets(const std::unordered_set<model::AssetId> &ids);
    const std::unordered_set<model::AssetId> &problemAssets() const { return m_problems; }
    // Assets with an active alarm (an anomaly a detector found, say) and its colour: the same marker in that
    // colour, which wins over a data-quality marker on the same asset. Shows alarms on assets that have no
    // state of their own to colour. An empty map removes them.
    void setAlarmAssets(const std::unordered_map<model::AssetId, QColor> &colors);
    const std::unordered_map<model::AssetId, QColor> &alarmAssets() const { return m_alarms; }
    // Labels above assets (replacing those set before; an empty map removes them). Only drawn assets get
    // one; it follows the asset when it moves.
    void setLabels(std::unordered_map<model::AssetId, AssetLabel> labels);
    const std::unordered_map<model::AssetId, AssetLabel> &assetLabels() const { return m_labels; }
    QVariantList labels();
    // The point a label hangs from: above the asset's top and its marker (tests); (0,0,0) when not drawn.
    Q_INVOKABLE QVector3D labelAnchor(qulonglong id);
    // How full each asset is (0 to 1; a tank's level): the filled part of its box drawn as a water-blue
    // cylinder just outside its walls from its bottom up, an instanced layer after the assets' (not
    // pickable, not counted in drawnCount); it follows moves. An empty map removes it. SceneFill.cpp.
    void setFillLevels(const std::unordered_map<model::AssetId, float> &fractions);
    const std::unordered_map<model::AssetId, float> &fillLevels() const { return m_fills; }
    Q_INVOKABLE int fillCount();
    // The drawn fill of an asset (tests): its centre and size in metres; false when it has none.
    bool fillBox(model::AssetId id, QVector3D &centre, QVector3D &size);
    // The colour of the asset's marker (tests); invalid when it has none.
    QColor markerColor(model::AssetId id);
    Q_INVOKABLE int markerCount();
    // Position of the asset's marker as uploaded (tests); (0,0,0) when it has none.
    Q_INVOKABLE QVector3D markerPosition(qulonglong id);
    Q_INVOKABLE bool isSelected(qulonglong id) const { return m_selection.count(id) > 0; }
    // The selection outline: twelve edges per drawn selected asset, an instanced layer after the markers
    // (not pickable, not counted in drawnCount). SceneOutline.cpp.
    Q_INVOKABLE int outlineEdgeCount();
    // The view's world size of a pixel (metres at the camera's target): the edges are drawn about three
    // pixels wide (within limits set by the asset's size); 0 (the default) draws them a few centimetres wide.
    Q_INVOKABLE void setOutlinePixelSize(float metres);
    // Width of the edges of the asset's outline in metres (tests); 0 when it has none.
    float outlineWidth(model::AssetId id) const;

    // Nearest drawn asset whose oriented box the ray hits; 0 when none.
    Q_INVOKABLE qulonglong pickRay(QVector3D origin, QVector3D direction);
    Q_INVOKABLE void click(QVector3D origin, QVector3D direction, bool additive);
    Q_INVOKABLE void hover(QVector3D origin, QVector3D direction);
    Q_INVOKABLE void clearHover();

    // Moving selected assets on the horizontal plane through the grabbed asset.
    Q_INVOKABLE bool beginDrag(QVector3D origin, QVector3D direction);
    Q_INVOKABLE void dragTo(QVector3D origin, QVector3D direction);
    Q_INVOKABLE void endDrag();

    // Bounds of the selection (falls back to everything when nothing is selected) or of everything.
    Q_INVOKABLE QVector3D boundsCenter(bool selectionOnly);
    Q_INVOKABLE float boundsRadius(bool selectionOnly);
    // Position of the asset's instance as uploaded to the renderer (tests); (0,0,0) if not drawn.
    Q_INVOKABLE QVector3D assetPosition(qulonglong id);
    Q_INVOKABLE QColor assetColor(qulonglong id); // displayed colour, selection tint included

public slots:
    void requestFit() { emit fitRequested(); }
    // Rebuilds everything now: call after changing what the graph does not notify (mesh hints in project
    // meta).
    void refresh();

signals:
    void legendChanged();
    void labelsChanged();
    void layersChanged();
    void colorPropertyChanged();
    void hoverTextChanged();
    void draggingChanged();
    void selectionChanged();
    void assetClicked(qulonglong id, bool additive); // id 0: empty space
    // New placements of all selected assets for the current drag (absolute, from the drag start).
    void placementsDragged(const twin::viz::PlacementMap &placements);
    void dragFinished();
    void fitRequested();

private:
    struct Layer;
    struct Slot
    {
        int layer = -1;
        int index = -1;
    };

    // GraphObserver
    void inserted(model::AssetId id) override;
    void removed(model::AssetId id, model::AssetId parent) override;
    void changed(model::AssetId id) override;
    void placementChanged(model::AssetId id) override;
    void reset() override;

    void detach();
    void markStructureDirty();
    void ensureBuilt();
    void rebuild(); // SceneLayers.cpp
    Layer *createLayer(const std::string &meshKey);
    // Layer key of a mesh hint: "" (not drawn), "cube", "cylinder", "sphere" or "file:<absolute path>".
    std::string layerKey(const std::string &mesh);
    int layerFor(const std::string &typeId, std::unordered_map<std::string, int> &cache,
                 std::vector<std::unique_ptr<Layer>> &reuse);
    void updateInstance(model::AssetId id, bool transform);
    void bounds(bool selectionOnly, QVector3D &min, QVector3D &max);
    QColor displayColor(const model::Asset &asset) const;
    void fillMarkers();                  // SceneMarkers.cpp: the marker table from m_problems and the slots
    void fillFills();                    // SceneFill.cpp: the fill table from m_fills and the slots
    void fillOutline();                  // SceneOutline.cpp: the outline table from m_selection and the boxes
    void moveOutline(model::AssetId id); // SceneOutline.cpp: a selected asset's edges after it moved
    bool outlineEdges(model::AssetId id, std::vector<InstanceSpec> &out) const; // false: not drawn
    void labelsMoved(); // SceneLabels.cpp: positions may have changed (a rebuild, a labelled asset moved)
    std::vector<const Layer *> extraLayers() const; // the fill, markers and outline, those with instances
    bool layerListMatches() const;                  // m_layerList shows m_layers, then extraLayers()
    void publishLayerList();                        // rebuilds m_layerList and emits layersChanged

    model::Project *m_project = nullptr; // not owned
    std::vector<std::unique_ptr<Layer>> m_layers;
    std::unordered_map<model::AssetId, Slot> m_slots;
    std::unordered_set<model::AssetId> m_selection;
    std::unordered_map<model::AssetId, std::string> m_overlay; // asset -> state name
    std::unordered_map<model::AssetId, QColor> m_colorOverlay; // asset -> colour, over everything else
    QColor m_overlayOthers;
    std::unordered_set<model::AssetId> m_problems;
    std::unordered_map<model::AssetId, QColor> m_alarms;
    std::unordered_map<model::AssetId, float> m_fills;
    std::unique_ptr<Layer> m_fill;                           // created on first use
    std::vector<model::AssetId> m_fillIds;                   // fill instance index -> asset
    std::unique_ptr<Layer> m_markers;                        // created on first use
    std::vector<model::AssetId> m_markerIds;                 // marker instance index -> asset
    std::unique_ptr<Layer> m_outline;                        // created on first use
    std::size_t m_outlineCount = 0;                          // edges in it
    std::unordered_map<model::AssetId, int> m_outlineGroups; // asset -> its twelve edges' group in the table
    float m_outlinePixel = 0.f; // metres per pixel at the camera's target, 0 when unknown
    std::unordered_map<model::AssetId, AssetLabel> m_labels;
    QVariantList m_labelList; // what labels() returns, rebuilt when m_labelsDirty
    bool m_labelsDirty = true;
    QVariantList m_layerList;
    LayerListModel *m_layerModel; // owned (QObject child)
    QStringList m_meshErrors;
    QString m_baseDirectory;
    std::unordered_map<std::string, std::string> m_resolvedKeys; // mesh hint -> layer key
    QString m_colorProperty = QStringLiteral("state");
    std::string m_colorPropertyStd = "state";
    QString m_hoverText;
    bool m_dirty = false;
    bool m_rebuildQueued = false;

    bool m_dragging = false;
    float m_dragHeight = 0.f;
    QVector3D m_dragStart;
    PlacementMap m_dragOriginal;
};

} // namespace twin::viz
