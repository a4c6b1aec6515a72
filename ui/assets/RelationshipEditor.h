#pragma once
// Lists the current asset's outgoing relationships and adds new ones, offering only targets whose
// type satisfies the relationship's declared target interface.
#include "twin/model/graph/Asset.h"

#include <QWidget>

class QComboBox;
class QListWidget;
class QPushButton;

namespace twin::ui {

class ProjectDocument;

class RelationshipEditor : public QWidget
{
    Q_OBJECT
public:
    explicit RelationshipEditor(ProjectDocument &document, QWidget *parent = nullptr);

    // Candidate targets for relationship `name` of the current asset (used by the target combo and tests).
    std::vector<model::AssetId> candidateTargets(const QString &name) const;

private:
    void refresh();
    void fillTargets();
    void addRelationship();
    void removeSelected();

    ProjectDocument &m_document;
    model::AssetId m_asset = model::kNoAsset;
    QListWidget *m_list;
    QComboBox *m_kind;
    QComboBox *m_target;
    QPushButton *m_add;
    QPushButton *m_remove;
};

} // namespace twin::ui
