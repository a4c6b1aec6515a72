// The 3D scene of a twin. Binds to a twin::viz::SceneController given as the property
// `controller`: QQuickView::setInitialProperties, or (QQuickWidget in Qt 6.4 has no
// setInitialProperties) rootObject()->setProperty("controller", ...) after setSource.
// Until the user moves the camera, the view keeps the whole scene framed.
// Mouse: left-drag orbit, right/middle-drag pan, wheel zoom, click select (ctrl/shift: additive),
// shift+drag on a selected asset moves the selection; F frames the selection (or everything).
import QtQuick
import QtQuick3D
import QtQuick3D.Helpers

Item {
    id: root
    anchors.fill: parent ? parent : undefined
    implicitWidth: 1024
    implicitHeight: 700
    focus: true

    property QtObject controller: null
    property alias view3d: view3d
    property alias camera: camera

    // Orbit camera state: the camera looks at `target` from `distance`, turned by yaw/pitch (degrees).
    property vector3d target: Qt.vector3d(0, 0, 0)
    property real yaw: 35
    property real pitch: -30
    property real distance: 30
    property real sceneRadius: 10
    property bool fitted: false
    property bool userMoved: false // stops the automatic framing

    function rayAt(x, y) {
        const nx = x / Math.max(1, view3d.width)
        const ny = y / Math.max(1, view3d.height)
        const near = camera.mapFromViewport(Qt.vector3d(nx, ny, 0))
        const far = camera.mapFromViewport(Qt.vector3d(nx, ny, 1))
        return { origin: near, direction: far.minus(near) }
    }

    function fitTo(selectionOnly) {
        if (!controller)
            return
        const center = controller.boundsCenter(selectionOnly)
        const radius = controller.boundsRadius(selectionOnly)
        const vfov = camera.fieldOfView * Math.PI / 180
        const hfov = 2 * Math.atan(Math.tan(vfov / 2) * view3d.width / Math.max(1, view3d.height))
        const fov = view3d.width >= 1 && view3d.height >= 1 ? Math.min(vfov, hfov) : vfov
        target = center
        distance = radius / Math.sin(fov / 2) * 1.05
        if (!selectionOnly || !fitted)
            sceneRadius = controller.boundsRadius(false)
        fitted = true
    }

    // A smooth flight to a saved view (a camera bookmark); the shorter way round in yaw.
    function flyTo(toTarget, toYaw, toPitch, toDistance) {
        flight.stop()
        userMoved = true
        let y = toYaw
        while (y - yaw > 180) y -= 360
        while (y - yaw < -180) y += 360
        targetAnimation.to = toTarget
        yawAnimation.to = y
        pitchAnimation.to = toPitch
        distanceAnimation.to = toDistance
        flight.start()
    }
    ParallelAnimation {
        id: flight
        PropertyAnimation { id: targetAnimation; target: root; property: "target"; duration: 700; easing.type: Easing.InOutCubic }
        NumberAnimation { id: yawAnimation; target: root; property: "yaw"; duration: 700; easing.type: Easing.InOutCubic }
        NumberAnimation { id: pitchAnimation; target: root; property: "pitch"; duration: 700; easing.type: Easing.InOutCubic }
        NumberAnimation { id: distanceAnimation; target: root; property: "distance"; duration: 700; easing.type: Easing.InOutCubic }
    }

    function pan(dx, dy) {
        const perPixel = 2 * distance * Math.tan(camera.fieldOfView * Math.PI / 360) / Math.max(1, view3d.height)
        target = target.plus(camera.right.times(-dx * perPixel)).plus(camera.up.times(dy * perPixel))
    }

    function autoFit() {
        if (!userMoved && controller && controller.drawnCount > 0)
            fitTo(false)
    }
    // World size of one pixel at the orbit target: the selection outline is drawn a few pixels wide.
    readonly property real pixelSize: 2 * distance * Math.tan(camera.fieldOfView * Math.PI / 360) / Math.max(1, view3d.height)
    function updateOutlineWidth() {
        if (controller)
            controller.setOutlinePixelSize(pixelSize)
    }
    onPixelSizeChanged: updateOutlineWidth()
    onControllerChanged: { autoFit(); updateOutlineWidth() }
    onWidthChanged: autoFit()
    onHeightChanged: autoFit()

    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_F) {
            userMoved = true
            fitTo(true)
            event.accepted = true
        }
    }

    Connections {
        target: root.controller
        function onFitRequested() {
            root.userMoved = true
            root.fitTo(true)
        }
        function onLayersChanged() {
            if (!root.fitted)
                root.autoFit()
        }
    }

    Component.onCompleted: autoFit()

    View3D {
        id: view3d
        objectName: "view3d"
        anchors.fill: parent
        camera: camera

        environment: SceneEnvironment {
            backgroundMode: SceneEnvironment.Color
            clearColor: "#2b2f36"
        }

        Node {
            id: orbit
            position: root.target
            eulerRotation: Qt.vector3d(root.pitch, root.yaw, 0)
            PerspectiveCamera {
                id: camera
                objectName: "camera"
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
            id: grid
            objectName: "grid"
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

        Repeater3D {
            model: root.controller ? root.controller.layerModel : null
            delegate: Model {
                required property string meshSource
                required property QtObject meshGeometry
                required property QtObject meshInstancing
                source: meshSource
                geometry: meshGeometry
                instancing: meshInstancing
                materials: PrincipledMaterial {
                    baseColor: "white"
                    roughness: 0.55
                    metalness: 0.0
                    cullMode: geometry ? Material.NoCulling : Material.BackFaceCulling
                }
            }
        }
    }

    MouseArea {
        id: mouseArea
        anchors.fill: view3d
        acceptedButtons: Qt.LeftButton | Qt.RightButton | Qt.MiddleButton
        hoverEnabled: true
        property point last
        property point pressPos
        property int mode: 0 // 0 idle, 1 orbit, 2 pan, 3 moving the selection
        property bool moved: false

        onPressed: (mouse) => {
            root.forceActiveFocus()
            last = Qt.point(mouse.x, mouse.y)
            pressPos = last
            moved = false
            if (root.controller)
                root.controller.clearHover()
            if (mouse.button === Qt.LeftButton && (mouse.modifiers & Qt.ShiftModifier) && root.controller) {
                const ray = root.rayAt(mouse.x, mouse.y)
                if (root.controller.beginDrag(ray.origin, ray.direction)) {
                    mode = 3
                    return
                }
            }
            mode = mouse.button === Qt.LeftButton ? 1 : 2
        }
        onPositionChanged: (mouse) => {
            if (!pressed) {
                if (root.controller) {
                    const ray = root.rayAt(mouse.x, mouse.y)
                    root.controller.hover(ray.origin, ray.direction)
                }
                return
            }
            if (Math.abs(mouse.x - pressPos.x) + Math.abs(mouse.y - pressPos.y) > 3)
                moved = true
            const dx = mouse.x - last.x
            const dy = mouse.y - last.y
            last = Qt.point(mouse.x, mouse.y)
            if (mode === 3) {
                const ray = root.rayAt(mouse.x, mouse.y)
                root.controller.dragTo(ray.origin, ray.direction)
            } else if (mode === 1) {
                root.userMoved = true
                root.yaw -= dx * 0.3
                root.pitch = Math.max(-89, Math.min(89, root.pitch - dy * 0.3))
            } else if (mode === 2) {
                root.userMoved = true
                root.pan(dx, dy)
            }
        }
        onReleased: (mouse) => {
            const additive = (mouse.modifiers & (Qt.ControlModifier | Qt.ShiftModifier)) !== 0
            if (mode === 3)
                root.controller.endDrag()
            if (!moved && mouse.button === Qt.LeftButton && root.controller) {
                const ray = root.rayAt(mouse.x, mouse.y)
                root.controller.click(ray.origin, ray.direction, additive)
            }
            mode = 0
        }
        onExited: {
            if (root.controller)
                root.controller.clearHover()
        }
        onWheel: (wheel) => {
            root.userMoved = true
            root.distance = Math.max(0.2, Math.min(1e6, root.distance * Math.pow(0.85, wheel.angleDelta.y / 120)))
        }
    }

    // Labels above assets (their values, say): each hangs from its anchor's projection on the screen; where
    // two overlap, the one of higher priority (then the nearer one) stays and the other is hidden.
    Item {
        id: labelLayer
        objectName: "labelLayer"
        anchors.fill: view3d
        property int shownCount: 0
        readonly property var cameraState: [root.target, root.yaw, root.pitch, root.distance, view3d.width, view3d.height]
        onCameraStateChanged: placeLater.restart()

        Timer {
            id: placeLater
            interval: 0
            onTriggered: labelLayer.place()
        }

        function place() {
            const items = []
            for (let i = 0; i < labelRepeater.count; ++i) {
                const item = labelRepeater.itemAt(i)
                if (!item)
                    continue
                const p = view3d.mapFrom3DScene(item.anchor)
                item.x = Math.round(p.x - item.width / 2)
                item.y = Math.round(p.y - item.height)
                item.depth = p.z
                items.push(item)
            }
            items.sort((a, b) => (b.priority - a.priority) || (a.depth - b.depth))
            const kept = []
            for (const item of items) {
                let free = item.depth > 0 && item.x + item.width > 0 && item.x < width
                        && item.y + item.height > 0 && item.y < height
                for (let k = 0; free && k < kept.length; ++k) {
                    const o = kept[k]
                    if (item.x < o.x + o.width + 2 && o.x < item.x + item.width + 2
                            && item.y < o.y + o.height + 2 && o.y < item.y + item.height + 2)
                        free = false
                }
                item.shown = free
                if (free)
                    kept.push(item)
            }
            shownCount = kept.length
        }

        Repeater {
            id: labelRepeater
            model: root.controller ? root.controller.labels : []
            onItemAdded: placeLater.restart()
            onItemRemoved: placeLater.restart()
            delegate: Rectangle {
                required property var modelData
                readonly property vector3d anchor: modelData.position
                readonly property int priority: modelData.priority
                readonly property string assetId: String(modelData.id)
                property bool shown: false
                property real depth: 0
                objectName: "assetLabel"
                visible: shown
                width: labelText.implicitWidth + 14
                height: labelText.implicitHeight + 6
                radius: 3
                color: "#d9202428"
                border.color: modelData.color
                border.width: 1
                onWidthChanged: placeLater.restart()
                onHeightChanged: placeLater.restart()
                Rectangle {
                    width: 3
                    height: parent.height - 2
                    x: 1
                    y: 1
                    color: parent.modelData.color
                }
                Text {
                    id: labelText
                    x: 8
                    y: 3
                    text: parent.modelData.text
                    color: "white"
                    font.pixelSize: 11
                }
            }
        }
    }

    Rectangle {
        id: hoverLabel
        objectName: "hoverLabel"
        visible: root.controller !== null && root.controller.hoverText !== "" && mouseArea.mode === 0
        x: Math.min(mouseArea.mouseX + 14, root.width - width - 4)
        y: Math.min(mouseArea.mouseY + 18, root.height - height - 4)
        width: hoverText.implicitWidth + 14
        height: hoverText.implicitHeight + 8
        radius: 3
        color: "#e6202428"
        border.color: "#50ffffff"
        Text {
            id: hoverText
            anchors.centerIn: parent
            text: root.controller ? root.controller.hoverText : ""
            color: "white"
            font.pixelSize: 12
        }
    }

    // What the colours mean: the operating states (or nothing while another colouring replaces them).
    Rectangle {
        id: legendBox
        objectName: "stateLegend"
        visible: root.controller !== null && root.controller.legend.length > 0
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 8
        width: legendColumn.implicitWidth + 16
        height: legendColumn.implicitHeight + 12
        radius: 3
        color: "#cc202428"
        border.color: "#50ffffff"
        Column {
            id: legendColumn
            x: 8
            y: 6
            spacing: 3
            Repeater {
                model: root.controller ? root.controller.legend : []
                Row {
                    spacing: 6
                    Rectangle {
                        width: 12
                        height: 12
                        radius: 2
                        color: modelData.color
                        anchors.verticalCenter: parent.verticalCenter
                    }
                    Text {
                        text: modelData.name
                        color: "white"
                        font.pixelSize: 12
                    }
                }
            }
        }
    }
}
