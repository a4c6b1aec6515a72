#pragma once
// Per-instance transforms and colours for one instanced Model (one mesh kind).
// GUI thread only. The table keeps the packed Quick 3D instance buffer itself, so
// updating one entry costs one matrix computation and 80 bytes.
#include <QtQuick3D/QQuick3DInstancing>

#include <QByteArray>
#include <QColor>
#include <QVector3D>

namespace twin::viz {

struct InstanceSpec
{
    QVector3D position;
    QVector3D eulerDegrees;
    QVector3D scale{1.f, 1.f, 1.f};
    QColor color = Qt::white;
    float data = 0.f; // custom data x: the asset's index inside the layer
};

class InstanceTable : public QQuick3DInstancing
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit InstanceTable(QQuick3DObject *parent = nullptr);

    int count() const { return m_count; }
    // Replaces all entries.
    void setAll(const std::vector<InstanceSpec> &specs);
    void resize(int count); // new entries are zero-scale (invisible) until set
    // Updates one entry; index must be in [0, count).
    void set(int index, const InstanceSpec &spec);
    // Changes only the colour of one entry (keeps its transform).
    void setColor(int index, const QColor &color);
    // Read back (tests, picking helpers).
    QVector3D positionAt(int index) const;
    QVector3D scaleAt(int index) const; // the lengths of the transform's axes
    QVector4D colorAt(int index) const; // linear RGBA as uploaded

signals:
    void countChanged();

protected:
    QByteArray getInstanceBuffer(int *instanceCount) override;

private:
    InstanceTableEntry *entries() { return reinterpret_cast<InstanceTableEntry *>(m_buffer.data()); }
    const InstanceTableEntry *entries() const
    {
        return reinterpret_cast<const InstanceTableEntry *>(m_buffer.constData());
    }

    QByteArray m_buffer; // m_count packed InstanceTableEntry records
    int m_count = 0;
};

} // namespace twin::viz
