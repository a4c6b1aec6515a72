// History retention: the project meta setting ("history:retention") and its application to the store.
#include "twin/model/project/Project.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/telemetry/HistoryRetention.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace twin::model;

namespace {
constexpr TimeNs kHour = 3600 * kNsPerSecond;
constexpr TimeNs kDay = 24 * kHour;
} // namespace

class TstHistoryRetention : public QObject
{
    Q_OBJECT
private slots:
    void parseAndFormat()
    {
        QCOMPARE(parseRetention("30d"), 30 * kDay);
        QCOMPARE(parseRetention("12h"), 12 * kHour);
        QCOMPARE(parseRetention("90s"), 90 * kNsPerSecond);
        QCOMPARE(parseRetention("90"), 90 * kNsPerSecond);
        QCOMPARE(parseRetention(""), TimeNs(0));
        QCOMPARE(parseRetention("0"), TimeNs(0));
        QCOMPARE(parseRetention("-3d"), TimeNs(0));
        QCOMPARE(parseRetention("seven days"), TimeNs(0));
        QCOMPARE(parseRetention("7 weeks"), TimeNs(0)); // unknown unit
        QCOMPARE(formatRetention(7 * kDay), std::string("7d"));
        QCOMPARE(formatRetention(12 * kHour), std::string("43200s"));
        QCOMPARE(formatRetention(0), std::string("0"));
    }

    void metaRoundTrip()
    {
        Project project;
        QCOMPARE(historyRetention(project), TimeNs(0));
        setHistoryRetention(project, 30 * kDay);
        QCOMPARE(project.meta.at(kHistoryRetentionMeta), std::string("30d"));
        QCOMPARE(historyRetention(project), 30 * kDay);

        // Through the project file.
        QTemporaryDir dir;
        const std::string path = dir.filePath("r.twin").toStdString();
        QVERIFY(saveProject(captureProject(project), path).ok());
        Project reopened;
        QVERIFY(loadProject(path, reopened).ok());
        QCOMPARE(historyRetention(reopened), 30 * kDay);

        setHistoryRetention(project, 0); // keep everything: the key goes
        QVERIFY(!project.meta.count(kHistoryRetentionMeta));
        project.meta[kHistoryRetentionMeta] = "garbage";
        QCOMPARE(historyRetention(project), TimeNs(0));
    }

    void application()
    {
        TimeSeriesStore store(24); // one chunk a day at one sample an hour
        const SignalId id = store.addSignal({1, "flow"}, "cubicMetrePerHour");
        const TimeNs t0 = 1'700'000'000 * kNsPerSecond;
        for (int h = 0; h < 10 * 24; ++h) // ten days
            QVERIFY(store.append(id, t0 + h * kHour, double(h)));
        const TimeNs newest = t0 + (10 * 24 - 1) * kHour;
        QCOMPARE(store.sampleCount(), std::uint64_t(240));

        // No retention: nothing goes.
        QCOMPARE(applyHistoryRetention(store), std::uint64_t(0));
        QCOMPARE(store.sampleCount(), std::uint64_t(240));

        // The last three days, measured from the newest sample: whole older chunks go.
        store.setRetention(3 * kDay);
        const std::uint64_t dropped = applyHistoryRetention(store);
        QCOMPARE(dropped, std::uint64_t(6 * 24));
        QCOMPARE(store.sampleCount(), std::uint64_t(4 * 24)); // the chunk straddling the cutoff stays
        QVERIFY(store.stats(id).first >= newest - 4 * kDay);
        QCOMPARE(store.stats(id).last, newest);

        // Measured from an explicit clock (live): a day later, one more chunk goes.
        QCOMPARE(applyHistoryRetention(store, newest + kDay - kHour), std::uint64_t(24));
        QCOMPARE(store.sampleCount(), std::uint64_t(3 * 24));
    }
};

QTEST_GUILESS_MAIN(TstHistoryRetention)
#include "tst_history_retention.moc"
