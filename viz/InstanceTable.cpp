#include "twin/viz/InstanceTable.h"

#include <cstring>

namespace twin::viz {

InstanceTable::InstanceTable(QQuick3DObject *parent) : QQuick3DInstancing(parent) {}

void InstanceTable::setAll(const std::vector<InstanceSpec> &specs)
{
    const int oldCount = m_count;
    m_count = int(specs.size());
    m_buffer.resize(qsizetype(m_count) * qsizetype(sizeof(InstanceTableEntry)));
    InstanceTableEntry *out = entries();
    for (int i = 0; i < m_count; ++i) {
        const InstanceSpec &s = specs[size_t(i)];
        out[i] =
            calculateTableEntry(s.position, s.scale, s.eulerDegrees, s.color, QVector4D(s.data, 0, 0, 0));
    }
    markDirty();
    if (oldCount != m_count)
        emit countChanged();
}

void InstanceTable::resize(int count)
{
    if (count == m_count)
        return;
    const int oldCount = m_count;
    m_count = count;
    m_buffer.resize(qsizetype(m_count) * qsizetype(sizeof(InstanceTableEntry)));
    if (count > oldCount)
        std::memset(m_buffer.data() + qsizetype(oldCount) * qsizetype(sizeof(InstanceTableEntry)), 0,
                    qsizetype(count - oldCount) * qsizetype(sizeof(InstanceTableEntry)));
    markDirty();
    emit countChanged();
}

void InstanceTable::set(int index, const InstanceSpec &spec)
{
    Q_ASSERT(index >= 0 && index < m_count);
    entries()[index] = calculateTableEntry(spec.position, spec.scale, spec.eulerDegrees, spec.color,
                                           QVector4D(spec.data, 0, 0, 0));
    markDirty();
}

void InstanceTable::setColor(int index, const QColor &color)
{
    Q_ASSERT(index >= 0 && index < m_count);
    // Let Quick 3D do its colour-space conversion, keep the transform rows.
    const InstanceTableEntry converted = calculateTableEntry({}, {1, 1, 1}, {}, color);
    entries()[index].color = converted.color;
    markDirty();
}

QVector3D InstanceTable::positionAt(int index) const
{
    Q_ASSERT(index >= 0 && index < m_count);
    return entries()[index].getPosition();
}

QVector3D InstanceTable::scaleAt(int index) const
{
    Q_ASSERT(index >= 0 && index < m_count);
    const InstanceTableEntry &e = entries()[index];
    QVector3D scale;
    for (int j = 0; j < 3; ++j)
        scale[j] = QVector3D(e.row0[j], e.row1[j], e.row2[j]).length();
    return scale;
}

QVector4D InstanceTable::colorAt(int index) const
{
    Q_ASSERT(index >= 0 && index < m_count);
    return entries()[index].color;
}

QByteArray InstanceTable::getInstanceBuffer(int *instanceCount)
{
    if (instanceCount)
        *instanceCount = m_count;
    return m_buffer; // implicitly shared: no copy unless we write while the renderer holds it
}

} // namespace twin::viz
