#include "twin/ui/assets/RelationshipEditor.h"

#include "twin/model/commands/AssetCommands.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace twin::ui {
using namespace twin::model;

RelationshipEditor::RelationshipEditor(ProjectDocument &document, QWidget *parent)
    : QWidget(parent), m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    m_list = new QListWidget(this);
    m_list->setObjectName("relationshipList");
    layout->addWidget(m_list, 1);
    auto *row = new QHBoxLayout;
    m_kind = new QComboBox(this);
    m_kind->setObjectName("relationshipKind");
    m_target = new QComboBox(this);
    m_target->setObjectName("relationshipTarget");
    m_target->setMinimumContentsLength(14);
    m_add = new QPushButton(tr("Add"), this);
    m_add->setObjectName("relationshipAdd");
    m_remove = new QPushButton(tr("Remove"), this);
    row->addWidget(m_kind);
    row->addWidget(new QLabel("→", this));
    row->addWidget(m_target, 1);
    row->addWidget(m_add);
    layout->addLayout(row);
    layout->addWidget(m_remove);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &RelationshipEditor::fillTargets);
    connect(m_add, &QPushButton::clicked, this, &RelationshipEditor::addRelationship);
    connect(m_remove, &QPushButton::clicked, this, &RelationshipEditor::removeSelected);
    connect(&document.selection(), &SelectionModel::selectionChanged, this, &RelationshipEditor::refresh);
    connect(&document, &ProjectDocument::undoStateChanged, this, &RelationshipEditor::refresh);
    connect(&document, &ProjectDocument::projectReplaced, this, &RelationshipEditor::refresh);
    refresh();
}

std::vector<AssetId> RelationshipEditor::candidateTargets(const QString &name) const
{
    std::vector<AssetId> out;
    const Project &project = m_document.project();
    const Asset *asset = project.graph.find(m_asset);
    if (!asset)
        return out;
    const RelationshipDescriptor *d = project.types.relationship(asset->typeId, name.toStdString());
    if (!d)
        return out;
    for (AssetId id : project.graph.allIds()) {
        const Asset *candidate = project.graph.find(id);
        if (id != m_asset && (d->target.empty() || project.types.isA(candidate->typeId, d->target)))
            out.push_back(id);
    }
    return out;
}

void RelationshipEditor::refresh()
{
    const Project &project = m_document.project();
    const AssetId current = m_document.selection().current();
    const Asset *asset = project.graph.find(current);
    m_list->clear();
    if (current != m_asset) {
        m_asset = current;
        const QString previous = m_kind->currentText();
        QSignalBlocker block(m_kind);
        m_kind->clear();
        if (asset)
            for (const RelationshipDescriptor *d : project.types.relationships(asset->typeId))
                m_kind->addItem(QString::fromStdString(d->name));
        fillTargets();
    }
    setEnabled(asset);
    if (!asset)
        return;
    for (const Relationship *r : project.graph.relationshipsOf(m_asset)) {
        const Asset *target = project.graph.find(r->target);
        auto *item =
            new QListWidgetItem(QString("%1 → %2").arg(QString::fromStdString(r->name),
                                                       QString::fromStdString(target ? target->name : "?")),
                                m_list);
        item->setData(Qt::UserRole, QVariant::fromValue<qulonglong>(r->id));
    }
    m_add->setEnabled(m_kind->count() > 0 && m_target->count() > 0);
}

void RelationshipEditor::fillTargets()
{
    m_target->clear();
    for (AssetId id : candidateTargets(m_kind->currentText()))
        m_target->addItem(QString::fromStdString(m_document.project().graph.path(id)),
                          QVariant::fromValue<qulonglong>(id));
    m_add->setEnabled(m_kind->count() > 0 && m_target->count() > 0);
}

void RelationshipEditor::addRelationship()
{
    const AssetId target = m_target->currentData().toULongLong();
    if (!target || !m_document.project().graph.find(m_asset))
        return;
    Relationship r;
    r.name = m_kind->currentText().toStdString();
    r.source = m_asset;
    r.target = target;
    m_document.execute(std::make_unique<AddRelationshipCommand>(r));
}

void RelationshipEditor::removeSelected()
{
    if (auto *item = m_list->currentItem())
        m_document.execute(
            std::make_unique<RemoveRelationshipCommand>(item->data(Qt::UserRole).toULongLong()));
}

} // namespace twin::ui
