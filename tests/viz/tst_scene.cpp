// The 3D scene: SceneView.qml + SceneController over the demo twin, rendered under Xvfb.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/Project.h"
#include "twin/viz/InstanceTable.h"
#include "twin/viz/MeshGeometry.h"
#include "twin/viz/SceneController.h"
#include "twin/viz/StateColors.h"

#include "SharedData.h"
#include <QApplication>
#include <QElapsedTimer>
#include <QQuickItem>
#include <QQuickView>
#include <QQuickWidget>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <QtTest>

#include <cmath>
#include <memory>

using namespace twin;

namespace {

const QUrl kSceneUrl(QStringLiteral("qrc:/twinworks/qml/SceneView.qml"));

model::AssetId findByName(const model::Project &project, const std::string &name)
{
    for (model::AssetId id : project.graph.allIds())
        if (project.graph.find(id)->name == name)
            return id;
    return model::kNoAsset;
}

struct ImageStats
{
    int distinctColors = 0;
    double nonBackground = 0; // fraction of pixels unlike the top-left (background) pixel
    int greenish = 0;         // lit "Running" green
    int bluish = 0;           // water blue (fill levels)
};

ImageStats analyse(const QImage &source)
{
    const QImage image = source.convertToFormat(QImage::Format_RGB32);
    ImageStats stats;
    QSet<QRgb> colors;
    const QRgb background = image.pixel(2, 2);
    qint64 differing = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            const QRgb c = line[x];
            colors.insert(c & 0xf8f8f8);
            if (std::abs(qRed(c) - qRed(background)) + std::abs(qGreen(c) - qGreen(background)) +
                    std::abs(qBlue(c) - qBlue(background)) >
                30)
                ++differing;
            if (qGreen(c) > qRed(c) + 40 && qGreen(c) > qBlue(c) + 20)
                ++stats.greenish;
            if (qBlue(c) > qRed(c) + 60 && qBlue(c) > qGreen(c) + 20)
                ++stats.bluish;
        }
    }
    stats.distinctColors = int(colors.size());
    stats.nonBackground = double(differing) / double(image.width() * image.height());
    return stats;
}

QVector3D toVec(const std::array<float, 3> &a)
{
    return QVector3D(a[0], a[1], a[2]);
}

} // namespace

class TestScene : public QObject
{
    Q_OBJECT

private:
    model::Project m_project;
    std::unique_ptr<viz::SceneController> m_controller;
    std::unique_ptr<QQuickView> m_view;

    QObject *view3d() const { return m_view->rootObject()->findChild<QObject *>(QStringLiteral("view3d")); }

    QPointF project(const QVector3D &scenePos) const
    {
        QVector3D screen;
        QMetaObject::invokeMethod(view3d(), "mapFrom3DScene", Q_RETURN_ARG(QVector3D, screen),
                                  Q_ARG(QVector3D, scenePos));
        return QPointF(screen.x(), screen.y());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(model::buildDemoTwin(m_project).ok());
        m_controller = std::make_unique<viz::SceneController>();
        m_controller->setProject(&m_project);
        QVERIFY(m_controller->drawnCount() > 30);
        m_view = std::make_unique<QQuickView>();
        m_view->setResizeMode(QQuickView::SizeRootObjectToView);
        m_view->setInitialProperties(
            {{QStringLiteral("controller"), QVariant::fromValue(m_controller.get())}});
        m_view->setSource(kSceneUrl);
        QVERIFY2(m_view->status() == QQuickView::Ready, qPrintable(QDebug::toString(m_view->errors())));
        m_view->resize(1024, 700);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        QVERIFY(view3d());
    }

    void rendersLitColouredScene()
    {
        const QImage image = m_view->grabWindow();
        QCOMPARE(image.size(), QSize(1024, 700) * m_view->devicePixelRatio());
        image.save(QDir::temp().filePath(QStringLiteral("twin_scene_view.png")));
        const ImageStats stats = analyse(image);
        qInfo("distinct colours %d, non-background %.1f%%, green pixels %d", stats.distinctColors,
              stats.nonBackground * 100, stats.greenish);
        QVERIFY2(stats.distinctColors > 200, "render looks flat (black or empty?)");
        QVERIFY2(stats.nonBackground > 0.05, "almost nothing but background drawn");
        QVERIFY2(stats.greenish > 200, "no lit 'Running' green pumps visible");
    }

    void rendersInQuickWidget()
    {
        // How the workbench embeds the scene. QQuickWidget has no setInitialProperties in Qt 6.4:
        // the controller is set on the root object right after loading.
        viz::SceneController controller;
        controller.setProject(&m_project);
        QQuickWidget widget;
        widget.setResizeMode(QQuickWidget::SizeRootObjectToView);
        widget.setSource(kSceneUrl);
        QVERIFY2(widget.status() == QQuickWidget::Ready, qPrintable(QDebug::toString(widget.errors())));
        widget.rootObject()->setProperty("controller", QVariant::fromValue(&controller));
        widget.resize(800, 500);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QImage image;
        QTRY_VERIFY_WITH_TIMEOUT((image = widget.grabFramebuffer(), analyse(image).nonBackground > 0.05),
                                 10000);
        image.save(QDir::temp().filePath(QStringLiteral("twin_scene_widget.png")));
        const ImageStats stats = analyse(image);
        QVERIFY(stats.distinctColors > 200);
        QVERIFY(stats.greenish > 100);
    }

    void clickOnAssetEmitsItsId_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("tank") << "Storage tank T-2";
        QTest::newRow("pump") << "Pump P-102";
        QTest::newRow("skid") << "Skid 4";
    }
    void clickOnAssetEmitsItsId()
    {
        QFETCH(QString, name);
        const model::AssetId id = findByName(m_project, name.toStdString());
        QVERIFY(id);
        const QPointF point = project(toVec(m_project.graph.find(id)->placement.position));
        QVERIFY(QRectF(0, 0, 1024, 700).contains(point));
        QSignalSpy clicked(m_controller.get(), &viz::SceneController::assetClicked);
        QTest::mouseClick(m_view.get(), Qt::LeftButton, Qt::NoModifier, point.toPoint());
        QTRY_COMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toULongLong(), qulonglong(id));
        QCOMPARE(clicked.first().at(1).toBool(), false);

        QTest::mouseMove(m_view.get(), QPoint(5, 5));
        QTRY_VERIFY(m_controller->hoverText().isEmpty());
        QTest::mouseMove(m_view.get(), point.toPoint());
        QTRY_VERIFY(m_controller->hoverText().startsWith(name));
    }

    void clickOnEmptySpaceEmitsZero()
    {
        QSignalSpy clicked(m_controller.get(), &viz::SceneController::assetClicked);
        QTest::mouseClick(m_view.get(), Qt::LeftButton, Qt::ControlModifier, QPoint(5, 5));
        QTRY_COMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toULongLong(), 0ull);
        QCOMPARE(clicked.first().at(1).toBool(), true);
    }

    void placementChangeUpdatesInstance()
    {
        const model::AssetId id = findByName(m_project, "Motor M-103");
        model::Placement p = m_project.graph.find(id)->placement;
        QCOMPARE(m_controller->assetPosition(id), toVec(p.position));
        p.position = {1.5f, 2.5f, 7.f};
        QVERIFY(m_project.graph.setPlacement(id, p).ok());
        QCOMPARE(m_controller->assetPosition(id), QVector3D(1.5f, 2.5f, 7.f));
        QCOMPARE(m_controller->pickRay({1.5f, 50.f, 7.f}, {0, -1, 0}), qulonglong(id));

        // State colour follows the property; selection tints.
        QVERIFY(m_project.graph.setProperty(id, "state", std::string("Fault")).ok());
        QCOMPARE(m_controller->assetColor(id), QColor(220, 50, 45));
        m_controller->setSelection({id});
        QVERIFY(m_controller->assetColor(id).blue() > 200);
        m_controller->setSelection({});
        QCOMPARE(m_controller->assetColor(id), QColor(220, 50, 45));
        QTest::qWait(50); // let it render the changed table once
        QVERIFY(!m_view->grabWindow().isNull());
    }

    void structuralChangesRebuild()
    {
        const int before = m_controller->drawnCount();
        model::Asset extra;
        extra.id = m_project.graph.newId();
        extra.name = "Extra pump";
        extra.typeId = "dtmi:twinworks:demo:Pump;1";
        extra.placement.position = {0, 0.5f, 6};
        QVERIFY(m_project.graph.insertAsset(extra).ok());
        QCOMPARE(m_controller->drawnCount(), before + 1);
        QCOMPARE(m_controller->assetPosition(extra.id), QVector3D(0, 0.5f, 6));
        QVERIFY(m_project.graph.removeSubtree(extra.id).ok());
        QCOMPARE(m_controller->drawnCount(), before);
        QCOMPARE(m_controller->pickRay({0, 50, 6}, {0, -1, 0}), 0ull);
    }

    void problemMarkersLayer()
    {
        const int layers = int(m_controller->layers().size());
        const int drawn = m_controller->drawnCount();
        std::vector<model::AssetId> drawnIds;
        for (model::AssetId id : m_project.graph.allIds())
            if (m_controller->assetPosition(id) != QVector3D() && drawnIds.size() < 2)
                drawnIds.push_back(id);
        QCOMPARE(drawnIds.size(), size_t(2));
        QSignalSpy spy(m_controller.get(), &viz::SceneController::layersChanged);
        m_controller->setProblemAssets({drawnIds[0], drawnIds[1], 999999}); // an unknown id is ignored
        QCOMPARE(m_controller->markerCount(), 2);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(int(m_controller->layers().size()), layers + 1); // the marker layer, last
        QCOMPARE(m_controller->drawnCount(), drawn);              // markers are not assets
        const QVector3D at = m_controller->assetPosition(drawnIds[0]);
        const QVector3D marker = m_controller->markerPosition(drawnIds[0]);
        QCOMPARE(marker.x(), at.x());
        QCOMPARE(marker.z(), at.z());
        QVERIFY(marker.y() > at.y());
        // Markers follow placement changes.
        model::Placement moved = m_project.graph.find(drawnIds[0])->placement;
        moved.position[0] += 2.f;
        QVERIFY(m_project.graph.setPlacement(drawnIds[0], moved).ok());
        QCOMPARE(m_controller->markerPosition(drawnIds[0]).x(), at.x() + 2.f);
        moved.position[0] -= 2.f;
        QVERIFY(m_project.graph.setPlacement(drawnIds[0], moved).ok());
        // One problem left: same layer list; none: the marker layer goes.
        m_controller->setProblemAssets({drawnIds[1]});
        QCOMPARE(m_controller->markerCount(), 1);
        QCOMPARE(spy.count(), 1);
        m_controller->setProblemAssets({});
        QCOMPARE(m_controller->markerCount(), 0);
        QCOMPARE(int(m_controller->layers().size()), layers);
        QCOMPARE(m_controller->markerPosition(drawnIds[1]), QVector3D());
    }

    // The selection shows as the twelve edges of each selected asset's box: a layer of its own after the
    // assets (not pickable, not counted), following selection changes and moves, gone with the selection.
    void selectionOutlineLayer()
    {
        m_controller->setSelection({});
        const int layers = int(m_controller->layers().size());
        const int drawn = m_controller->drawnCount();
        const model::AssetId tank = findByName(m_project, "Storage tank T-2");
        const model::AssetId skid = findByName(m_project, "Skid 1");
        QCOMPARE(m_controller->outlineEdgeCount(), 0);
        QSignalSpy spy(m_controller.get(), &viz::SceneController::layersChanged);
        m_controller->setSelection({tank});
        QCOMPARE(m_controller->outlineEdgeCount(), 12);
        QCOMPARE(int(m_controller->layers().size()), layers + 1);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(m_controller->drawnCount(), drawn);
        auto outline = [&] {
            return qobject_cast<viz::InstanceTable *>(
                m_controller->layers().last().toMap().value("instancing").value<QObject *>());
        };
        auto centre = [&] {
            QVector3D sum;
            for (int i = 0; i < outline()->count(); ++i)
                sum += outline()->positionAt(i);
            return sum / float(outline()->count());
        };
        QVERIFY(outline());
        const QVector3D at = m_controller->assetPosition(tank);
        QVERIFY((centre() - QVector3D(at.x(), centre().y(), at.z())).length() < 1e-3f);
        // the edges are not picked: a ray down onto the tank (beside its level sensor) still finds the tank
        QCOMPARE(m_controller->pickRay(at + QVector3D(1.5f, 50, 0), {0, -1, 0}), qulonglong(tank));
        m_controller->setSelection({tank, skid});
        QCOMPARE(m_controller->outlineEdgeCount(), 24);
        QCOMPARE(spy.count(), 1); // the same layer, refilled
        m_controller->setSelection({tank});
        model::Placement moved = m_project.graph.find(tank)->placement;
        moved.position[2] += 3.f;
        QVERIFY(m_project.graph.setPlacement(tank, moved).ok());
        QVERIFY(std::abs(centre().z() - (at.z() + 3.f)) < 1e-3f);
        moved.position[2] -= 3.f;
        QVERIFY(m_project.graph.setPlacement(tank, moved).ok());
        // Edges about three pixels of the view wide (the view says how big a pixel is), never more than half
        // the asset; a few centimetres without a view.
        QVERIFY(m_controller->outlineWidth(tank) > 0.f);
        m_controller->setOutlinePixelSize(0.f);
        const float plain = m_controller->outlineWidth(tank);
        QVERIFY(plain >= 0.015f && plain <= 0.08f);
        m_controller->setOutlinePixelSize(0.02f);
        QCOMPARE(m_controller->outlineWidth(tank), 0.06f);
        m_controller->setOutlinePixelSize(100.f);
        QVERIFY(m_controller->outlineWidth(tank) < 10.f);
        m_controller->setOutlinePixelSize(0.f);
        QCOMPARE(m_controller->outlineWidth(skid), 0.f); // not selected
        m_controller->setSelection({});
        QCOMPARE(m_controller->outlineEdgeCount(), 0);
        QCOMPARE(int(m_controller->layers().size()), layers);
    }

    // The view's legend says what the colours mean: the four operating states, in their colours; nothing
    // while a colour overlay (calibration status, say) replaces them. Drawn in the view under Xvfb.
    void stateLegend()
    {
        QSignalSpy spy(m_controller.get(), &viz::SceneController::legendChanged);
        QVariantList legend = m_controller->legend();
        QCOMPARE(legend.size(), 4);
        QCOMPARE(legend[0].toMap().value("name").toString(), QString("Running"));
        QCOMPARE(legend[2].toMap().value("color").value<QColor>(), viz::stateColor("Fault"));
        QQuickItem *box = m_view->rootObject()->findChild<QQuickItem *>("stateLegend");
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QVERIFY(box->height() > 4 * 12);
        const model::AssetId tank = findByName(m_project, "Storage tank T-2");
        m_controller->setColorOverlay({{tank, QColor(0, 200, 0)}});
        QCOMPARE(spy.count(), 1);
        QVERIFY(m_controller->legend().isEmpty());
        QTRY_VERIFY(!box->isVisible());
        m_controller->setColorOverlay({});
        QCOMPARE(spy.count(), 2);
        QCOMPARE(m_controller->legend().size(), 4);
        QTRY_VERIFY(box->isVisible());
    }

    // Labels above assets: hung above the asset's top (clear of its marker), following it when it moves;
    // in the view each label sits on its anchor's projection; where two overlap only the one of higher
    // priority is shown, and a selected asset's wins over any.
    void labelsAboveAssets()
    {
        const model::AssetId tank = findByName(m_project, "Storage tank T-2");
        const model::AssetId other = findByName(m_project, "Storage tank T-1");
        m_controller->setSelection({});
        QSignalSpy spy(m_controller.get(), &viz::SceneController::labelsChanged);
        m_controller->setLabels({{tank, {"Storage tank T-2\nlevel  4.70 m", QColor(90, 200, 120), 0}},
                                 {other, {"Storage tank T-1", QColor(255, 190, 0), 2}},
                                 {model::kNoAsset, {"not drawn", QColor(), 0}}});
        QCOMPARE(spy.count(), 1);
        QCOMPARE(m_controller->labels().size(), 2);
        const QVector3D at = m_controller->assetPosition(tank), anchor = m_controller->labelAnchor(tank);
        QCOMPARE(anchor.x(), at.x());
        QCOMPARE(anchor.z(), at.z());
        QVERIFY(anchor.y() > at.y() + 1.f);
        auto shown = [&] {
            QMap<QString, QQuickItem *> items; // the Repeater's items are the layer's children as items only
            for (QQuickItem *item : m_view->rootObject()->findChild<QQuickItem *>("labelLayer")->childItems())
                if (item->objectName() == "assetLabel" && item->isVisible())
                    items[item->property("assetId").toString()] = item;
            return items;
        };
        const QString tankKey = QString::number(tank), otherKey = QString::number(other);
        QTRY_COMPARE(shown().size(), 2);
        QQuickItem *label = shown()[tankKey];
        const QPointF foot = project(anchor);
        QVERIFY(std::abs(label->x() + label->width() / 2 - foot.x()) <= 1.5);
        QVERIFY(std::abs(label->y() + label->height() - foot.y()) <= 1.5);

        // T-1 moved onto T-2: the labels overlap and the one of higher priority (T-1's amber) stays;
        // selected, T-2's wins.
        const model::Placement original = m_project.graph.find(other)->placement;
        model::Placement onTop = original;
        onTop.position = m_project.graph.find(tank)->placement.position;
        QVERIFY(m_project.graph.setPlacement(other, onTop).ok());
        QCOMPARE(m_controller->labelAnchor(other).x(), anchor.x()); // followed the move
        QTRY_COMPARE(shown().keys(), QStringList({otherKey}));
        m_controller->setSelection({tank});
        QTRY_COMPARE(shown().keys(), QStringList({tankKey}));
        m_controller->setSelection({});
        QVERIFY(m_project.graph.setPlacement(other, original).ok());
        QTRY_COMPARE(shown().size(), 2);
        m_controller->setLabels({});
        QCOMPARE(m_controller->labels().size(), 0);
        QTRY_COMPARE(shown().size(), 0);
    }

    // Fill levels: the filled part of a tank, from its bottom up to the fraction of its height, just outside
    // its walls; it follows the tank when it moves; a fraction over 1 is full, 0 draws nothing.
    void fillLevelsDrawTheFilledPart()
    {
        const model::AssetId tank = findByName(m_project, "Storage tank T-2");
        const model::AssetId other = findByName(m_project, "Storage tank T-1");
        const int layers = int(m_controller->layers().size());
        QCOMPARE(m_controller->fillCount(), 0);
        // Drawn: water blue appears on the tank, and every other layer stays drawn (the view keeps its Models
        // when a layer is added: the running-green pumps and motors are as many pixels as before).
        const ImageStats before = analyse(m_view->grabWindow());
        m_controller->setFillLevels({{tank, 0.6f}, {other, 0.f}});
        ImageStats after;
        QTRY_VERIFY((after = analyse(m_view->grabWindow())).bluish > before.bluish + 2000);
        QCOMPARE(after.greenish, before.greenish);
        m_controller->setFillLevels({{tank, 0.25f}, {other, 0.f}});
        QCOMPARE(m_controller->fillCount(), 1);
        QCOMPARE(int(m_controller->layers().size()), layers + 1);
        const model::Placement &p = m_project.graph.find(tank)->placement; // a 4 x 6 x 4 m cylinder
        QVector3D centre, size;
        QVERIFY(m_controller->fillBox(tank, centre, size));
        const float bottom = p.position[1] - p.scale[1] / 2;
        QVERIFY(std::abs(centre.y() - size.y() / 2 - bottom) < 1e-4f);
        QVERIFY(std::abs(size.y() - 0.25f * 0.995f * p.scale[1]) < 1e-4f);
        QVERIFY(size.x() > p.scale[0] && size.x() < 1.05f * p.scale[0]);
        QVERIFY(std::abs(centre.x() - p.position[0]) < 1e-4f);
        m_controller->setFillLevels({{tank, 3.f}});
        QVERIFY(m_controller->fillBox(tank, centre, size));
        QVERIFY(size.y() < p.scale[1] && size.y() > 0.99f * p.scale[1]);
        model::Placement moved = p;
        moved.position[0] += 2.f;
        QVERIFY(m_project.graph.setPlacement(tank, moved).ok());
        QVERIFY(m_controller->fillBox(tank, centre, size));
        QVERIFY(std::abs(centre.x() - moved.position[0]) < 1e-4f);
        moved.position[0] -= 2.f;
        QVERIFY(m_project.graph.setPlacement(tank, moved).ok());
        m_controller->setFillLevels({});
        QCOMPARE(m_controller->fillCount(), 0);
        QCOMPARE(int(m_controller->layers().size()), layers);
    }

    void shiftDragMovesSelection()
    {
        const model::AssetId id = findByName(m_project, "Storage tank T-2");
        const model::AssetId other = findByName(m_project, "Skid 1");
        m_controller->setSelection({id, other});
        const QVector3D start = toVec(m_project.graph.find(id)->placement.position);
        QSignalSpy dragged(m_controller.get(), &viz::SceneController::placementsDragged);
        QSignalSpy finished(m_controller.get(), &viz::SceneController::dragFinished);
        // Grab the tank beside the level sensor on its top (the sensor is not selected).
        QVERIFY(m_controller->beginDrag(start + QVector3D(1.5f, 50, 0), {0, -1, 0}));
        m_controller->dragTo(start + QVector3D(3.5f, 50, -1), {0, -1, 0});
        QCOMPARE(dragged.count(), 1);
        const auto placements = dragged.first().at(0).value<viz::PlacementMap>();
        QCOMPARE(placements.size(), size_t(2));
        QCOMPARE(toVec(placements.at(id).position), start + QVector3D(2, 0, -1));
        m_controller->endDrag();
        QCOMPARE(finished.count(), 1);
        QVERIFY(!m_controller->beginDrag({100, 50, 100}, {0, -1, 0})); // nothing there
        m_controller->setSelection({});
    }

    void fitFramesSelection()
    {
        const model::AssetId id = findByName(m_project, "Level LT-1");
        m_controller->setSelection({id});
        QVERIFY(m_controller->boundsRadius(true) < 1.f);
        QVERIFY(m_controller->boundsRadius(false) > 5.f);
        QVERIFY((m_controller->boundsCenter(true) - QVector3D(-4, 6.4f, -8)).length() < 0.01f);
        m_controller->requestFit();
        QVERIFY(m_view->rootObject()->property("distance").toReal() < 5.0);
        m_controller->setSelection({});
        QVERIFY(QMetaObject::invokeMethod(m_view->rootObject(), "fitTo", Q_ARG(QVariant, false)));
    }

    void picks100kAssets()
    {
        model::Project big;
        const int side = 317; // 100,489 assets on a 2 m grid
        for (int i = 0; i < side * side; ++i) {
            model::Asset a;
            a.id = big.graph.newId();
            a.name = "Box " + std::to_string(i);
            a.typeId = "dtmi:bench:Box;1";
            a.placement.position = {float(i % side) * 2.f, 0.5f, float(i / side) * 2.f};
            QVERIFY(big.graph.insertAsset(a).ok());
        }
        // Correctness at scale; build and pick times are measured by tests/bench/bench_instancing.
        viz::SceneController controller;
        controller.setProject(&big);
        QCOMPARE(controller.drawnCount(), side * side);
        const model::AssetId target = 12345 + 1; // ids start at 1
        const QVector3D pos = toVec(big.graph.find(target)->placement.position);
        QCOMPARE(controller.pickRay(pos + QVector3D(0, 100, 0), {0, -1, 0}), qulonglong(target));
        // A slanted ray hits the nearest box first.
        QCOMPARE(controller.pickRay(pos + QVector3D(-30, 30.5f, 0), {1, -1, 0}), qulonglong(target));
        model::Placement moved = big.graph.find(target)->placement;
        moved.position = {-10, 0.5f, -10};
        QVERIFY(big.graph.setPlacement(target, moved).ok());
        QCOMPARE(controller.pickRay({-10, 100, -10}, {0, -1, 0}), qulonglong(target));
        QCOMPARE(controller.pickRay(pos + QVector3D(0, 100, 0), {0, -1, 0}), qulonglong(0)); // moved away
    }

    void fileMeshLayers()
    {
        TWIN_SKIP_WITHOUT_SHARED_DATA();
        model::Project project;
        QVERIFY(model::buildDemoTwin(project).ok());
        viz::SceneController controller;
        controller.setProject(&project);
        auto loadedMeshes = [&controller] {
            int loaded = 0;
            for (const QVariant &layer : controller.layers()) {
                auto *geometry =
                    qobject_cast<viz::MeshGeometry *>(layer.toMap().value("geometry").value<QObject *>());
                loaded += geometry && geometry->triangleCount() > 0;
            }
            return loaded;
        };
        const int layers = int(controller.layers().size());
        const int meshesBefore = loadedMeshes(); // the demo's own valve and motor
        const QString stl = QStringLiteral(TWIN_SHARED_DATA "/3d/stl/abb_irb4400l_30_243/link_2.stl");
        model::setMeshForType(project, "dtmi:twinworks:demo:Tank;1", "file:" + stl.toStdString());
        model::setMeshForType(project, "dtmi:twinworks:demo:Skid;1", "file:/nonexistent/skid.obj");
        controller.refresh();
        QCOMPARE(controller.layers().size(), layers + 1); // the STL; the broken skid mesh falls back to cubes
        QCOMPARE(controller.meshErrors().size(), 1);
        QVERIFY(controller.meshErrors().first().contains(QStringLiteral("/nonexistent/skid.obj")));
        QCOMPARE(loadedMeshes(), meshesBefore + 1);
        const model::AssetId tank = findByName(project, "Storage tank T-1");
        QCOMPARE(controller.assetPosition(tank), QVector3D(-4, 3, -8));
    }

    // The demo's valve and motor are relative "file:" meshes from the bundled resources; a project's
    // own folder takes precedence over them.
    void relativeMeshPaths()
    {
        TWIN_SKIP_WITHOUT_SHARED_DATA();
        model::Project project;
        QVERIFY(model::buildDemoTwin(project).ok());
        viz::SceneController controller;
        controller.setProject(&project);
        QVERIFY2(controller.meshErrors().isEmpty(), qPrintable(controller.meshErrors().join("\n")));
        const QString bundled = controller.resolveMeshPath(QStringLiteral("meshes/valve.ply"));
        QVERIFY2(bundled.endsWith(QStringLiteral("resources/meshes/valve.ply")) && QFileInfo::exists(bundled),
                 qPrintable(bundled));
        QCOMPARE(controller.resolveMeshPath(QStringLiteral("/abs/x.stl")), QStringLiteral("/abs/x.stl"));

        QTemporaryDir projectDir;
        QVERIFY(QDir(projectDir.path()).mkpath("meshes"));
        const QString own = projectDir.filePath(QStringLiteral("meshes/valve.ply"));
        QVERIFY(QFile::copy(QStringLiteral(TWIN_SHARED_DATA "/3d/obj/assimp-tests/box.obj"),
                            projectDir.filePath(QStringLiteral("box.obj"))));
        QVERIFY(QFile::copy(bundled, own));
        controller.setBaseDirectory(projectDir.path());
        QCOMPARE(controller.resolveMeshPath(QStringLiteral("meshes/valve.ply")), own);
        QVERIFY(controller
                    .resolveMeshPath(QStringLiteral("meshes/motor.stl")) // not in the project: bundled
                    .endsWith(QStringLiteral("resources/meshes/motor.stl")));
        model::setMeshForType(project, "dtmi:twinworks:demo:Tank;1", "file:box.obj");
        model::setMeshForType(project, "dtmi:twinworks:demo:Skid;1", "file:meshes/missing.stl");
        controller.refresh();
        QCOMPARE(controller.meshErrors().size(), 1); // the error names where it looked first
        QVERIFY2(controller.meshErrors().first().contains(projectDir.filePath("meshes/missing.stl")),
                 qPrintable(controller.meshErrors().first()));
        const model::AssetId tank = findByName(project, "Storage tank T-1");
        QVERIFY(controller.drawnCount() > 30);
        QCOMPARE(controller.pickRay({-4, 3, 50}, {0, 0, -1}), qulonglong(tank)); // the box.obj layer
    }

    void detachOnNullProject()
    {
        viz::SceneController controller;
        controller.setProject(&m_project);
        QVERIFY(controller.drawnCount() > 0);
        controller.setProject(nullptr);
        QCOMPARE(controller.drawnCount(), 0);
        QVERIFY(controller.layers().isEmpty());
        QVERIFY(m_project.graph.setPlacement(findByName(m_project, "Skid 1"), {}).ok()); // must not reach it
    }

    void cleanupTestCase()
    {
        m_view.reset();
        m_controller.reset();
    }
};

QTEST_MAIN(TestScene)
#include "tst_scene.moc"
