#pragma once
// Undoable edits of the rule sets kept in project.meta ("rules:<typeId>", see state/RuleSet.h).
#include "twin/model/commands/MetaEntryCommand.h"
#include "twin/model/state/RuleSet.h"

namespace twin::model {

// Replaces (or, with nullopt, removes) the rule set of one asset type.
class SetRuleSetCommand final : public MetaEntryCommand
{
public:
    SetRuleSetCommand(Project &project, const std::string &typeId, std::optional<RuleSet> rules);
};

} // namespace twin::model
