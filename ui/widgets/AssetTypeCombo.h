#pragma once
// Asset-type pickers shared by the editors that work per type (rules, simulation bindings).
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

} // namespace twin::ui
