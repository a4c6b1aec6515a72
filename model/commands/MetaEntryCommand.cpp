#include "twin/model/commands/MetaEntryCommand.h"

#include "twin/model/project/Project.h"

namespace twin::model {

MetaEntryCommand::MetaEntryCommand(Project &project, std::string key, std::optional<std::string> value,
                                   std::string text, std::string emptyKeyError)
    : ProjectCommand(project), m_key(std::move(key)), m_value(std::move(value)), m_text(std::move(text)),
      m_emptyKeyError(std::move(emptyKeyError))
{
}

Status MetaEntryCommand::redo(TwinGraph & /*graph*/)
{
    if (!m_emptyKeyError.empty() && m_key.empty())
        return Error{m_emptyKeyError};
    auto it = m_project.meta.find(m_key);
    m_old = it != m_project.meta.end() ? std::optional<std::string>(it->second) : std::nullopt;
    if (m_value)
        m_project.meta[m_key] = *m_value;
    else if (it != m_project.meta.end())
        m_project.meta.erase(it);
    return okStatus();
}

void MetaEntryCommand::undo(TwinGraph & /*graph*/)
{
    if (m_old)
        m_project.meta[m_key] = *m_old;
    else
        m_project.meta.erase(m_key);
}

} // namespace twin::model
