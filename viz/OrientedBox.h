#pragma once
// Oriented bounding boxes for CPU ray picking (works for instanced models, where
// Quick 3D 6.4 cannot pick single instances).
#include <QQuaternion>
#include <QVector3D>

namespace twin::viz {

struct OrientedBox
{
    QVector3D center;
    QVector3D axis[3];  // unit axes in scene space
    QVector3D half;     // half extents along axis[i]
    float radius = 0.f; // bounding sphere, for the early-out

    // Box of a mesh with local bounds [localMin, localMax] under T * R(euler degrees) * S.
    static OrientedBox fromPlacement(const QVector3D &position, const QVector3D &eulerDegrees,
                                     const QVector3D &scale, const QVector3D &localMin,
                                     const QVector3D &localMax);

    // Distance t >= 0 along the ray (direction need not be unit) to the entry point; < 0 when missed.
    float intersect(const QVector3D &origin, const QVector3D &direction) const;
    // Corners, for bounds.
    void extendBounds(QVector3D &min, QVector3D &max) const;
};

// Ray / horizontal plane y = height; returns false when parallel or behind the origin.
bool rayHitsGround(const QVector3D &origin, const QVector3D &direction, float height, QVector3D &hit);

} // namespace twin::viz
