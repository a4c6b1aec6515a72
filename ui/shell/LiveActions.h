#pragma once
// Live telemetry in the workbench: the Telemetry menu ("Connect MQTT…", "Disconnect") and the connection
// status in the status bar (object name "liveStatus": a coloured dot and "MQTT host:port Connected ·
// 1,234 records · 0 problems").
class QWidget;

namespace twin::ui {

class MainWindow;
class MqttConnectDialog;

void installLiveActions(MainWindow &window);
// Saves the dialog's settings in the project meta (no password) and connects the window's telemetry
// session. Returns at once; the status bar follows the connection.
void connectMqtt(MainWindow &window, const MqttConnectDialog &dialog);
// The status bar widget installed by installLiveActions (null before).
QWidget *liveStatusWidget(MainWindow &window);

} // namespace twin::ui
