#pragma once
// Undoable edits of the rule sets kept in project.meta ("rules:<typeId>", see state/RuleSet.h).
#include "commands/Command.h"
#include "state/RuleSet.h"

#include <optional>

namespace twin::model {

// Replaces (or, with nullopt, removes) the rule set of one asset type. Undo restores the exact JSON text
// that was stored before, or its absence.
class SetRuleSetCommand final : public ProjectCommand
{
public:
    SetRuleSetCommand(Project &project, std::string typeId, std::optional<RuleSet> rules);
    std::string text() const override;
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;

private:
    std::string m_typeId;
    std::optional<std::string> m_json; // the new text; nullopt: remove
    std::optional<std::string> m_old;  // the text before redo; nullopt: there was none
};

} // namespace twin::model
