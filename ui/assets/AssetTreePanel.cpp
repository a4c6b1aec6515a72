#include "twin/ui/assets/AssetTreePanel.h"

#include "twin/ui/assets/AssetTreeModel.h"
#include "twin/ui/document/EditOperations.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace twin::ui {

AssetTreePanel::AssetTreePanel(ProjectDocument &document, QWidget *parent)
    : QWidget(parent), m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName("treeFilter");
    m_filter->setPlaceholderText(tr("Filter by name or type…"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);

    m_model = new AssetTreeModel(document, this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // name and type
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        if (!text.isEmpty())
            m_view->expandAll();
    });

    m_view = new QTreeView(this);
    m_view->setObjectName("assetTree");
    m_view->setModel(m_proxy);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setDragDropMode(QAbstractItemView::InternalMove);
    m_view->setDefaultDropAction(Qt::MoveAction);
    m_view->setDragEnabled(true);
    m_view->setAcceptDrops(true);
    m_view->setDropIndicatorShown(true);
    m_view->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_view->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_view->header()->setStretchLastSection(false);
    m_view->expandToDepth(1);
    layout->addWidget(m_view, 1);

    auto *palette = new QHBoxLayout;
    m_palette = new QComboBox(this);
    m_palette->setObjectName("typePalette");
    m_palette->setToolTip(tr("Asset types of the project"));
    auto *add = new QPushButton(tr("Add"), this);
    add->setObjectName("addAssetButton");
    add->setToolTip(tr("Add an asset of this type under the current one"));
    palette->addWidget(m_palette, 1);
    palette->addWidget(add);
    layout->addLayout(palette);
    connect(add, &QPushButton::clicked, this,
            [this] { addAssetOfType(m_document, m_palette->currentData().toString()); });

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AssetTreePanel::syncToSelection);
    connect(&document.selection(), &SelectionModel::selectionChanged, this,
            &AssetTreePanel::syncFromSelection);
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        fillPalette();
        m_view->expandToDepth(1);
    });
    connect(&document, &ProjectDocument::typesChanged, this, &AssetTreePanel::fillPalette);
    fillPalette();
}

void AssetTreePanel::fillPalette()
{
    m_palette->clear();
    const auto &types = m_document.project().types.all();
    for (const auto &[id, type] : types)
        m_palette->addItem(QString::fromStdString(type.label()), QString::fromStdString(id));
    m_palette->model()->sort(0);
}

void AssetTreePanel::syncToSelection()
{
    if (m_syncing)
        return;
    std::vector<model::AssetId> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows(0))
        ids.push_back(m_model->idOf(m_proxy->mapToSource(index)));
    // Keep the current (last clicked) item last: it is what the editors show.
    const model::AssetId current = m_model->idOf(m_proxy->mapToSource(m_view->currentIndex()));
    if (std::erase(ids, current))
        ids.push_back(current);
    m_syncing = true;
    m_document.selection().setSelection(ids);
    m_syncing = false;
}

void AssetTreePanel::syncFromSelection()
{
    if (m_syncing)
        return;
    m_syncing = true;
    QItemSelection selection;
    QModelIndex last;
    for (model::AssetId id : m_document.selection().selection()) {
        const QModelIndex index = m_proxy->mapFromSource(m_model->indexOf(id));
        if (!index.isValid())
            continue;
        selection.select(index, index.siblingAtColumn(AssetTreeModel::TypeColumn));
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            m_view->expand(p);
        last = index;
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (last.isValid()) {
        m_view->selectionModel()->setCurrentIndex(last, QItemSelectionModel::NoUpdate);
        m_view->scrollTo(last);
    }
    m_syncing = false;
}

} // namespace twin::ui
