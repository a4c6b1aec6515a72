#pragma once
// Private to SceneController: one instanced Model per mesh kind.
#include "twin/viz/InstanceTable.h"
#include "twin/viz/MeshGeometry.h"
#include "twin/viz/SceneController.h"

#include <QPointer>

namespace twin::viz {

struct SceneController::Layer
{
    std::string meshKey;             // "cube", "cylinder", "sphere", "file:<absolute path>"
    QString source;                  // "#Cube"... for primitives, empty for file meshes
    QPointer<MeshGeometry> geometry; // owned (QObject child of the controller); null for primitives
    QString error;                   // why the file mesh could not be loaded (drawn as a cube)
    QPointer<InstanceTable> table;   // owned (QObject child of the controller)
    float meshScale = 1.f;           // 0.01 for the 100-unit built-in meshes: scale 1 = 1 metre
    QVector3D localMin{-50, -50, -50};
    QVector3D localMax{50, 50, 50};
    std::vector<model::AssetId> ids; // instance index -> asset
    std::vector<OrientedBox> boxes;  // instance index -> pick box

    ~Layer()
    {
        if (table)
            table->deleteLater();
        if (geometry)
            geometry->deleteLater();
    }
};

} // namespace twin::viz
