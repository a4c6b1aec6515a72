#pragma once
// The problems of a DTDL import in one table: errors (nothing was imported) and warnings (imported anyway:
// limits of the reference parser), each with its file, JSON path, rule and message.
#include "twin/model/dtdl/DtdlImporter.h"

#include <QDialog>

class QTableWidget;

namespace twin::ui {

class DtdlIssuesDialog : public QDialog
{
    Q_OBJECT
public:
    DtdlIssuesDialog(const model::dtdl::ImportResult &result, bool imported, QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace twin::ui
