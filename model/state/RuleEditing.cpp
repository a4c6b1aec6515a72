#include "twin/model/state/RuleEditing.h"

#include "twin/model/project/Project.h"
#include "twin/model/state/StateEngine.h"

#include <algorithm>

namespace twin::model {

std::optional<RuleSet> ownRuleSet(const Project &project, const std::string &typeId)
{
    auto it = project.meta.find(ruleSetMetaKey(typeId));
    if (it == project.meta.end())
        return std::nullopt;
    auto rules = ruleSetFromJson(it->second, it->first);
    if (!rules)
        return std::nullopt;
    return std::move(rules.value());
}

std::optional<EffectiveRuleSet> effectiveRuleSet(const Project &project, const std::string &typeId)
{
    if (auto own = ownRuleSet(project, typeId))
        return EffectiveRuleSet{std::move(*own), typeId};
    for (const std::string &ancestor : project.types.ancestors(typeId))
        if (auto rules = ownRuleSet(project, ancestor))
            return EffectiveRuleSet{std::move(*rules), ancestor};
    return std::nullopt;
}

std::vector<std::string> ruleVariables(const Project &project, const std::string &typeId)
{
    std::vector<std::string> names;
    auto add = [&names](const std::string &name) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(name);
    };
    for (const auto *t : project.types.telemetry(typeId))
        add(t->name);
    for (const auto *p : project.types.properties(typeId))
        if (p->schema && (isNumeric(p->schema->kind) || p->schema->kind == SchemaKind::Boolean))
            add(p->name);
    add("stateTime");
    for (const auto *t : project.types.telemetry(typeId)) {
        add(t->name + "_residual");
        add(t->name + "_shadow");
    }
    return names;
}

bool isPlantSignal(const std::string &name)
{
    return name.rfind("scenario:", 0) != 0 && shadowSignalBase(name).empty();
}

std::string shadowSignalBase(const std::string &name)
{
    for (const std::string suffix : {"_residual", "_shadow"})
        if (name.size() > suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            return name.substr(0, name.size() - suffix.size());
    return {};
}

Status checkRuleSet(const Project &project, const RuleSet &rules)
{
    const std::string where = "rules of " + rules.typeId;
    for (size_t i = 0; i < rules.states.size(); ++i) {
        if (rules.states[i].empty() || rules.states[i] == "*")
            return Error{where + ": state " + std::to_string(i + 1) + " needs a name"};
        if (std::count(rules.states.begin(), rules.states.end(), rules.states[i]) > 1)
            return Error{where + ": state '" + rules.states[i] + "' is listed twice"};
    }
    for (const StateTransition &t : rules.transitions)
        if (t.condition.empty())
            return Error{where + ", transition " + t.from + "->" + t.to + ": the condition is empty"};
    for (size_t i = 0; i < rules.alarms.size(); ++i) {
        if (rules.alarms[i].name.empty())
            return Error{where + ": alarm " + std::to_string(i + 1) + " needs a name"};
        if (rules.alarms[i].condition.empty())
            return Error{where + ", alarm '" + rules.alarms[i].name + "': the condition is empty"};
    }
    auto parsed = ruleSetFromJson(ruleSetToJson(rules), where);
    if (!parsed)
        return Error{parsed.error()};
    std::vector<RuleSet> all = projectRuleSets(project);
    std::erase_if(all, [&](const RuleSet &r) { return r.typeId == rules.typeId; });
    all.push_back(parsed.value());
    auto engine = StateEngine::create(project, all);
    if (!engine)
        return Error{engine.error()};
    return okStatus();
}

} // namespace twin::model
