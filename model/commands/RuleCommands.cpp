#include "commands/RuleCommands.h"

#include "project/Project.h"

namespace twin::model {

SetRuleSetCommand::SetRuleSetCommand(Project &project, std::string typeId, std::optional<RuleSet> rules)
    : ProjectCommand(project), m_typeId(std::move(typeId))
{
    if (rules) {
        rules->typeId = m_typeId;
        m_json = ruleSetToJson(*rules);
    }
}

std::string SetRuleSetCommand::text() const
{
    return (m_json ? "Edit rules of " : "Remove rules of ") + m_typeId;
}

Status SetRuleSetCommand::redo(TwinGraph & /*graph*/)
{
    if (m_typeId.empty())
        return Error{"rules need an asset type"};
    const std::string key = ruleSetMetaKey(m_typeId);
    auto it = m_project.meta.find(key);
    m_old = it != m_project.meta.end() ? std::optional<std::string>(it->second) : std::nullopt;
    if (m_json)
        m_project.meta[key] = *m_json;
    else if (it != m_project.meta.end())
        m_project.meta.erase(it);
    return okStatus();
}

void SetRuleSetCommand::undo(TwinGraph & /*graph*/)
{
    const std::string key = ruleSetMetaKey(m_typeId);
    if (m_old)
        m_project.meta[key] = *m_old;
    else
        m_project.meta.erase(key);
}

} // namespace twin::model
