// Releases, semantic diff, rollback and the audit trail (model/lifecycle/) on the demo project: versions in
// semantic-version order, the model part frozen and read back byte for byte, what a diff says for edits of
// every kind, a rollback that restores a release's model and keeps the rest, and tampering found.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/lifecycle/AuditLog.h"
#include "twin/model/lifecycle/ModelPart.h"
#include "twin/model/lifecycle/Release.h"
#include "twin/model/lifecycle/SemanticDiff.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace twin::model;
using namespace twin::model::lifecycle;

namespace {

ProjectData demoData()
{
    Project p;
    if (!buildDemoTwin(p).ok())
        return {};
    return captureProject(p);
}

Asset *byName(ProjectData &d, const std::string &name)
{
    for (Asset &a : d.assets)
        if (a.name == name)
            return &a;
    return nullptr;
}

bool has(const std::vector<Change> &changes, const std::string &area, const std::string &kind,
         const std::string &subjectPart, const std::string &detail)
{
    return std::any_of(changes.begin(), changes.end(), [&](const Change &c) {
        return c.area == area && c.kind == kind && c.subject.find(subjectPart) != std::string::npos &&
               c.detail == detail;
    });
}

} // namespace

class TestLifecycle : public QObject
{
    Q_OBJECT
private slots:
    void versionsOrderAsSemverSays()
    {
        QVERIFY(isVersion("1.2.0"));
        QVERIFY(isVersion("1.0.0-rc.1"));
        for (const char *bad : {"1.2", "v1.2.0", "01.2.0", "1.2.0-", "1.2.0 "})
            QVERIFY2(!isVersion(bad), bad);
        QCOMPARE(compareVersions("1.0.10", "1.0.9"), 1);
        QCOMPARE(compareVersions("1.0.0-rc.1", "1.0.0"), -1);
        QCOMPARE(compareVersions("1.0.0-rc.2", "1.0.0-rc.10"), -1);
        QCOMPARE(compareVersions("1.0.0-alpha", "1.0.0-alpha.1"), -1);
        QCOMPARE(compareVersions("1.0.0-alpha.1", "1.0.0-beta"), -1);
        QCOMPARE(compareVersions("1.0.0-1", "1.0.0-alpha"), -1);
        QCOMPARE(compareVersions("2.1.0", "2.1.0"), 0);
    }

    // A release freezes the model part: read back, it gives the same canonical bytes; the file round trip
    // keeps them too (so a release's hash does not depend on how often the project was saved). Later
    // versions only; no empty notes.
    void releaseFreezesTheModelPart()
    {
        ProjectData data = demoData();
        QVERIFY(!data.assets.empty());
        const std::string before = modelPartJson(data);
        const auto r = createRelease(data, "1.0.0", "First release\nas shipped", 1000, "alice");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        QCOMPARE(QString::fromStdString(r->hash), QString::fromStdString(sha256Hex(before)));
        QCOMPARE(modelPartJson(data), before); // releases and audit are not model
        const auto back = releaseModel(data.meta, "1.0.0");
        QVERIFY(back.ok());
        QCOMPARE(modelPartJson(*back), before);
        QVERIFY(!createRelease(data, "0.9.0", "older", 2000).ok());
        QVERIFY(!createRelease(data, "1.0.0", "again", 2000).ok());
        QVERIFY(!createRelease(data, "1.1", "no patch", 2000).ok());
        QVERIFY(!createRelease(data, "1.1.0", " \n", 2000).ok());
        QVERIFY(createRelease(data, "1.1.0-rc.1", "candidate", 3000, "bob").ok());
        QVERIFY(createRelease(data, "1.1.0", "final", 4000, "bob").ok());
        const auto list = listReleases(data.meta);
        QCOMPARE(list.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(list[1].version), QString("1.1.0-rc.1"));
        QCOMPARE(QString::fromStdString(list[0].author), QString("alice"));
        QVERIFY(!list[2].auditHead.empty());

        QTemporaryDir dir;
        const std::string file = dir.filePath("p.twin").toStdString();
        QVERIFY(saveProject(data, file).ok());
        auto loaded = loadProjectData(file);
        QVERIFY(loaded.ok());
        QCOMPARE(modelPartJson(*loaded), before);
        QVERIFY(releaseModel(loaded->meta, "1.0.0").ok());
        QVERIFY(verifyAudit(loaded->meta).ok());
    }

    // What the diff says for an edit of every kind.
    void diffSaysWhatChanged()
    {
        const ProjectData from = demoData();
        ProjectData to = from;
        Asset *pump = byName(to, "Pump P-102");
        QVERIFY(pump);
        pump->properties["speed"] = 1500.0;
        pump->name = "Pump P-102b";
        Asset *sensor = byName(to, "Level LT-2");
        const Asset *tankA = byName(to, "Storage tank T-1");
        QVERIFY(sensor && tankA);
        sensor->parent = tankA->id;
        to.assets.erase(std::find_if(to.assets.begin(), to.assets.end(),
                                     [](const Asset &a) { return a.name == "Discharge header"; }));
        for (AssetType &t : to.types)
            if (t.id == "dtmi:twinworks:demo:Motor;1")
                for (auto &tel : t.telemetry)
                    if (tel.name == "windingTemperature")
                        tel.unit = "kelvin";
        to.meta["rules:new-type"] = "{}";
        to.meta["history:retention"] = "30"; // not model: no change reported
        to.relationships.push_back({999, "observes", sensor->id, tankA->id, {}});
        const auto changes = semanticDiff(from, to);
        const std::string text = diffText(changes);
        QVERIFY2(has(changes, "asset", "changed", "Pump P-102b", "renamed: Pump P-102 -> Pump P-102b"),
                 text.c_str());
        QVERIFY2(has(changes, "asset", "changed", "Pump P-102b", "property/speed: 1450.0 -> 1500.0") ||
                     std::any_of(changes.begin(), changes.end(),
                                 [](const Change &c) {
                                     return c.detail.rfind("property/speed: ", 0) == 0 &&
                                            c.detail.find("-> 1500.0") != std::string::npos;
                                 }),
                 text.c_str());
        QVERIFY2(has(changes, "asset", "changed", "Level LT-2",
                     "moved: from Riverside site/Pump station PS-1/Storage tank T-2 to Riverside site/Pump "
                     "station PS-1/Storage tank T-1"),
                 text.c_str());
        QVERIFY2(has(changes, "asset", "removed", "Discharge header", ""), text.c_str());
        QVERIFY2(has(changes, "type", "changed", "Motor;1",
                     "telemetry/windingTemperature/unit: degreeCelsius -> kelvin"),
                 text.c_str());
        QVERIFY2(has(changes, "rules", "added", "rules:new-type", ""), text.c_str());
        QVERIFY2(has(changes, "relationship", "added", "Level LT-2 -observes-> ", ""), text.c_str());
        QVERIFY2(text.find("history:retention") == std::string::npos, text.c_str());
        QVERIFY(semanticDiff(from, from).empty());
    }

    // Rollback: the release's model part back, the history, releases and the audit trail kept, and the
    // rollback itself recorded.
    void rollbackRestoresARelease()
    {
        ProjectData data = demoData();
        data.history = std::make_shared<TimeSeriesStore>();
        QVERIFY(createRelease(data, "1.0.0", "first", 1000).ok());
        const std::string released = modelPartJson(data);
        byName(data, "Pump P-102")->properties["speed"] = 1500.0;
        data.meta["scenario:extra"] = "{}";
        data.meta["connection:mqtt"] = "{\"host\":\"broker\"}";
        QVERIFY(modelPartJson(data) != released);
        const auto rolled = rolledBack(data, "1.0.0", 5000, "carol");
        QVERIFY2(rolled.ok(), rolled.ok() ? "" : rolled.error().c_str());
        QCOMPARE(modelPartJson(*rolled), released);
        QCOMPARE(rolled->history, data.history);
        QCOMPARE(rolled->meta.at("connection:mqtt"), data.meta.at("connection:mqtt"));
        QCOMPARE(listReleases(rolled->meta).size(), std::size_t(1));
        const auto trail = auditEntries(rolled->meta);
        QCOMPARE(trail.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(trail.back().kind), QString("rollback"));
        QCOMPARE(QString::fromStdString(trail.back().user), QString("carol"));
        QVERIFY(verifyAudit(rolled->meta).ok());
        QVERIFY(!rolledBack(data, "2.0.0", 6000).ok());
    }

    // Tampering: an edited, removed (in the middle or at the end) entry, and an edited release, are found.
    void tamperingIsFound()
    {
        Meta meta;
        for (int i = 1; i <= 4; ++i)
            appendAudit(meta, "edit", "change " + std::to_string(i), i * 1000, "dave");
        QVERIFY(verifyAudit(meta).ok());
        Meta edited = meta;
        std::string &third = edited.at("audit:0000000003");
        third.replace(third.find("change 3"), 8, "change X");
        QVERIFY(verifyAudit(edited).error().find("entry 3 was changed") != std::string::npos);
        Meta middle = meta;
        middle.erase("audit:0000000002");
        QVERIFY(!verifyAudit(middle).ok());
        Meta end = meta;
        end.erase("audit:0000000004");
        QVERIFY(verifyAudit(end).error().find("removed from its end") != std::string::npos);

        ProjectData data = demoData();
        QVERIFY(createRelease(data, "1.0.0", "first", 1000).ok());
        std::string &release = data.meta.at("release:1.0.0");
        const auto at = release.find("Pump P-102");
        QVERIFY(at != std::string::npos);
        release.replace(at, 10, "Pump P-199");
        QVERIFY(releaseModel(data.meta, "1.0.0").error().find("does not match its content hash") !=
                std::string::npos);

        // The notes of a release are part of its record; the trail a release names must be there; a damaged
        // last entry is not written over by the next one.
        ProjectData other = demoData();
        QVERIFY(createRelease(other, "1.0.0", "first", 1000).ok());
        std::string &record = other.meta.at("release:1.0.0");
        record.replace(record.find("\"first\""), 7, "\"fixed\"");
        QVERIFY(
            releaseModel(other.meta, "1.0.0").error().find("notes, author, time or version were changed") !=
            std::string::npos);
        Meta wiped = other.meta;
        for (auto it = wiped.begin(); it != wiped.end();)
            it = it->first.rfind("audit:", 0) == 0 ? wiped.erase(it) : std::next(it);
        QVERIFY(verifyAudit(wiped).error().find("no longer has") != std::string::npos);
        Meta damaged = meta;
        damaged.at("audit:0000000004") = "not json";
        appendAudit(damaged, "edit", "after the damage", 9000, "dave");
        QVERIFY(damaged.count("audit:0000000005"));
        QVERIFY(!verifyAudit(damaged).ok());
    }
};

QTEST_GUILESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
