#pragma once
// Undoable edits of the simulation bindings kept in project.meta ("binding:<typeId>", see
// scenario/Binding.h).
#include "twin/model/commands/MetaEntryCommand.h"
#include "twin/model/scenario/Binding.h"

namespace twin::model {

// Replaces (or, with nullopt, removes) the simulation binding of one asset type.
class SetBindingCommand final : public MetaEntryCommand
{
public:
    SetBindingCommand(Project &project, const std::string &typeId,
                      std::optional<scenario::SimulationBinding> binding);
    static std::string metaKey(const std::string &typeId) { return "binding:" + typeId; }
};

} // namespace twin::model
