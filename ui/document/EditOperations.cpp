#include "twin/ui/document/EditOperations.h"

#include "twin/model/commands/AssetCommands.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"

namespace twin::ui {
using namespace twin::model;

AssetId addAssetOfType(ProjectDocument &document, const QString &typeId)
{
    Project &project = document.project();
    const AssetType *type = project.types.find(typeId.toStdString());
    if (!type)
        return kNoAsset;
    Asset asset;
    asset.id = project.graph.newId();
    asset.typeId = type->id;
    asset.parent = document.selection().current();
    int sameType = 1;
    for (AssetId id : project.graph.children(asset.parent))
        sameType += project.graph.find(id)->typeId == type->id;
    asset.name = type->label() + " " + std::to_string(sameType);
    if (const Asset *parent = project.graph.find(asset.parent)) {
        asset.placement.position = parent->placement.position;
        asset.placement.position[1] += 1.0f;
        asset.placement.position[0] += 0.5f * float(sameType);
    }
    Subtree subtree;
    subtree.assets.push_back(asset);
    const AssetId id = asset.id;
    auto error = document.execute(
        std::make_unique<InsertSubtreeCommand>(std::move(subtree), -1, "Add " + type->label()), {id});
    return error.isEmpty() ? id : kNoAsset;
}

void deleteSelection(ProjectDocument &document)
{
    const auto ids = document.selection().selection();
    if (ids.empty())
        return;
    const Asset *first = document.project().graph.find(ids.front());
    const AssetId parent = first ? first->parent : kNoAsset;
    document.execute(std::make_unique<RemoveAssetsCommand>(ids),
                     parent == kNoAsset ? std::vector<AssetId>{} : std::vector<AssetId>{parent});
}

void duplicateSelection(ProjectDocument &document)
{
    Project &project = document.project();
    const auto ids = topmostOnly(project.graph, document.selection().selection());
    if (ids.empty())
        return;
    std::vector<std::unique_ptr<Command>> commands;
    std::vector<AssetId> copies;
    for (AssetId id : ids) {
        Subtree copy = cloneSubtree(project.graph, id);
        for (Asset &a : copy.assets)
            a.placement.position[0] += 1.0f; // offset so the copy is visible beside the original
        copies.push_back(copy.assets.front().id);
        commands.push_back(std::make_unique<InsertSubtreeCommand>(std::move(copy),
                                                                  project.graph.rowOf(id) + 1, "Duplicate"));
    }
    auto &stack = document.undoStack();
    stack.beginMacro(ids.size() == 1 ? "Duplicate" : "Duplicate " + std::to_string(ids.size()) + " assets");
    for (auto &command : commands)
        document.execute(std::move(command), copies);
    expectOk(stack.endMacro(), "duplicate");
}

} // namespace twin::ui
