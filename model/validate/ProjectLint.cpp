#include "twin/model/validate/ProjectLint.h"

#include "twin/model/scenario/Binding.h"
#include "twin/model/validate/PropertyValidator.h"

namespace twin::model {

std::vector<LintFinding> lintProject(const Project &project, const BindingModelLookup &models)
{
    using S = LintFinding::Severity;
    std::vector<LintFinding> out;
    const auto &types = project.types;
    for (const auto &[id, type] : types.all()) {
        for (const auto &base : type.extends)
            if (!types.contains(base))
                out.push_back({S::Error, id, "dangling-extends", "extends unknown interface " + base});
        for (const auto &r : type.relationships)
            if (!r.target.empty() && !types.contains(r.target))
                out.push_back({S::Warning, id, "dangling-relationship-target",
                               "relationship '" + r.name + "' targets unknown interface " + r.target});
        for (const auto &c : type.components)
            if (!types.contains(c.schema))
                out.push_back({S::Error, id, "dangling-component",
                               "component '" + c.name + "' uses unknown " + c.schema});
    }
    for (AssetId id : project.graph.allIds()) {
        const Asset &asset = *project.graph.find(id);
        const std::string where = project.graph.path(id);
        if (!types.contains(asset.typeId)) {
            out.push_back({S::Error, where, "unknown-type", "type " + asset.typeId + " is not defined"});
            continue;
        }
        for (const auto &[name, value] : asset.properties) {
            const PropertyDescriptor *d = types.property(asset.typeId, name);
            if (!d) {
                out.push_back({S::Warning, where, "unknown-property",
                               "property '" + name + "' is not declared by " + asset.typeId});
                continue;
            }
            if (auto problem = checkPropertyValue(*d, value); !problem.empty()) {
                const bool range = problem.find("minimum") != std::string::npos ||
                                   problem.find("maximum") != std::string::npos;
                out.push_back({S::Error, where, range ? "out-of-range" : "type-mismatch", problem});
            }
        }
    }
    for (const Relationship &r : project.graph.relationships()) {
        const Asset *source = project.graph.find(r.source);
        const Asset *target = project.graph.find(r.target);
        const std::string where = "relationship " + std::to_string(r.id) + " '" + r.name + "'";
        if (!source || !target) {
            out.push_back({S::Error, where, "dangling-reference", "source or target asset does not exist"});
            continue;
        }
        const RelationshipDescriptor *d = types.relationship(source->typeId, r.name);
        if (!d) {
            out.push_back({S::Error, where, "unknown-relationship",
                           source->typeId + " declares no relationship '" + r.name + "'"});
            continue;
        }
        if (!d->target.empty() && !types.isA(target->typeId, d->target))
            out.push_back(
                {S::Error, where, "target-type-mismatch",
                 "target '" + target->name + "' is a " + target->typeId + ", expected " + d->target});
    }
    // Simulation bindings (meta "binding:<typeId>", scenario/Binding.h).
    scenario::ModelVariablesLookup lookup;
    if (models)
        lookup = [&](const scenario::SimulationBinding &b, std::string &why) {
            return models(b.pluginId, b.modelId, b.config, why);
        };
    const auto bindings = scenario::lintBindings(project, lookup);
    out.insert(out.end(), bindings.begin(), bindings.end());
    return out;
}

} // namespace twin::model
