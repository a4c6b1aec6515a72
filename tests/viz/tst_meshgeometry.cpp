// MeshGeometry: STL/OBJ/PLY/glTF through VTK readers, on real files from shared/data/3d.
#include "twin/viz/MeshGeometry.h"

#include "SharedData.h"
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

    // Two nodes share one triangle mesh (0,0,0)-(1,0,0)-(0,1,0); the second is translated by x + 2.
    QString writeTwoNodeGltf()
    {
        const float positions[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
        const QByteArray bin(reinterpret_cast<const char *>(positions), sizeof(positions));
        const QByteArray json =
            "{\"asset\":{\"version\":\"2.0\"},\"scene\":0,\"scenes\":[{\"nodes\":[0,1]}],"
            "\"nodes\":[{\"mesh\":0},{\"mesh\":0,\"translation\":[2,0,0]}],"
            "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}],"
            "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,"
            "\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":[1,1,0]}],"
            "\"bufferViews\":[{\"buffer\":0,\"byteLength\":36}],"
            "\"buffers\":[{\"byteLength\":36,\"uri\":\"data:application/octet-stream;base64," +
            bin.toBase64() + "\"}]}";
        return writeFile(QStringLiteral("two_nodes.gltf"), json);
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
        // The box: 12 triangles, 1 m cube under a node rotation; separate .bin, GLB and data URI.
        QTest::newRow("glTF + .bin") << shared("gltf/BoxTextured-glTF/BoxTextured.gltf") << 12
                                     << QVector3D(1, 1, 1);
        QTest::newRow("GLB") << shared("gltf/BoxTextured-glTF-Binary/BoxTextured.glb") << 12
                             << QVector3D(1, 1, 1);
        QTest::newRow("glTF, embedded buffer")
            << shared("gltf/BoxTextured-glTF-Embedded/BoxTextured.gltf") << 12 << QVector3D(1, 1, 1);
        QTest::newRow("glTF, two meshes merged, node transforms applied")
            << writeTwoNodeGltf() << 2 << QVector3D(3, 1, 0);
    }
    void loadsMeshFiles()
    {
        QFETCH(QString, path);
        if (path.startsWith(QStringLiteral(TWIN_SHARED_DATA)))
            TWIN_SKIP_WITHOUT_SHARED_DATA();
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
        // Broken glTF files: checked before VTK sees them (it would log, hang or read out of bounds).
        QTest::newRow("glTF, missing .bin")
            << shared("gltf/MissingBin/BoxTextured.gltf") << "MissingBin/BoxTextured0.bin' (buffers[0].uri)";
        QTest::newRow("glTF, node cycle")
            << shared("gltf/RecursiveNodes/RecursiveNodes.gltf") << "node cycle";
        QTest::newRow("glTF, index out of range") << shared("gltf/IndexOutOfRange/IndexOutOfRange.gltf")
                                                  << "out of range; POSITION has 24 vertices";
        QTest::newRow("glTF, all indices out of range")
            << shared("gltf/IndexOutOfRange/AllIndicesOutOfRange.gltf") << "out of range";
        QTest::newRow("glTF, primitives not an array")
            << shared("gltf/wrongTypes/badArray.gltf")
            << "'/meshes/0/primitives' must be an array, not object";
        QTest::newRow("glTF, extension not an object")
            << shared("gltf/wrongTypes/badExtension.gltf") << "/extensions' must be an object of objects";
        QTest::newRow("glTF, scale not a number") << shared("gltf/wrongTypes/badNumber.gltf")
                                                  << "'/materials/0/normalTexture/scale' must be a number";
        QTest::newRow("glTF, pbr not an object") << shared("gltf/wrongTypes/badObject.gltf")
                                                 << "pbrMetallicRoughness' must be an object, not array";
        QTest::newRow("glTF, name not a string")
            << shared("gltf/wrongTypes/badString.gltf") << "/name' must be a string";
        QTest::newRow("glTF, negative index")
            << shared("gltf/wrongTypes/badUint.gltf") << "index' must be a non-negative integer";
        QTest::newRow("glTF, not JSON")
            << writeFile(QStringLiteral("broken.gltf"), "{\"asset\": ") << "not valid JSON";
        QTest::newRow("GLB, truncated")
            << writeFile(QStringLiteral("short.glb"), QByteArray("glTF\x02\0\0\0", 8)) << "truncated GLB";
    }
    void reportsClearErrors()
    {
        QFETCH(QString, path);
        if (path.startsWith(QStringLiteral(TWIN_SHARED_DATA)))
            TWIN_SKIP_WITHOUT_SHARED_DATA();
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
        TWIN_SKIP_WITHOUT_SHARED_DATA();
        MeshGeometry mesh;
        QVERIFY(!mesh.load(m_tmp.filePath(QStringLiteral("nope.obj"))));
        QVERIFY(mesh.load(shared("obj/assimp-tests/box.obj")));
        QVERIFY(mesh.errorString().isEmpty());
        QCOMPARE(mesh.triangleCount(), 12);
    }
};

QTEST_MAIN(TestMeshGeometry)
#include "tst_meshgeometry.moc"
