#pragma once
// Undoable edits of the simulation bindings kept in project.meta ("binding:<typeId>", see
// scenario/Binding.h).
#include "commands/Command.h"
#include "scenario/Binding.h"

#include <optional>

namespace twin::model {

// Replaces (or, with nullopt, removes) the simulation binding of one asset type. Undo restores the exact
// JSON text that was stored before, or its absence.
class SetBindingCommand final : public ProjectCommand
{
public:
    SetBindingCommand(Project &project, std::string typeId,
                      std::optional<scenario::SimulationBinding> binding);
    std::string text() const override;
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;

    static std::string metaKey(const std::string &typeId) { return "binding:" + typeId; }

private:
    std::string m_typeId;
    std::optional<std::string> m_json; // the new text; nullopt: remove
    std::optional<std::string> m_old;  // the text before redo; nullopt: there was none
};

} // namespace twin::model
