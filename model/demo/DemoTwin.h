#pragma once
// The bundled demo: a pump station typed by resources/demo/pump-station.dtdl.json.
#include "twin/model/project/Project.h"

namespace twin::model {

// The DTDL v3 text of the demo model (embedded at build time).
const char *demoModelDtdl();
// Builds the demo twin into an empty project.
Status buildDemoTwin(Project &project);
// Mesh shown for a type: "cube", "cylinder", "sphere", "none" or "file:<path>" (nearest ancestor's hint).
std::string meshForType(const Project &project, const std::string &typeId);
void setMeshForType(Project &project, const std::string &typeId, const std::string &mesh);
// Simulation bindings and what-if scenarios of the demo: Pump -> sim-ode "pumpstation" (scenarios
// "baseline", "speed-1200", "valve-50"), Station -> sim-des "maintenance" ("crews-1", "crews-2").
void addDemoSimulation(Project &project);
// The demo's calibration (called by addDemoSimulation): Motor M-103's thermal model (R_th, tau) fitted on
// the recording's first hour, accepted on the second (NRMSE <= 5 %, |bias| <= 0.5 degC on hold-out).
void addDemoCalibration(Project &project);

} // namespace twin::model
