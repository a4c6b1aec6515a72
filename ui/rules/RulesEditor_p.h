#pragma once
// Internal helpers shared by RulesEditor.cpp and RulesEditorRows.cpp.
#include "twin/model/project/Project.h"
#include "twin/model/state/RuleSet.h"
#include "twin/ui/widgets/QtStrings.h"

#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QString>
#include <QTableWidget>

namespace twin::ui {

namespace rules_editor {
enum TransitionColumn
{
    TFrom,
    TTo,
    TCondition,
    TDuration
};
enum AlarmColumn
{
    AName,
    ASeverity,
    ACondition,
    AClear,
    ADuration,
    AMessage
};
constexpr model::AlarmSeverity kSeverities[] = {model::AlarmSeverity::Info, model::AlarmSeverity::Warning,
                                                model::AlarmSeverity::Major, model::AlarmSeverity::Critical};

inline QTableWidget *makeTable(const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->setDefaultSectionSize(28);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    return table;
}
inline QDoubleSpinBox *durationBox(double value)
{
    auto *box = new QDoubleSpinBox;
    box->setRange(0, 1e7);
    box->setDecimals(1);
    box->setSuffix(QStringLiteral(" s"));
    box->setValue(value);
    return box;
}
template <class W> W *cell(const QTableWidget *table, int row, int column)
{
    return qobject_cast<W *>(table->cellWidget(row, column));
}
} // namespace rules_editor

} // namespace twin::ui
