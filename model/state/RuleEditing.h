#pragma once
// What a rules editor needs from the model: which rule set applies to a type (own or inherited), the names a
// condition may use, and a check that compiles edited rules against the project before they are applied.
#include "twin/model/state/RuleSet.h"
#include "twin/util/Result.h"

#include <optional>
#include <string>
#include <vector>

namespace twin::model {

struct Project;

struct EffectiveRuleSet
{
    RuleSet rules;
    std::string definedOn; // the type whose "rules:<id>" entry holds them (the type itself or an ancestor)
};

// The rules stored for exactly this type; nullopt when it has none (or its entry does not parse).
std::optional<RuleSet> ownRuleSet(const Project &project, const std::string &typeId);
// The rules that apply to assets of the type: its own, else the nearest ancestor's.
std::optional<EffectiveRuleSet> effectiveRuleSet(const Project &project, const std::string &typeId);
// Variables a condition on this type may read: telemetry, numeric/boolean properties, "stateTime", then each
// telemetry's shadow-simulation signals ("<telemetry>_shadow", "<telemetry>_residual": shadow/Shadow.h).
std::vector<std::string> ruleVariables(const Project &project, const std::string &typeId);
// The telemetry a shadow-simulation signal name derives from ("flow_residual" -> "flow"); empty otherwise.
std::string shadowSignalBase(const std::string &name);
// A signal of the plant's own data: not a scenario's result ("scenario:<name>/..."), nor a shadow
// simulation's.
bool isPlantSignal(const std::string &name);
// Checks structure (known states) and compiles every expression with StateEngine::create over the project's
// rule sets with `rules` in place of its type's. The error names the type, the rule and the position.
Status checkRuleSet(const Project &project, const RuleSet &rules);

} // namespace twin::model
