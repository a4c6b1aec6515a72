#include "twin/model/state/RuleSet.h"

#include "twin/model/project/Project.h"

#include <nlohmann/json.hpp>

namespace twin::model {
using nlohmann::json;

namespace {
const std::string kPrefix = "rules:";
}

const char *severityName(AlarmSeverity severity)
{
    switch (severity) {
    case AlarmSeverity::Info:
        return "info";
    case AlarmSeverity::Warning:
        return "warning";
    case AlarmSeverity::Major:
        return "major";
    case AlarmSeverity::Critical:
        return "critical";
    }
    return "warning";
}

std::string ruleSetToJson(const RuleSet &rules)
{
    json j{{"type", rules.typeId}, {"initial", rules.initialState}, {"states", rules.states}};
    j["transitions"] = json::array();
    for (const auto &t : rules.transitions)
        j["transitions"].push_back(
            {{"from", t.from}, {"to", t.to}, {"when", t.condition}, {"minDuration", t.minDurationS}});
    j["alarms"] = json::array();
    for (const auto &a : rules.alarms)
        j["alarms"].push_back({{"name", a.name},
                               {"severity", severityName(a.severity)},
                               {"when", a.condition},
                               {"clearWhen", a.clearCondition},
                               {"minDuration", a.minDurationS},
                               {"message", a.message}});
    return j.dump(2);
}

Result<RuleSet> ruleSetFromJson(const std::string &text, const std::string &where)
{
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return Error{where + ": not a JSON object"};
    RuleSet rules;
    try {
        rules.typeId = j.at("type").get<std::string>();
        rules.initialState = j.value("initial", "");
        rules.states = j.value("states", std::vector<std::string>{});
        for (size_t i = 0; i < j.value("transitions", json::array()).size(); ++i) {
            const json &t = j["transitions"][i];
            rules.transitions.push_back({t.value("from", "*"), t.at("to").get<std::string>(),
                                         t.at("when").get<std::string>(), t.value("minDuration", 0.0)});
        }
        for (const json &a : j.value("alarms", json::array())) {
            AlarmRule alarm;
            alarm.name = a.at("name").get<std::string>();
            const std::string severity = a.value("severity", "warning");
            alarm.severity = severity == "info"       ? AlarmSeverity::Info
                             : severity == "major"    ? AlarmSeverity::Major
                             : severity == "critical" ? AlarmSeverity::Critical
                                                      : AlarmSeverity::Warning;
            alarm.condition = a.at("when").get<std::string>();
            alarm.clearCondition = a.value("clearWhen", "");
            alarm.minDurationS = a.value("minDuration", 0.0);
            alarm.message = a.value("message", "");
            rules.alarms.push_back(std::move(alarm));
        }
    } catch (const json::exception &e) {
        return Error{where + ": " + e.what()};
    }
    if (rules.initialState.empty() && !rules.states.empty())
        rules.initialState = rules.states.front();
    auto known = [&](const std::string &s) {
        return s == "*" || std::find(rules.states.begin(), rules.states.end(), s) != rules.states.end();
    };
    if (!known(rules.initialState))
        return Error{where + ": initial state '" + rules.initialState + "' is not in states"};
    for (size_t i = 0; i < rules.transitions.size(); ++i) {
        const auto &t = rules.transitions[i];
        if (!known(t.from) || t.to == "*" || !known(t.to))
            return Error{where + ": transitions[" + std::to_string(i) + "]: unknown state '" +
                         (known(t.from) ? t.to : t.from) + "'"};
    }
    return rules;
}

std::vector<RuleSet> projectRuleSets(const Project &project, std::vector<std::string> *errors)
{
    std::vector<RuleSet> out;
    for (auto it = project.meta.lower_bound(kPrefix);
         it != project.meta.end() && it->first.rfind(kPrefix, 0) == 0; ++it) {
        auto rules = ruleSetFromJson(it->second, it->first);
        if (rules)
            out.push_back(std::move(rules.value()));
        else if (errors)
            errors->push_back(rules.error());
    }
    return out;
}

void setProjectRuleSet(Project &project, const RuleSet &rules)
{
    project.meta[kPrefix + rules.typeId] = ruleSetToJson(rules);
}

std::string ruleSetMetaKey(const std::string &typeId)
{
    return kPrefix + typeId;
}

} // namespace twin::model
