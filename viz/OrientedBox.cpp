#include "twin/viz/OrientedBox.h"

#include <cmath>
#include <limits>

namespace twin::viz {

OrientedBox OrientedBox::fromPlacement(const QVector3D &position, const QVector3D &eulerDegrees,
                                       const QVector3D &scale, const QVector3D &localMin,
                                       const QVector3D &localMax)
{
    OrientedBox box;
    const QQuaternion rotation = QQuaternion::fromEulerAngles(eulerDegrees);
    const QVector3D localCenter = (localMin + localMax) * 0.5f * scale;
    const QVector3D localHalf = (localMax - localMin) * 0.5f * scale;
    box.center = position + rotation.rotatedVector(localCenter);
    box.axis[0] = rotation.rotatedVector({1, 0, 0});
    box.axis[1] = rotation.rotatedVector({0, 1, 0});
    box.axis[2] = rotation.rotatedVector({0, 0, 1});
    box.half = QVector3D(std::abs(localHalf.x()), std::abs(localHalf.y()), std::abs(localHalf.z()));
    box.radius = box.half.length();
    return box;
}

float OrientedBox::intersect(const QVector3D &origin, const QVector3D &direction) const
{
    // Early-out: ray vs bounding sphere.
    const QVector3D toCenter = center - origin;
    const float dd = QVector3D::dotProduct(direction, direction);
    const float along = QVector3D::dotProduct(toCenter, direction);
    const float distSq = toCenter.lengthSquared() - along * along / dd;
    if (distSq > radius * radius)
        return -1.f;
    // Slab test in the box frame.
    float tMin = 0.f;
    float tMax = std::numeric_limits<float>::max();
    for (int i = 0; i < 3; ++i) {
        const float e = QVector3D::dotProduct(axis[i], toCenter);
        const float f = QVector3D::dotProduct(axis[i], direction);
        const float h = half[i];
        if (std::abs(f) > 1e-9f) {
            float t1 = (e + h) / f;
            float t2 = (e - h) / f;
            if (t1 > t2)
                std::swap(t1, t2);
            tMin = std::max(tMin, t1);
            tMax = std::min(tMax, t2);
            if (tMin > tMax)
                return -1.f;
        } else if (-e - h > 0.f || -e + h < 0.f) {
            return -1.f;
        }
    }
    return tMin;
}

void OrientedBox::extendBounds(QVector3D &min, QVector3D &max) const
{
    for (int corner = 0; corner < 8; ++corner) {
        QVector3D p = center;
        for (int i = 0; i < 3; ++i)
            p += axis[i] * (((corner >> i) & 1) ? half[i] : -half[i]);
        for (int i = 0; i < 3; ++i) {
            min[i] = std::min(min[i], p[i]);
            max[i] = std::max(max[i], p[i]);
        }
    }
}

bool rayHitsGround(const QVector3D &origin, const QVector3D &direction, float height, QVector3D &hit)
{
    if (std::abs(direction.y()) < 1e-9f)
        return false;
    const float t = (height - origin.y()) / direction.y();
    if (t < 0.f)
        return false;
    hit = origin + direction * t;
    return true;
}

} // namespace twin::viz
