#include "twin/model/commands/BindingCommands.h"

namespace twin::model {
namespace {
std::optional<std::string> bindingText(const std::string &typeId,
                                       std::optional<scenario::SimulationBinding> b)
{
    if (!b)
        return std::nullopt;
    b->typeId = typeId;
    return scenario::bindingToJson(*b);
}
} // namespace

SetBindingCommand::SetBindingCommand(Project &project, const std::string &typeId,
                                     std::optional<scenario::SimulationBinding> binding)
    : MetaEntryCommand(project, typeId.empty() ? std::string() : metaKey(typeId),
                       bindingText(typeId, binding),
                       (binding ? "Edit simulation binding of " : "Remove simulation binding of ") + typeId,
                       "a simulation binding needs an asset type")
{
}

} // namespace twin::model
