#pragma once
// States, transitions and alarms defined on an asset type. Conditions are expressions over the
// asset's telemetry and numeric properties (muparser syntax: `flow < 5 && current > 2`), plus
// `stateTime` (seconds in the current state).
#include "twin/util/Result.h"

#include <string>
#include <vector>

namespace twin::model {

struct Project;

struct StateTransition
{
    std::string from; // a state name, or "*" for any state
    std::string to;
    std::string condition;
    double minDurationS = 0; // the condition must hold this long before the transition fires
};

enum class AlarmSeverity
{
    Info = 1,
    Warning = 2,
    Major = 3,
    Critical = 4
};
const char *severityName(AlarmSeverity severity);

struct AlarmRule
{
    std::string name;
    AlarmSeverity severity = AlarmSeverity::Warning;
    std::string condition;      // raises the alarm
    std::string clearCondition; // clears it; empty = when `condition` is false (no hysteresis)
    double minDurationS = 0;
    std::string message;
};

struct RuleSet
{
    std::string typeId; // applies to assets of this type and of types extending it
    std::string initialState;
    std::vector<std::string> states;
    std::vector<StateTransition> transitions;
    std::vector<AlarmRule> alarms;
};

std::string ruleSetToJson(const RuleSet &rules);
Result<RuleSet> ruleSetFromJson(const std::string &json, const std::string &where = "rules");

// Rule sets are kept in the project (persisted with it) under meta keys "rules:<typeId>".
std::vector<RuleSet> projectRuleSets(const Project &project, std::vector<std::string> *errors = nullptr);
void setProjectRuleSet(Project &project, const RuleSet &rules);
std::string ruleSetMetaKey(const std::string &typeId); // "rules:<typeId>"

} // namespace twin::model
