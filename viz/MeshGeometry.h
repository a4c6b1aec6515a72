#pragma once
// A triangle mesh read from STL, OBJ, PLY or glTF/GLB (through VTK readers, triangulated, with
// normals) for a Quick 3D Model. glTF files are validated first (GltfCheck.h) and all their meshes
// merged into one, node transforms applied; materials and textures are ignored. VTK's own
// messages never reach its console: they end up in errorString(). GUI thread only.
#include <QtQuick3D/QQuick3DGeometry>

#include <QString>
#include <QVector3D>

namespace twin::viz {

class MeshGeometry : public QQuick3DGeometry
{
    Q_OBJECT
    Q_PROPERTY(QString source READ source WRITE setSource NOTIFY sourceChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY sourceChanged)
    Q_PROPERTY(int triangleCount READ triangleCount NOTIFY sourceChanged)

public:
    explicit MeshGeometry(QQuick3DObject *parent = nullptr);

    // Reads the file and replaces the geometry. On failure the geometry is empty and
    // errorString() names the file and the reason.
    bool load(const QString &path);

    QString source() const { return m_source; }
    void setSource(const QString &path) { load(path); }
    QString errorString() const { return m_error; }
    int triangleCount() const { return m_triangles; }
    QVector3D boundsMin() const { return m_min; }
    QVector3D boundsMax() const { return m_max; }

    static bool isSupportedFile(const QString &path); // by extension: stl, obj, ply, gltf, glb

signals:
    void sourceChanged();

private:
    void setEmpty();

    QString m_source;
    QString m_error;
    int m_triangles = 0;
    QVector3D m_min;
    QVector3D m_max;
};

} // namespace twin::viz
