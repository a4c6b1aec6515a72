// Stock Qt Quick 3D instancing scene for bench_instancing: the same camera rig, lights, grid,
// #Cube mesh and PrincipledMaterial as qml/SceneView.qml, but a single Model with a plain
// QQuick3DInstancing table (no Repeater3D, no controller, no mouse handling).
import QtQuick
import QtQuick3D
import QtQuick3D.Helpers

Item {
    id: root
    width: 1280
    height: 720
    property QtObject stockInstancing: null
    property vector3d target: Qt.vector3d(0, 0, 0)
    property real yaw: 35
    property real pitch: -30
    property real distance: 30
    property real sceneRadius: 10

    View3D {
        anchors.fill: parent
        camera: camera
        environment: SceneEnvironment {
            backgroundMode: SceneEnvironment.Color
            clearColor: "#2b2f36"
        }
        Node {
            position: root.target
            eulerRotation: Qt.vector3d(root.pitch, root.yaw, 0)
            PerspectiveCamera {
                id: camera
                z: root.distance
                fieldOfView: 45
                clipNear: Math.max(0.01, root.distance * 0.005)
                clipFar: root.distance * 50 + 1000
            }
        }
        DirectionalLight {
            eulerRotation: Qt.vector3d(-55, -35, 0)
            brightness: 1.0
            ambientColor: Qt.rgba(0.38, 0.38, 0.42, 1.0)
        }
        DirectionalLight {
            eulerRotation: Qt.vector3d(-25, 145, 0)
            brightness: 0.45
        }
        Model {
            readonly property real step: Math.pow(10, Math.max(0, Math.floor(Math.log(root.sceneRadius / 5) / Math.LN10)))
            eulerRotation.x: -90
            scale: Qt.vector3d(step, step, step)
            geometry: GridGeometry {
                horizontalLines: 201
                verticalLines: 201
                horizontalStep: 1
                verticalStep: 1
            }
            materials: DefaultMaterial {
                diffuseColor: "#59606a"
                lighting: DefaultMaterial.NoLighting
            }
        }
        Model {
            source: "#Cube"
            instancing: root.stockInstancing
            materials: PrincipledMaterial {
                baseColor: "white"
                roughness: 0.55
                metalness: 0.0
            }
        }
    }
}
