#include "twin/model/project/FillLevel.h"

#include <algorithm>
#include <cmath>

namespace twin::model {

std::optional<FillSource> fillSource(const Project &project, const std::string &typeId)
{
    std::optional<std::string> named;
    std::vector<std::string> lineage{typeId}; // self first, then the nearest ancestors
    for (std::string &ancestor : project.types.ancestors(typeId))
        lineage.push_back(std::move(ancestor));
    for (const std::string &type : lineage)
        if (const auto it = project.meta.find(kFillMetaPrefix + type); it != project.meta.end()) {
            named = it->second;
            break;
        }
    if (named && named->empty())
        return std::nullopt;
    for (const TelemetryDescriptor *t : project.types.telemetry(typeId)) {
        const bool chosen = named ? t->name == *named : (t->name == "level" || t->name == "fillLevel");
        if (chosen && t->minimum && t->maximum && *t->maximum > *t->minimum)
            return FillSource{t->name, *t->minimum, *t->maximum};
    }
    return std::nullopt;
}

double fillFraction(const FillSource &source, double value)
{
    if (std::isnan(value))
        return value;
    return std::clamp((value - source.empty) / (source.full - source.empty), 0.0, 1.0);
}

} // namespace twin::model
