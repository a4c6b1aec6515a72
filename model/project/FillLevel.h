#pragma once
// Which telemetry of an asset type is its fill level (a tank's level), and how full a value is: what the 3D
// view draws as the filled part of the asset.
#include "twin/model/project/Project.h"

#include <optional>
#include <string>

namespace twin::model {

// Meta key prefix: "workbench:fill:<type DTMI>" names the telemetry of that type (and of types extending it)
// that is its fill level; "" turns the fill off for the type.
inline constexpr const char *kFillMetaPrefix = "workbench:fill:";

struct FillSource
{
    std::string telemetry;
    double empty = 0, full = 1; // the values that mean empty and full: the telemetry's declared range
};

// The meta entry for the type or its nearest ancestor, else a telemetry named "level" or "fillLevel"; the
// telemetry needs a declared minimum and maximum (empty and full). nullopt when the type has none.
std::optional<FillSource> fillSource(const Project &project, const std::string &typeId);

// How full `value` is: 0 (empty) to 1 (full), clamped; NaN for NaN.
double fillFraction(const FillSource &source, double value);

} // namespace twin::model
