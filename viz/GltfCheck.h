#pragma once
// Validates a glTF 2.0 file (.gltf or .glb) before vtkGLTFReader sees it. VTK 9.1 trusts the
// file: a missing .bin, a node cycle or an index past the vertex array makes it print to its own
// log, hang or read out of bounds. Private to twin_viz; no VTK here.
#include <QString>

namespace twin::viz {

// Empty when the file is safe to hand to vtkGLTFReader; otherwise the reason (the caller adds the
// file's path). Checks JSON syntax and the types of the usual members, that every referenced
// buffer exists and is long enough, the index ranges of buffer views, accessors, meshes, nodes and
// scenes, triangle indices against the vertex count, and that nodes form a forest (no cycles).
QString checkGltf(const QString &path);

} // namespace twin::viz
