#pragma once
// Undoable replacement of one entry of project.meta (rule sets, simulation bindings, ...).
// Undo restores the exact text that was stored before, or its absence.
#include "twin/model/commands/Command.h"

#include <optional>

namespace twin::model {

class MetaEntryCommand : public ProjectCommand
{
public:
    // value nullopt removes the entry. An empty key is refused at redo with `emptyKeyError`.
    MetaEntryCommand(Project &project, std::string key, std::optional<std::string> value, std::string text,
                     std::string emptyKeyError);
    std::string text() const override { return m_text; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;

private:
    std::string m_key;
    std::optional<std::string> m_value; // the new text; nullopt: remove
    std::optional<std::string> m_old;   // the text before redo; nullopt: there was none
    std::string m_text;
    std::string m_emptyKeyError;
};

} // namespace twin::model
