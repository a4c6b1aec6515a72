#pragma once
// Installs the telemetry runtime into the workbench: the session, the replay timeline toolbar, the alarm and
// data-quality docks, and the state/problem overlays on the 3D view and the asset tree.
namespace twin::ui {

class MainWindow;
class TelemetrySession;

// Returns the session (a child of the window; the window keeps the pointer).
TelemetrySession *installTelemetryDocks(MainWindow &window);

} // namespace twin::ui
