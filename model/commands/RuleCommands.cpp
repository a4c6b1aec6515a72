#include "twin/model/commands/RuleCommands.h"

namespace twin::model {
namespace {
std::optional<std::string> ruleText(const std::string &typeId, std::optional<RuleSet> rules)
{
    if (!rules)
        return std::nullopt;
    rules->typeId = typeId;
    return ruleSetToJson(*rules);
}
} // namespace

SetRuleSetCommand::SetRuleSetCommand(Project &project, const std::string &typeId,
                                     std::optional<RuleSet> rules)
    : MetaEntryCommand(project, typeId.empty() ? std::string() : ruleSetMetaKey(typeId),
                       ruleText(typeId, rules), (rules ? "Edit rules of " : "Remove rules of ") + typeId,
                       "rules need an asset type")
{
}

} // namespace twin::model
