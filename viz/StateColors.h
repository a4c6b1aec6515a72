#pragma once
// Colour map of the 3D scene: operating state colours, neutral per-type colours, selection tint.
#include "twin/model/graph/Asset.h"

#include <QColor>
#include <string>
#include <vector>

namespace twin::viz {

// Running green, Degraded amber, Fault red, Off grey; invalid QColor for anything else.
QColor stateColor(const std::string &state);
// The states stateColor knows, in that order.
const std::vector<std::string> &stateNames();
// An active alarm by its severity (1 info, 2 warning, 3 major, 4 critical): blue, amber, orange, red.
QColor alarmColor(int severity);
// A muted colour derived from the type id (stable across runs).
QColor neutralColor(const std::string &typeId);
// Colour of an asset by the given property (usually "state"), falling back to its type colour.
QColor assetColor(const model::Asset &asset, const std::string &colorProperty);
// Highlight for selected assets: a bright blue tint of the base colour.
QColor selectedColor(const QColor &base);

} // namespace twin::viz
