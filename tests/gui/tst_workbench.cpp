// Drives the real workbench window: pick in 3D, rename, undo, drag-and-drop reparent, save and reopen,
// and a screenshot that must not be blank.
#include "twin/model/commands/AssetCommands.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/dtdl/DtdlImporter.h"
#include "twin/model/lifecycle/AuditLog.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/ui/assets/AssetTreeModel.h"
#include "twin/ui/assets/AssetTreePanel.h"
#include "twin/ui/assets/CameraBookmarks.h"
#include "twin/ui/assets/PropertyEditor.h"
#include "twin/ui/assets/RelationshipEditor.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/EditOperations.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/import/DtdlIssuesDialog.h"
#include "twin/ui/shell/FileActions.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/viz/SceneController.h"

#include "SharedData.h"
#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QQuickItem>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableWidget>
#include <QTreeView>

#include <QtTest>

using namespace twin;
using model::AssetId;

namespace {
AssetId findByName(const model::Project &p, const std::string &name)
{
    for (AssetId id : p.graph.allIds())
        if (p.graph.find(id)->name == name)
            return id;
    return model::kNoAsset;
}

QString snapshot(const model::Project &p)
{
    QString out;
    for (AssetId id : p.graph.allIds()) {
        const auto &a = *p.graph.find(id);
        out += QString::fromStdString(p.graph.path(id) + "|" + a.typeId);
        for (const auto &[k, v] : a.properties)
            out += QString::fromStdString(" " + k + "=" + model::valueToJson(v));
        out += QString(" @%1,%2,%3\n")
                   .arg(a.placement.position[0])
                   .arg(a.placement.position[1])
                   .arg(a.placement.position[2]);
    }
    out += QString::number(p.graph.relationships().size());
    return out;
}
} // namespace

class TestWorkbench : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void screenshotIsNotBlank();
    void clickIn3DSelectsInTree();
    void renameInPropertyEditorAndUndo();
    void invalidPropertyInputIsRejected();
    void dragAndDropReparents();
    void relationshipTargetsAreConstrained();
    void saveAndReopenGivesSameTwin();
    void openingDamagedFileKeepsProject();
    void autosaveWritesRecoverableCopy();
    void importDtdlAddsTypesOrNothing();
    void importOverParserLimitsListsWarnings();
    void typeMeshComboRedrawsScene();
    void cameraBookmarksFlyBack();

private:
    QPoint screenPointOf(AssetId id);
    QTemporaryDir m_dir;
    ui::ProjectDocument *m_document = nullptr;
    ui::MainWindow *m_window = nullptr;
};

void TestWorkbench::initTestCase()
{
    qputenv("TWIN_NO_PROMPTS", "1");
    QCoreApplication::setOrganizationName("TwinworksTest");
    m_document = new ui::ProjectDocument;
    m_window = new ui::MainWindow(*m_document);
    auto project = std::make_unique<model::Project>();
    QVERIFY(model::buildDemoTwin(*project).ok());
    m_document->adopt(std::move(project), {}, false);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QVERIFY2(m_window->sceneWidget()->loadError().isEmpty(),
             qPrintable(m_window->sceneWidget()->loadError()));
    QTRY_VERIFY(m_window->sceneWidget()->rootObject() != nullptr);
    QTest::qWait(1500); // let the scene render a few frames
}

void TestWorkbench::cleanupTestCase()
{
    delete m_window;
    delete m_document;
}

QPoint TestWorkbench::screenPointOf(AssetId id)
{
    auto *controller = m_window->sceneWidget()->controller();
    QObject *view3d = m_window->sceneWidget()->rootObject()->findChild<QObject *>("view3d");
    if (!view3d)
        return {};
    QVector3D screen;
    QMetaObject::invokeMethod(view3d, "mapFrom3DScene", Q_RETURN_ARG(QVector3D, screen),
                              Q_ARG(QVector3D, controller->assetPosition(id)));
    auto *item = qobject_cast<QQuickItem *>(view3d);
    const QPointF inRoot =
        item->mapToItem(m_window->sceneWidget()->rootObject(), QPointF(screen.x(), screen.y()));
    return inRoot.toPoint();
}

void TestWorkbench::screenshotIsNotBlank()
{
    const QString path = m_dir.path() + "/workbench.png";
    QVERIFY(m_window->saveScreenshot(path).isEmpty());
    QImage image(path);
    QVERIFY(!image.isNull());
    // Look at the 3D view's area only: a black or empty render has almost one colour.
    const QRect sceneRect(m_window->sceneWidget()->mapTo(m_window, QPoint(0, 0)),
                          m_window->sceneWidget()->size());
    const QImage scene = image.copy(sceneRect);
    QSet<QRgb> colours;
    qint64 dark = 0;
    for (int y = 0; y < scene.height(); y += 3)
        for (int x = 0; x < scene.width(); x += 3) {
            const QRgb c = scene.pixel(x, y);
            colours.insert(c & 0xF0F0F0);
            dark += qGray(c) < 20;
        }
    const qint64 samples = qint64(scene.width() / 3) * (scene.height() / 3);
    QVERIFY2(colours.size() > 20, qPrintable(QString("only %1 colours in the 3D view").arg(colours.size())));
    QVERIFY2(dark < samples / 2, "the 3D view is mostly black");
    if (qEnvironmentVariableIsSet("TWIN_SCREENSHOT_OUT"))
        image.save(qEnvironmentVariable("TWIN_SCREENSHOT_OUT"));
}

void TestWorkbench::clickIn3DSelectsInTree()
{
    const AssetId tank = findByName(m_document->project(), "Storage tank T-1");
    QVERIFY(tank);
    const QPoint point = screenPointOf(tank);
    QVERIFY(m_window->sceneWidget()->rect().contains(point));
    QTest::mouseClick(m_window->sceneWidget(), Qt::LeftButton, {}, point);
    QTRY_COMPARE(m_document->selection().current(), tank);
    // The tree follows.
    auto *panel = m_window->treePanel();
    const QModelIndex current = panel->proxy()->mapToSource(panel->view()->currentIndex());
    QCOMPARE(panel->model()->idOf(current), tank);
    // Clicking empty sky clears the selection.
    QTest::mouseClick(m_window->sceneWidget(), Qt::LeftButton, {}, QPoint(10, 10));
    QTRY_VERIFY(m_document->selection().selection().empty());
}

void TestWorkbench::renameInPropertyEditorAndUndo()
{
    const AssetId pump = findByName(m_document->project(), "Pump P-101");
    QVERIFY(pump);
    m_document->selection().setSelection({pump});
    auto *name = m_window->propertyEditor()->findChild<QLineEdit *>("nameEdit");
    QVERIFY(name);
    QCOMPARE(name->text(), QString("Pump P-101"));
    name->setFocus();
    name->selectAll();
    QTest::keyClicks(name, "Booster pump");
    QTest::keyClick(name, Qt::Key_Return);
    QCOMPARE(QString::fromStdString(m_document->project().graph.find(pump)->name), QString("Booster pump"));
    QVERIFY(m_document->isModified());
    // Undo through the real menu action, from a different selection: the selection comes back.
    m_document->selection().clear();
    auto *undo = m_window->findChild<QAction *>("actionUndo");
    QVERIFY(undo && undo->isEnabled());
    undo->trigger();
    QCOMPARE(QString::fromStdString(m_document->project().graph.find(pump)->name), QString("Pump P-101"));
    QCOMPARE(m_document->selection().current(), pump);
    QTRY_COMPARE(name->text(), QString("Pump P-101"));
    m_window->findChild<QAction *>("actionRedo")->trigger();
    QCOMPARE(QString::fromStdString(m_document->project().graph.find(pump)->name), QString("Booster pump"));
    undo->trigger();
    // Each step is in the project's audit trail: the edit, its undo, redo and undo again, hash-chained.
    const auto trail = model::lifecycle::auditEntries(m_document->project().meta);
    QVERIFY(trail.size() >= 4);
    QStringList kinds;
    for (auto it = trail.end() - 4; it != trail.end(); ++it)
        kinds << QString::fromStdString(it->kind);
    QCOMPARE(kinds, QStringList({"edit", "undo", "redo", "undo"}));
    QCOMPARE(trail.back().summary, trail[trail.size() - 4].summary);
    QVERIFY(!trail.back().user.empty());
    QVERIFY(model::lifecycle::verifyAudit(m_document->project().meta).ok());
}

void TestWorkbench::invalidPropertyInputIsRejected()
{
    const AssetId pump = findByName(m_document->project(), "Pump P-102");
    m_document->selection().setSelection({pump});
    auto *speed = m_window->propertyEditor()->findChild<QLineEdit *>("prop_speed");
    QVERIFY(speed);
    const int before = m_document->undoStack().count();
    speed->setFocus();
    speed->selectAll();
    QTest::keyClicks(speed, "99999"); // above the 3600 rpm maximum
    QTest::keyClick(speed, Qt::Key_Return);
    QVERIFY(m_window->propertyEditor()->lastError().contains("maximum"));
    QCOMPARE(m_document->undoStack().count(), before);
    speed->selectAll();
    QTest::keyClicks(speed, "1200");
    QTest::keyClick(speed, Qt::Key_Return);
    QCOMPARE(std::get<double>(m_document->project().graph.find(pump)->properties.at("speed")), 1200.0);
    m_document->undo();
}

void TestWorkbench::dragAndDropReparents()
{
    auto &graph = m_document->project().graph;
    const AssetId sensor = findByName(m_document->project(), "Pressure PT-101");
    const AssetId skid2 = findByName(m_document->project(), "Skid 2");
    const AssetId oldParent = graph.find(sensor)->parent;
    auto *panel = m_window->treePanel();
    auto *model = panel->model();
    // The same path the tree view takes on a drop: mime data from the dragged rows, dropped on a row.
    std::unique_ptr<QMimeData> mime(model->mimeData({model->indexOf(sensor)}));
    QVERIFY(model->canDropMimeData(mime.get(), Qt::MoveAction, -1, 0, model->indexOf(skid2)));
    model->dropMimeData(mime.get(), Qt::MoveAction, -1, 0, model->indexOf(skid2));
    QCOMPARE(graph.find(sensor)->parent, skid2);
    QVERIFY(panel->proxy()->mapFromSource(model->indexOf(sensor)).isValid());
    // Dropping a parent into its own child is refused.
    std::unique_ptr<QMimeData> parentMime(model->mimeData({model->indexOf(skid2)}));
    QVERIFY(!model->canDropMimeData(parentMime.get(), Qt::MoveAction, -1, 0, model->indexOf(sensor)));
    m_document->undo();
    QCOMPARE(graph.find(sensor)->parent, oldParent);
}

void TestWorkbench::relationshipTargetsAreConstrained()
{
    const AssetId pump = findByName(m_document->project(), "Pump P-103");
    m_document->selection().setSelection({pump});
    const auto targets = m_window->relationshipEditor()->candidateTargets("feeds");
    QCOMPARE(int(targets.size()), 2); // only the two tanks
    for (AssetId id : targets)
        QVERIFY(m_document->project().types.isA(m_document->project().graph.find(id)->typeId,
                                                "dtmi:twinworks:demo:Tank;1"));
    const size_t before = m_document->project().graph.relationships().size();
    auto *kind = m_window->relationshipEditor()->findChild<QComboBox *>("relationshipKind");
    kind->setCurrentText("feeds");
    QTest::mouseClick(m_window->relationshipEditor()->findChild<QWidget *>("relationshipAdd"),
                      Qt::LeftButton);
    QCOMPARE(m_document->project().graph.relationships().size(), before + 1);
    m_document->undo();
    QCOMPARE(m_document->project().graph.relationships().size(), before);
}

void TestWorkbench::saveAndReopenGivesSameTwin()
{
    const AssetId valve = findByName(m_document->project(), "Suction valve V-111");
    m_document->selection().setSelection({valve});
    ui::duplicateSelection(*m_document);
    const QString path = m_dir.path() + "/saved.twin";
    QVERIFY(m_document->saveAs(path).isEmpty());
    QVERIFY(!m_document->isModified());
    ui::ProjectDocument reopened;
    QVERIFY(reopened.open(path).isEmpty());
    QCOMPARE(snapshot(reopened.project()), snapshot(m_document->project()));
}

void TestWorkbench::openingDamagedFileKeepsProject()
{
    const QString bad = m_dir.path() + "/damaged.twin";
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("SQLite format 3\0garbage garbage garbage", 40);
    f.close();
    const QString before = snapshot(m_document->project());
    const QString error = m_document->open(bad);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains("damaged.twin"), qPrintable(error));
    QCOMPARE(snapshot(m_document->project()), before);
}

void TestWorkbench::autosaveWritesRecoverableCopy()
{
    const QString path = m_dir.path() + "/autosaved.twin";
    QVERIFY(m_document->saveAs(path).isEmpty());
    const AssetId tank = findByName(m_document->project(), "Storage tank T-2");
    m_document->selection().setSelection({tank});
    m_document->execute(std::make_unique<model::RenameCommand>(tank, "Renamed before crash"));
    QVERIFY(m_document->isModified());
    m_document->autosave(); // runs on a pool thread
    const QString autosave = QString::fromStdString(model::autosavePath(path.toStdString()));
    QTRY_VERIFY(QFileInfo::exists(autosave));
    QTRY_VERIFY(model::hasNewerAutosave(path.toStdString()));
    model::Project recovered;
    auto loaded = model::loadProject(autosave.toStdString(), recovered);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
    QVERIFY(findByName(recovered, "Renamed before crash") != model::kNoAsset);
    // The real file still has the saved state.
    model::Project saved;
    QVERIFY(model::loadProject(path.toStdString(), saved).ok());
    QCOMPARE(findByName(saved, "Renamed before crash"), model::kNoAsset);
    // Saving removes the autosave copy.
    QVERIFY(m_document->save().isEmpty());
    QVERIFY(!QFileInfo::exists(autosave));
}

void TestWorkbench::importDtdlAddsTypesOrNothing()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    const size_t before = m_document->project().types.size();
    // A broken file: nothing is imported and the error names the file and the JSON path.
    const QString bad = m_dir.path() + "/bad-dtdl";
    QDir().mkpath(bad);
    QFile f(bad + "/Broken.json");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"@context": "dtmi:dtdl:context;3", "@id": "not a dtmi", "@type": "Interface"})");
    f.close();
    const QString error = ui::importDtdl(*m_window, {bad});
    QVERIFY2(error.contains("Broken.json") && error.contains("$"), qPrintable(error));
    QCOMPARE(m_document->project().types.size(), before);
    // The real DTDL v2 samples import, and their types show up in the palette.
    QVERIFY(ui::importDtdl(*m_window, {TWIN_SHARED_DATA "/dtdl/dtdl-v2-samples"}).isEmpty());
    QVERIFY(m_document->project().types.size() > before);
    auto *palette = m_window->treePanel()->findChild<QComboBox *>("typePalette");
    QVERIFY(palette->findData("dtmi:com:example:Thermostat;1") >= 0);
}

void TestWorkbench::importOverParserLimitsListsWarnings()
{
    // A published ontology with a comment over the reference parser's 512 characters imports, and the
    // warning is listed with its file, JSON path and rule.
    const QString file = m_dir.path() + "/grid.json";
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:example:GridNode;1", "@type": "Interface",
        "comment": ")" +
            QByteArray(600, 'c') + R"("})");
    f.close();
    const size_t before = m_document->project().types.size();
    QVERIFY(ui::importDtdl(*m_window, {file}).isEmpty());
    QCOMPARE(m_document->project().types.size(), before + 1);
    QVERIFY(m_window->statusBar()->currentMessage().contains("1 warnings"));
    const auto result = model::dtdl::importPaths({file.toStdString()});
    ui::DtdlIssuesDialog dialog(result, true, m_window);
    QTableWidget *table = dialog.table();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 0)->text(), QString("warning"));
    QCOMPARE(table->item(0, 2)->text(), QString("$.comment"));
    QCOMPARE(table->item(0, 3)->text(), QString("StringLength"));
}

void TestWorkbench::typeMeshComboRedrawsScene()
{
    const AssetId valve = findByName(m_document->project(), "Suction valve V-111");
    QVERIFY(valve);
    const std::string type = m_document->project().graph.find(valve)->typeId;
    m_document->selection().setSelection({valve});
    auto *combo = m_window->propertyEditor()->findChild<QComboBox *>("typeMeshCombo");
    QVERIFY(combo && combo->isEnabled());
    QCOMPARE(combo->currentData().toString(), QString("file:meshes/valve.ply")); // the demo's own mesh
    auto *controller = m_window->sceneWidget()->controller();
    auto fileLayers = [controller] {
        int n = 0;
        for (const QVariant &layer : controller->layers())
            n += layer.toMap().value("geometry").value<QObject *>() != nullptr;
        return n;
    };
    const int before = fileLayers();
    const QVector3D position = controller->assetPosition(valve);
    const int sphere = combo->findData("sphere");
    combo->setCurrentIndex(sphere);
    emit combo->activated(sphere);
    QCOMPARE(model::meshForType(m_document->project(), type), std::string("sphere"));
    QVERIFY(m_document->isModified());
    QCOMPARE(fileLayers(), before - 1); // valves left the file layer, redrawn at once
    QCOMPARE(controller->assetPosition(valve), position);
    // A mesh that cannot be loaded: drawn as a cube, and the status bar says why.
    m_document->setTypeMesh(type, "file:meshes/no-such-valve.stl");
    QVERIFY(m_window->statusBar()->currentMessage().contains("no-such-valve.stl"));
    QCOMPARE(controller->assetPosition(valve), position);
    m_document->setTypeMesh(type, "file:meshes/valve.ply");
    QCOMPARE(combo->currentData().toString(), QString("file:meshes/valve.ply"));
    QCOMPARE(fileLayers(), before);
}

QTEST_MAIN(TestWorkbench)
// Camera bookmarks: the view saved by name in the project (one undoable step), listed in View > Bookmarks
// with Ctrl+1 for the first, and recalled with a flight that ends on the saved view; undo removes it.
void TestWorkbench::cameraBookmarksFlyBack()
{
    auto *bookmarks = m_window->findChild<ui::CameraBookmarks *>();
    QQuickItem *root = m_window->sceneWidget()->rootObject();
    QVERIFY(bookmarks && root);
    root->setProperty("yaw", 80.0);
    root->setProperty("pitch", -20.0);
    root->setProperty("distance", 25.0);
    root->setProperty("target", QVariant::fromValue(QVector3D(1, 2, 3)));
    QCOMPARE(bookmarks->save("Tanks"), QString());
    QVERIFY(m_document->project().meta.count("workbench:bookmark:Tanks"));
    auto *menu = m_window->findChild<QMenu *>("bookmarksMenu");
    QVERIFY(menu);
    QAction *go = menu->findChild<QAction *>("bookmark:Tanks");
    QVERIFY(go);
    QCOMPARE(go->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_1));
    root->setProperty("yaw", -150.0); // the flight goes the short way round: 210 degrees back, not 130 on
    root->setProperty("pitch", -60.0);
    root->setProperty("distance", 90.0);
    root->setProperty("target", QVariant::fromValue(QVector3D(-5, 0, 4)));
    go->trigger();
    QTest::qWait(200);
    const double midway = root->property("yaw").toDouble();
    QVERIFY2(midway < -150.0 || midway > 80.0, qPrintable(QString::number(midway))); // mid flight, wrapping
    QTRY_VERIFY(std::abs(root->property("distance").toDouble() - 25.0) < 1e-6);
    QTRY_VERIFY(std::abs(std::fmod(root->property("yaw").toDouble() + 360.0, 360.0) - 80.0) < 1e-6);
    QCOMPARE(root->property("pitch").toDouble(), -20.0);
    QCOMPARE(root->property("target").value<QVector3D>(), QVector3D(1, 2, 3));
    QVERIFY(!bookmarks->recall("No such view"));
    m_document->project().meta["workbench:bookmark:Broken"] = "{\"target\": [\"a\", 0, 0], \"yaw\": 1}";
    QVERIFY(!bookmarks->recall("Broken")); // a hand-edited bookmark: refused, no exception
    m_document->project().meta.erase("workbench:bookmark:Broken");
    QVERIFY(!bookmarks->save("  ").isEmpty());
    m_document->undo();
    QVERIFY(!m_document->project().meta.count("workbench:bookmark:Tanks"));
    QVERIFY(!menu->findChild<QAction *>("bookmark:Tanks"));
}

#include "tst_workbench.moc"
