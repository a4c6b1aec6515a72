#include "commands/BindingCommands.h"

#include "project/Project.h"

namespace twin::model {

SetBindingCommand::SetBindingCommand(Project &project, std::string typeId,
                                     std::optional<scenario::SimulationBinding> binding)
    : ProjectCommand(project), m_typeId(std::move(typeId))
{
    if (binding) {
        binding->typeId = m_typeId;
        m_json = scenario::bindingToJson(*binding);
    }
}

std::string SetBindingCommand::text() const
{
    return (m_json ? "Edit simulation binding of " : "Remove simulation binding of ") + m_typeId;
}

Status SetBindingCommand::redo(TwinGraph & /*graph*/)
{
    if (m_typeId.empty())
        return Error{"a simulation binding needs an asset type"};
    const std::string key = metaKey(m_typeId);
    auto it = m_project.meta.find(key);
    m_old = it != m_project.meta.end() ? std::optional<std::string>(it->second) : std::nullopt;
    if (m_json)
        m_project.meta[key] = *m_json;
    else if (it != m_project.meta.end())
        m_project.meta.erase(it);
    return okStatus();
}

void SetBindingCommand::undo(TwinGraph & /*graph*/)
{
    const std::string key = metaKey(m_typeId);
    if (m_old)
        m_project.meta[key] = *m_old;
    else
        m_project.meta.erase(key);
}

} // namespace twin::model
