#pragma once
// The bundled demo: a pump station typed by resources/demo/pump-station.dtdl.json.
#include "project/Project.h"

namespace twin::model {

// The DTDL v3 text of the demo model (embedded at build time).
const char *demoModelDtdl();
// Builds the demo twin into an empty project.
Status buildDemoTwin(Project &project);
// Mesh shown for a type: "cube", "cylinder", "sphere", "none" or "file:<path>" (nearest ancestor's hint).
std::string meshForType(const Project &project, const std::string &typeId);
void setMeshForType(Project &project, const std::string &typeId, const std::string &mesh);

} // namespace twin::model
