#pragma once
// The hierarchy edits behind menu actions and buttons, each one undo step.
#include "twin/model/graph/Asset.h"

#include <QString>

namespace twin::ui {

class ProjectDocument;

// Adds a new asset of a type as a child of the current asset (or at the top level).
model::AssetId addAssetOfType(ProjectDocument &document, const QString &typeId);
void deleteSelection(ProjectDocument &document);
void duplicateSelection(ProjectDocument &document);

} // namespace twin::ui
