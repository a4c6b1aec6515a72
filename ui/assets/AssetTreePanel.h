#pragma once
// The asset tree dock: filter by name/type, multi-select, drag-and-drop reparenting, inline rename,
// and a palette of asset types to add from.
#include <QWidget>

class QComboBox;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace twin::ui {

class AssetTreeModel;
class ProjectDocument;

class AssetTreePanel : public QWidget
{
    Q_OBJECT
public:
    explicit AssetTreePanel(ProjectDocument &document, QWidget *parent = nullptr);
    QTreeView *view() const { return m_view; }
    AssetTreeModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

private:
    void fillPalette();
    void syncFromSelection();
    void syncToSelection();

    ProjectDocument &m_document;
    AssetTreeModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTreeView *m_view;
    QLineEdit *m_filter;
    QComboBox *m_palette;
    bool m_syncing = false;
};

} // namespace twin::ui
