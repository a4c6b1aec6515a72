#include "twin/ui/widgets/AssetTypeCombo.h"

#include "twin/model/project/Project.h"

#include <QComboBox>
#include <QSignalBlocker>
#include <algorithm>

namespace twin::ui {

QString typeLabel(const model::Project &project, const std::string &typeId)
{
    if (const auto *type = project.types.find(typeId))
        return QString::fromStdString(type->label());
    const auto colon = typeId.rfind(':');
    return QString::fromStdString(colon == std::string::npos ? typeId : typeId.substr(colon + 1));
}

void fillTypeCombo(QComboBox *combo, const model::Project &project, const QString &current)
{
    QSignalBlocker block(combo);
    combo->clear();
    std::vector<std::pair<QString, QString>> types; // label, id
    for (const auto &[id, type] : project.types.all())
        types.emplace_back(typeLabel(project, id), QString::fromStdString(id));
    std::sort(types.begin(), types.end());
    for (const auto &[label, id] : types) {
        combo->addItem(label, id);
        combo->setItemData(combo->count() - 1, id, Qt::ToolTipRole);
    }
    combo->setCurrentIndex(combo->findData(current));
}

void selectType(QComboBox *combo, const QString &typeId)
{
    QSignalBlocker block(combo);
    combo->setCurrentIndex(combo->findData(typeId));
}

QString typeToFollow(const model::Project &project, model::AssetId current, const QString &shown,
                     bool modified)
{
    if (modified)
        return {};
    const model::Asset *asset = project.graph.find(current);
    const QString type = asset ? QString::fromStdString(asset->typeId) : QString();
    return type != shown ? type : QString();
}

} // namespace twin::ui
