// 3D instancing benchmark: our scene (SceneController + qml/SceneView.qml) against a stock
// Qt Quick 3D instancing scene with the same cubes, material, lights, camera and window size.
// The camera orbits so that every frame redraws; frame times come from frameSwapped.
// Run with tests/bench/run.sh (needs Xvfb; prints a markdown table).
#include "twin/model/project/Project.h"
#include "twin/viz/SceneController.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQuickItem>
#include <QQuickView>
#include <QtQuick3D/QQuick3DInstancing>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

using namespace twin;

namespace {

struct Grid
{
    int side = 0;
    float spacing = 2.f;
    QVector3D position(int i) const
    {
        return QVector3D(float(i % side) * spacing, 0.5f, float(i / side) * spacing);
    }
    QVector3D center() const
    {
        const float extent = float(side - 1) * spacing;
        return QVector3D(extent / 2, 0.5f, extent / 2);
    }
};

// What QML's InstanceList does, without one QML object per instance.
class StockInstancing : public QQuick3DInstancing
{
public:
    StockInstancing(const Grid &grid, int count)
    {
        m_buffer.resize(qsizetype(count) * qsizetype(sizeof(InstanceTableEntry)));
        auto *out = reinterpret_cast<InstanceTableEntry *>(m_buffer.data());
        for (int i = 0; i < count; ++i)
            out[i] = calculateTableEntry(grid.position(i), QVector3D(0.01f, 0.01f, 0.01f), {},
                                         QColor::fromHsv(i % 360, 45, 205));
        m_count = count;
    }

protected:
    QByteArray getInstanceBuffer(int *instanceCount) override
    {
        *instanceCount = m_count;
        return m_buffer;
    }

private:
    QByteArray m_buffer;
    int m_count = 0;
};

struct Timing
{
    std::vector<double> frameMs;
    double setupMs = 0;
    double pickMs = 0; // median per ray (ours only)
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// Shows the scene, orbits the camera one step per frame, returns the median frame interval.
Timing measure(QQuickView &view, int frames, qint64 setupNs, const QString &shotName)
{
    const int warmup = 5;
    std::vector<double> times;
    QElapsedTimer clock;
    clock.start();
    qint64 last = -1;
    int seen = 0;
    QEventLoop loop;
    QObject *root = view.rootObject();
    QObject::connect(&view, &QQuickWindow::frameSwapped, &loop, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (seen >= warmup && last >= 0)
            times.push_back(double(now - last) / 1e6);
        last = now;
        if (++seen > warmup + frames - 1) {
            loop.quit();
            return;
        }
        root->setProperty("yaw", root->property("yaw").toReal() + 0.5);
    });
    view.show();
    loop.exec();
    // BENCH_SHOTS=<dir>: keep the last frame of each case, to check what was drawn.
    if (const QString dir = qEnvironmentVariable("BENCH_SHOTS"); !dir.isEmpty())
        view.grabWindow().save(dir + QLatin1Char('/') + shotName + QStringLiteral(".png"));
    view.hide();
    return Timing{std::move(times), double(setupNs) / 1e6};
}

void placeCamera(QObject *root, const Grid &grid)
{
    const float radius = float(grid.side) * grid.spacing * 0.72f;
    root->setProperty("target", grid.center());
    root->setProperty("distance", radius / std::sin(22.5f * float(M_PI) / 180.f));
    root->setProperty("pitch", -35.0);
    root->setProperty("yaw", 35.0);
    root->setProperty("sceneRadius", radius); // same grid spacing in both scenes
    root->setProperty("userMoved", true);     // SceneView: no automatic re-framing
}

Timing runOurs(int count, int frames)
{
    const Grid grid{int(std::ceil(std::sqrt(double(count))))};
    QElapsedTimer setup;
    setup.start();
    model::Project project;
    for (int i = 0; i < count; ++i) {
        model::Asset a;
        a.id = project.graph.newId();
        a.name = "Box " + std::to_string(i);
        a.typeId = "dtmi:bench:Box;1";
        const QVector3D p = grid.position(i);
        a.placement.position = {p.x(), p.y(), p.z()};
        twin::expectOk(project.graph.insertAsset(a), "bench asset");
    }
    viz::SceneController controller;
    controller.setProject(&project);
    // CPU picking (a linear pass over the oriented boxes): one vertical ray per sampled asset.
    std::vector<double> pickMs;
    qint64 pickNs = 0; // not part of the setup time
    for (int i = 0; i < 21; ++i) {
        const QVector3D p = grid.position((i * 7919) % count);
        QElapsedTimer pick;
        pick.start();
        if (!controller.pickRay(p + QVector3D(0, 100, 0), {0, -1, 0}))
            qFatal("a ray straight down onto an asset hit nothing");
        pickNs += pick.nsecsElapsed();
        pickMs.push_back(double(pick.nsecsElapsed()) / 1e6);
    }
    QQuickView view;
    view.setInitialProperties({{QStringLiteral("controller"), QVariant::fromValue(&controller)}});
    view.setSource(QUrl(QStringLiteral("qrc:/twinworks/qml/SceneView.qml")));
    if (view.status() != QQuickView::Ready)
        qFatal("SceneView.qml failed to load");
    view.resize(1280, 720);
    placeCamera(view.rootObject(), grid);
    const qint64 setupNs = setup.nsecsElapsed() - pickNs;
    Timing t = measure(view, frames, setupNs, QStringLiteral("ours_%1").arg(count));
    t.pickMs = median(pickMs);
    return t;
}

Timing runStock(int count, int frames)
{
    const Grid grid{int(std::ceil(std::sqrt(double(count))))};
    QElapsedTimer setup;
    setup.start();
    StockInstancing instancing(grid, count);
    QQuickView view;
    view.setInitialProperties(
        {{QStringLiteral("stockInstancing"), QVariant::fromValue<QObject *>(&instancing)}});
    view.setSource(QUrl(QStringLiteral("qrc:/bench/StockScene.qml")));
    if (view.status() != QQuickView::Ready)
        qFatal("StockScene.qml failed to load");
    view.resize(1280, 720);
    placeCamera(view.rootObject(), grid);
    const qint64 setupNs = setup.nsecsElapsed();
    return measure(view, frames, setupNs, QStringLiteral("stock_%1").arg(count));
}

} // namespace

int main(int argc, char **argv)
{
    // Frames rendered on the GUI thread, one after another: frameSwapped intervals are frame times.
    qputenv("QSG_RENDER_LOOP", "basic");
    QGuiApplication app(argc, argv);
    const int rounds = 3;
    // Compile both scenes' shaders once before measuring anything.
    runStock(100, 5);
    runOurs(100, 5);
    std::printf(
        "| instances | frames per case | ours median ms | stock median ms | ours/stock | ours setup ms | "
        "stock setup ms | ours pick ms/ray |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    bool stockFirst = true;
    for (int count : {1000, 10000, 100000}) {
        const int frames = count >= 100000 ? 10 : count >= 10000 ? 30 : 40;
        std::vector<double> ours;
        std::vector<double> stock;
        double oursSetup = 0;
        double stockSetup = 0;
        std::vector<double> picks;
        auto runOne = [&](bool isStock) {
            Timing t = isStock ? runStock(count, frames) : runOurs(count, frames);
            auto &all = isStock ? stock : ours;
            all.insert(all.end(), t.frameMs.begin(), t.frameMs.end());
            (isStock ? stockSetup : oursSetup) += t.setupMs / rounds;
            if (!isStock)
                picks.push_back(t.pickMs);
        };
        // Interleaved rounds, alternating order: a shared machine's load hits both cases alike.
        for (int round = 0; round < rounds; ++round) {
            runOne(stockFirst);
            runOne(!stockFirst);
            stockFirst = !stockFirst;
        }
        const double o = median(ours);
        const double st = median(stock);
        std::printf("| %d | %zu | %.1f | %.1f | %.2f | %.0f | %.0f | %.2f |\n", count, ours.size(), o, st,
                    o / std::max(1e-9, st), oursSetup, stockSetup, median(picks));
        std::fflush(stdout);
    }
    return 0;
}
