#include "twin/ui/import/DtdlIssuesDialog.h"

#include "twin/ui/widgets/QtStrings.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace twin::ui {

DtdlIssuesDialog::DtdlIssuesDialog(const model::dtdl::ImportResult &result, bool imported, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(imported ? tr("DTDL imported with warnings") : tr("DTDL import failed"));
    resize(900, 420);
    auto *layout = new QVBoxLayout(this);
    auto *summary = new QLabel(
        imported
            ? tr("%n interface(s) imported. The warnings are limits of the DTDL reference parser that these "
                 "models exceed; they do not change the meaning.",
                 nullptr, int(result.types.size()))
            : tr("%n error(s): nothing was imported.", nullptr, int(result.errors.size())),
        this);
    summary->setWordWrap(true);
    layout->addWidget(summary);
    m_table = new QTableWidget(0, 5, this);
    m_table->setHorizontalHeaderLabels({tr("kind"), tr("file"), tr("JSON path"), tr("rule"), tr("message")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(false);
    auto add = [this](const model::dtdl::Issue &issue, const QString &kind) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const QStringList cells = {kind, qs(issue.file), qs(issue.jsonPath), qs(issue.rule),
                                   qs(issue.message)};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells[c]));
    };
    for (const auto &e : result.errors)
        add(e, tr("error"));
    for (const auto &w : result.warnings)
        add(w, tr("warning"));
    m_table->resizeColumnsToContents();
    m_table->setSortingEnabled(true);
    layout->addWidget(m_table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace twin::ui
