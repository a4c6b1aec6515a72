#pragma once
// Asset-type pickers shared by the editors that work per type (rules, simulation bindings).
#include "twin/model/graph/Asset.h"

#include <QString>
#include <string>

class QComboBox;

namespace twin::model {
struct Project;
}

namespace twin::ui {

// The type's display name (AssetType::label), or the last DTMI segment of an unknown id.
QString typeLabel(const model::Project &project, const std::string &typeId);
// Fills `combo` with every type of the project, sorted by label, item data = type id; selects `current`.
// Emits no signals.
void fillTypeCombo(QComboBox *combo, const model::Project &project, const QString &current);
// Selects `typeId` in `combo` without emitting signals.
void selectType(QComboBox *combo, const QString &typeId);
// The type a per-type editor showing `shown` should switch to when the selection moved to `current`: the
// asset's type when it differs; empty when it is the same, there is no asset, or the editor has pending edits
// (they are never dropped because the selection moved).
QString typeToFollow(const model::Project &project, model::AssetId current, const QString &shown,
                     bool modified);

} // namespace twin::ui
