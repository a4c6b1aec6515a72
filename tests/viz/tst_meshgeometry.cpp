// MeshGeometry: STL/OBJ/PLY through VTK readers, on real files from shared/data/3d.
#include "viz/MeshGeometry.h"

#include <QFile>
#include <QGuiApplication>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using twin::viz::MeshGeometry;

class TestMeshGeometry : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    static QString shared(const char *relative) { return QStringLiteral(TWIN_SHARED_DATA "/3d/") + relative; }

    // A one-triangle binary STL whose 80-byte header starts with "solid": ASCII sniffers misread it.
    QString writeSolidHeaderBinaryStl()
    {
        QByteArray data(84, '\0');
        const QByteArray header = "solid but binary, as some exporters write it";
        std::memcpy(data.data(), header.constData(), size_t(header.size()));
        const quint32 count = 1;
        std::memcpy(data.data() + 80, &count, 4);
        const float record[12] = {0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0};
        data.append(reinterpret_cast<const char *>(record), sizeof(record));
        data.append(2, '\0');
        const QString path = m_tmp.filePath(QStringLiteral("solid_header_binary.stl"));
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(data);
        return path;
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_tmp.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return path;
    }

private slots:
    void loadsMeshFiles_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("triangles"); // -1: just more than zero
        QTest::addColumn<QVector3D>("extent");
        // The spider has 1368 facets in both encodings; 56 collapse when VTK merges coincident points.
        QTest::newRow("binary STL") << shared("stl/assimp-tests/Spider_binary.stl") << 1312 << QVector3D();
        QTest::newRow("ASCII STL") << shared("stl/assimp-tests/Spider_ascii.stl") << 1312 << QVector3D();
        QTest::newRow("binary STL, 'dilos' header")
            << shared("stl/abb_irb4400l_30_243/link_1.stl") << -1 << QVector3D();
        QTest::newRow("binary STL, 'solid' header") << writeSolidHeaderBinaryStl() << 1 << QVector3D(2, 3, 0);
        QTest::newRow("ASCII STL, two solids")
            << shared("stl/assimp-tests/triangle_with_two_solids.stl") << -1 << QVector3D();
        QTest::newRow("OBJ quads") << shared("obj/assimp-tests/box.obj") << 12 << QVector3D(1, 1, 1);
        QTest::newRow("PLY ascii") << writeFile(QStringLiteral("quad.ply"),
                                                "ply\nformat ascii 1.0\nelement vertex 4\nproperty float x\n"
                                                "property float y\nproperty float z\nelement face 1\n"
                                                "property list uchar int vertex_indices\nend_header\n"
                                                "0 0 0\n2 0 0\n2 1 0\n0 1 0\n4 0 1 2 3\n")
                                   << 2 << QVector3D(2, 1, 0);
    }
    void loadsMeshFiles()
    {
        QFETCH(QString, path);
        QFETCH(int, triangles);
        QFETCH(QVector3D, extent);
        MeshGeometry mesh;
        QVERIFY2(mesh.load(path), qPrintable(mesh.errorString()));
        QVERIFY(mesh.errorString().isEmpty());
        if (triangles < 0)
            QVERIFY(mesh.triangleCount() > 0);
        else
            QCOMPARE(mesh.triangleCount(), triangles);
        const QVector3D size = mesh.boundsMax() - mesh.boundsMin();
        QVERIFY(size.x() >= 0 && size.y() >= 0 && size.z() >= 0);
        QVERIFY(size.length() > 0);
        if (!extent.isNull())
            QVERIFY2(qFuzzyCompare(size + QVector3D(1, 1, 1), extent + QVector3D(1, 1, 1)),
                     qPrintable(QStringLiteral("extent %1 %2 %3").arg(size.x()).arg(size.y()).arg(size.z())));
        QCOMPARE(mesh.stride(), 24);
        QCOMPARE(mesh.vertexData().size() % 24, 0);
        QCOMPARE(mesh.indexData().size(), qsizetype(mesh.triangleCount()) * 3 * 4);
    }

    void reportsClearErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << m_tmp.filePath(QStringLiteral("does-not-exist.stl")) << "file not found";
        QTest::newRow("empty") << writeFile(QStringLiteral("empty.stl"), {}) << "file is empty";
        QTest::newRow("points only") << shared("obj/assimp-tests/point_cloud.obj") << "no polygons";
        QTest::newRow("garbage STL") << writeFile(QStringLiteral("garbage.stl"), QByteArray(37, '\x7f'))
                                     << "could not be read";
        QTest::newRow("unsupported") << writeFile(QStringLiteral("model.3ds"), "x")
                                     << "unsupported mesh format";
    }
    void reportsClearErrors()
    {
        QFETCH(QString, path);
        QFETCH(QString, reason);
        MeshGeometry mesh;
        QVERIFY(!mesh.load(path));
        qInfo("%s", qPrintable(mesh.errorString()));
        QVERIFY2(mesh.errorString().contains(path), qPrintable(mesh.errorString()));
        QVERIFY2(mesh.errorString().contains(reason), qPrintable(mesh.errorString()));
        QCOMPARE(mesh.triangleCount(), 0);
        QVERIFY(mesh.vertexData().isEmpty());
    }

    void reloadAfterFailureRecovers()
    {
        MeshGeometry mesh;
        QVERIFY(!mesh.load(m_tmp.filePath(QStringLiteral("nope.obj"))));
        QVERIFY(mesh.load(shared("obj/assimp-tests/box.obj")));
        QVERIFY(mesh.errorString().isEmpty());
        QCOMPARE(mesh.triangleCount(), 12);
    }
};

QTEST_MAIN(TestMeshGeometry)
#include "tst_meshgeometry.moc"
