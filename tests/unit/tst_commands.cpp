// Undo/redo of every hierarchy edit, merging of drags, macros and selection restore.
#include "twin/model/commands/AssetCommands.h"
#include "twin/model/commands/UndoStack.h"

#include <QtTest>

using namespace twin::model;

namespace {
// Site/(A/(A1, A2), B)
struct Fixture
{
    TwinGraph graph;
    UndoStack stack{graph};
    AssetId site, a, a1, a2, b;
    Fixture()
    {
        site = add(kNoAsset, "Site");
        a = add(site, "A");
        a1 = add(a, "A1");
        a2 = add(a, "A2");
        b = add(site, "B");
    }
    AssetId add(AssetId parent, const char *name)
    {
        Asset asset;
        asset.id = graph.newId();
        asset.parent = parent;
        asset.name = name;
        asset.typeId = "dtmi:t:X;1";
        expectOk(graph.insertAsset(asset), "fixture asset");
        return asset.id;
    }
    QString names(AssetId parent) const
    {
        std::string out;
        for (AssetId id : graph.children(parent))
            out += (out.empty() ? "" : ",") + graph.find(id)->name;
        return QString::fromStdString(out);
    }
    QString dump() const
    {
        std::string out;
        for (AssetId id : graph.allIds())
            out += graph.path(id) + ";";
        return QString::fromStdString(out);
    }
};
} // namespace

class TestCommands : public QObject
{
    Q_OBJECT
private slots:
    void undoRedoRestoresTree_data();
    void undoRedoRestoresTree();
    void propertyEditsMerge();
    void sealStopsMerging();
    void placementDragIsOneStep();
    void macroIsOneStepAndRollsBack();
    void undoRestoresSelection();
    void reparentIntoDescendantIsRefused();
    void deleteRestoresRelationships();
    void duplicateCopiesSubtreeWithFreshIds();
    void cleanStateFollowsUndo();
};

void TestCommands::undoRedoRestoresTree_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expectedAfter");
    QTest::newRow("rename") << 0 << "Site;Site/Renamed;Site/Renamed/A1;Site/Renamed/A2;Site/B;";
    QTest::newRow("delete subtree") << 1 << "Site;Site/B;";
    QTest::newRow("reparent into B") << 2 << "Site;Site/B;Site/B/A;Site/B/A/A1;Site/B/A/A2;";
    QTest::newRow("reorder A2 first") << 3 << "Site;Site/A;Site/A/A2;Site/A/A1;Site/B;";
    QTest::newRow("delete multi with child") << 4 << "Site;Site/B;";
}

void TestCommands::undoRedoRestoresTree()
{
    QFETCH(int, kind);
    QFETCH(QString, expectedAfter);
    Fixture f;
    const QString before = f.dump();
    std::unique_ptr<Command> cmd;
    switch (kind) {
    case 0:
        cmd = std::make_unique<RenameCommand>(f.a, "Renamed");
        break;
    case 1:
        cmd = std::make_unique<RemoveAssetsCommand>(std::vector<AssetId>{f.a});
        break;
    case 2:
        cmd = std::make_unique<MoveAssetsCommand>(std::vector<AssetId>{f.a}, f.b, -1);
        break;
    case 3:
        cmd = std::make_unique<MoveAssetsCommand>(std::vector<AssetId>{f.a2}, f.a, 0);
        break;
    case 4:
        cmd = std::make_unique<RemoveAssetsCommand>(std::vector<AssetId>{f.a1, f.a});
        break;
    }
    QVERIFY(f.stack.push(std::move(cmd)).ok());
    QCOMPARE(f.dump(), expectedAfter);
    QVERIFY(f.stack.undo());
    QCOMPARE(f.dump(), before);
    QVERIFY(f.stack.redo());
    QCOMPARE(f.dump(), expectedAfter);
    QVERIFY(f.stack.undo());
    QCOMPARE(f.dump(), before);
}

void TestCommands::propertyEditsMerge()
{
    Fixture f;
    for (double v : {1.0, 2.0, 3.0})
        QVERIFY(f.stack.push(std::make_unique<SetPropertyCommand>(f.a1, "speed", v)).ok());
    QCOMPARE(f.stack.count(), 1);
    QCOMPARE(std::get<double>(f.graph.find(f.a1)->properties.at("speed")), 3.0);
    f.stack.undo();
    QVERIFY(!f.graph.find(f.a1)->properties.count("speed"));
    // A different property does not merge.
    QVERIFY(f.stack.push(std::make_unique<SetPropertyCommand>(f.a1, "speed", 1.0)).ok());
    QVERIFY(f.stack.push(std::make_unique<SetPropertyCommand>(f.a1, "head", 1.0)).ok());
    QCOMPARE(f.stack.count(), 2);
}

void TestCommands::sealStopsMerging()
{
    Fixture f;
    QVERIFY(f.stack.push(std::make_unique<SetPropertyCommand>(f.a1, "speed", 1.0)).ok());
    f.stack.seal();
    QVERIFY(f.stack.push(std::make_unique<SetPropertyCommand>(f.a1, "speed", 2.0)).ok());
    QCOMPARE(f.stack.count(), 2);
    f.stack.undo();
    QCOMPARE(std::get<double>(f.graph.find(f.a1)->properties.at("speed")), 1.0);
}

void TestCommands::placementDragIsOneStep()
{
    Fixture f;
    const Placement start = f.graph.find(f.b)->placement;
    for (int i = 1; i <= 20; ++i) {
        Placement p = start;
        p.position[0] = float(i) * 0.1f;
        QVERIFY(
            f.stack.push(std::make_unique<SetPlacementCommand>(std::map<AssetId, Placement>{{f.b, p}})).ok());
    }
    QCOMPARE(f.stack.count(), 1);
    QCOMPARE(f.graph.find(f.b)->placement.position[0], 2.0f);
    f.stack.undo();
    QVERIFY(f.graph.find(f.b)->placement == start);
}

void TestCommands::macroIsOneStepAndRollsBack()
{
    Fixture f;
    f.stack.beginMacro("Rename two");
    QVERIFY(f.stack.push(std::make_unique<RenameCommand>(f.a1, "X")).ok());
    QVERIFY(f.stack.push(std::make_unique<RenameCommand>(f.a2, "Y")).ok());
    QVERIFY(f.stack.endMacro().ok());
    QCOMPARE(f.stack.count(), 1);
    QCOMPARE(f.names(f.a), QString("X,Y"));
    f.stack.undo();
    QCOMPARE(f.names(f.a), QString("A1,A2"));

    // A failing command inside a macro rolls back the whole macro.
    f.stack.beginMacro("Broken");
    QVERIFY(f.stack.push(std::make_unique<RenameCommand>(f.a1, "Z")).ok());
    QVERIFY(!f.stack.push(std::make_unique<RenameCommand>(9999, "nope")).ok());
    QVERIFY(!f.stack.inMacro());
    QCOMPARE(f.names(f.a), QString("A1,A2"));
}

void TestCommands::undoRestoresSelection()
{
    Fixture f;
    auto cmd = std::make_unique<RemoveAssetsCommand>(std::vector<AssetId>{f.a1});
    cmd->selectionBefore = {f.a1};
    cmd->selectionAfter = {f.a};
    QVERIFY(f.stack.push(std::move(cmd)).ok());
    f.stack.undo();
    QVERIFY(f.stack.restoredSelection() == Selection{f.a1});
    f.stack.redo();
    QVERIFY(f.stack.restoredSelection() == Selection{f.a});
}

void TestCommands::reparentIntoDescendantIsRefused()
{
    Fixture f;
    const QString before = f.dump();
    auto status = f.stack.push(std::make_unique<MoveAssetsCommand>(std::vector<AssetId>{f.a}, f.a1, -1));
    QVERIFY(!status.ok());
    QVERIFY(status.error().find("descendant") != std::string::npos);
    QCOMPARE(f.dump(), before);
    QCOMPARE(f.stack.count(), 0);
}

void TestCommands::deleteRestoresRelationships()
{
    Fixture f;
    QVERIFY(f.graph.addRelationship({0, "feeds", f.a1, f.b, {{"lineSize", 150.0}}}).ok());
    QVERIFY(f.graph.addRelationship({0, "feeds", f.b, f.a2, {}}).ok());
    QVERIFY(f.stack.push(std::make_unique<RemoveAssetsCommand>(std::vector<AssetId>{f.a, f.b})).ok());
    QCOMPARE(f.graph.relationships().size(), size_t(0));
    f.stack.undo();
    QCOMPARE(f.graph.relationships().size(), size_t(2));
    QCOMPARE(std::get<double>(f.graph.relationships()[0].properties.at("lineSize")), 150.0);
}

void TestCommands::duplicateCopiesSubtreeWithFreshIds()
{
    Fixture f;
    QVERIFY(f.graph.addRelationship({0, "feeds", f.a1, f.b, {}}).ok());
    Subtree copy = cloneSubtree(f.graph, f.a);
    const AssetId copyRoot = copy.assets.front().id;
    QVERIFY(copyRoot != f.a);
    copy.assets.front().parent = f.site;
    QVERIFY(
        f.stack.push(std::make_unique<InsertSubtreeCommand>(copy, f.graph.rowOf(f.a) + 1, "Duplicate")).ok());
    QCOMPARE(f.names(f.site), QString("A,A copy,B"));
    QCOMPARE(f.names(copyRoot), QString("A1,A2"));
    QCOMPARE(f.graph.relationships().size(), size_t(2));
    f.stack.undo();
    QCOMPARE(f.names(f.site), QString("A,B"));
    QCOMPARE(f.graph.relationships().size(), size_t(1));
}

void TestCommands::cleanStateFollowsUndo()
{
    Fixture f;
    QVERIFY(f.stack.isClean());
    QVERIFY(f.stack.push(std::make_unique<RenameCommand>(f.a, "Q")).ok());
    QVERIFY(!f.stack.isClean());
    f.stack.setClean();
    f.stack.undo();
    QVERIFY(!f.stack.isClean());
    f.stack.redo();
    QVERIFY(f.stack.isClean());
}

QTEST_GUILESS_MAIN(TestCommands)
#include "tst_commands.moc"
