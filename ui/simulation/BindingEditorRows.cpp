// The variable table of the Simulation dock: one row per binding entry or unbound model variable.
#include "twin/ui/simulation/BindingEditor.h"
#include "twin/ui/widgets/QtStrings.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>

namespace twin::ui {

using model::scenario::SimulationBinding;
using model::scenario::VariableBinding;
using Direction = VariableBinding::Direction;

namespace {
const char *causalityText(sdk::Causality c)
{
    switch (c) {
    case sdk::Causality::Parameter:
        return "parameter";
    case sdk::Causality::Input:
        return "input";
    case sdk::Causality::Output:
        return "output";
    case sdk::Causality::Local:
        return "state";
    }
    return "";
}
} // namespace

void BindingEditor::addRow(const QString &model, const sdk::VariableInfo *info, const VariableBinding *bound)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto item = [&](int column, const QString &text, bool editable) {
        auto *it = new QTableWidgetItem(text);
        if (!editable)
            it->setFlags(it->flags() & ~Qt::ItemIsEditable);
        m_table->setItem(row, column, it);
        return it;
    };
    item(CModel, model, false)->setToolTip(info ? qs(info->description) : QString());
    item(CCausality, info ? causalityText(info->causality) : tr("missing"), false);
    const QString modelUnit = info ? qs(info->unit) : QString();
    auto *unit = item(CUnit, bound && !bound->modelUnit.empty() ? qs(bound->modelUnit) : modelUnit, true);
    unit->setData(Qt::UserRole, bound ? qs(bound->modelUnit) : QString()); // as stored
    unit->setData(Qt::UserRole + 1, modelUnit);                            // as the model says
    unit->setToolTip(tr("Unit of the model variable (DTDL unit name); the model says '%1'").arg(modelUnit));
    item(CProblem, {}, false);

    auto *twin = new QComboBox;
    twin->addItem(tr("(not bound)"), QString());
    for (int i = 0; i < m_twinRefs.size(); ++i)
        twin->addItem(m_twinLabels[i], m_twinRefs[i]);
    m_table->setCellWidget(row, CTwin, twin);
    auto *direction = new QComboBox;
    direction->addItem(tr("In"), int(Direction::In));
    direction->addItem(tr("Out"), int(Direction::Out));
    const bool output =
        info && (info->causality == sdk::Causality::Output || info->causality == sdk::Causality::Local);
    direction->setCurrentIndex(bound ? int(bound->direction) : output ? 1 : 0);
    direction->setToolTip(tr("In: the twin value sets the model variable before the run. Out: the model "
                             "output becomes a scenario series of the twin telemetry."));
    m_table->setCellWidget(row, CDirection, direction);
    if (bound)
        setTwin(row, qs(bound->twin));
    auto edited = [this] {
        if (!m_loading)
            setModified(true);
    };
    connect(twin, &QComboBox::currentIndexChanged, this, edited);
    connect(direction, &QComboBox::currentIndexChanged, this, edited);
}

void BindingEditor::setTwin(int row, const QString &reference)
{
    auto *twin = qobject_cast<QComboBox *>(m_table->cellWidget(row, CTwin));
    if (!twin)
        return;
    int index = twin->findData(reference);
    if (index < 0) {
        twin->addItem(tr("%1  (not on this type)").arg(reference), reference);
        index = twin->count() - 1;
    }
    twin->setCurrentIndex(index);
}

int BindingEditor::rowOf(const QString &modelVariable, Direction direction) const
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, CModel)->text() == modelVariable &&
            qobject_cast<QComboBox *>(m_table->cellWidget(r, CDirection))->currentData().toInt() ==
                int(direction))
            return r;
    return -1;
}

int BindingEditor::rowOf(const QString &modelVariable) const
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, CModel)->text() == modelVariable)
            return r;
    return -1;
}

std::optional<SimulationBinding> BindingEditor::editedBinding() const
{
    if (m_backend->currentIndex() < 0)
        return std::nullopt;
    SimulationBinding b;
    b.typeId = ss(m_typeId);
    b.pluginId = ss(m_backend->currentData().toString());
    b.modelId = ss(m_model->currentData().toString());
    b.config = m_config->text().trimmed().isEmpty() ? "{}" : ss(m_config->text());
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString twin =
            qobject_cast<QComboBox *>(m_table->cellWidget(r, CTwin))->currentData().toString();
        if (twin.isEmpty())
            continue;
        const QTableWidgetItem *unit = m_table->item(r, CUnit);
        const QString text = unit->text().trimmed();
        // Keep the stored unit as it was; a unit equal to the model's own is left implicit for new rows.
        const bool implicit =
            unit->data(Qt::UserRole).toString().isEmpty() && text == unit->data(Qt::UserRole + 1).toString();
        VariableBinding v;
        v.model = ss(m_table->item(r, CModel)->text());
        v.twin = ss(twin);
        v.direction =
            Direction(qobject_cast<QComboBox *>(m_table->cellWidget(r, CDirection))->currentData().toInt());
        v.modelUnit = implicit ? std::string() : ss(text);
        b.variables.push_back(std::move(v));
    }
    return b;
}

// Shows every finding under the table and marks the rows they name ("<model> <-> <twin>: ...").
void BindingEditor::showFindings(const std::vector<model::LintFinding> &findings)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    QStringList lines;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        QTableWidgetItem *problem = m_table->item(r, CProblem);
        problem->setText({});
        problem->setToolTip({});
        problem->setBackground({});
    }
    for (const auto &f : findings) {
        const bool error = f.severity == model::LintFinding::Severity::Error;
        lines << (error ? tr("Error: %1") : tr("Warning: %1")).arg(qs(f.message));
        for (int r = 0; r < m_table->rowCount(); ++r) {
            const QString twin =
                qobject_cast<QComboBox *>(m_table->cellWidget(r, CTwin))->currentData().toString();
            const QString prefix = m_table->item(r, CModel)->text() + QStringLiteral(" <-> ") + twin + ": ";
            if (twin.isEmpty() || !qs(f.message).startsWith(prefix))
                continue;
            QTableWidgetItem *problem = m_table->item(r, CProblem);
            const QString text = qs(f.message).mid(prefix.size());
            problem->setText(problem->text().isEmpty() ? text : problem->text() + "; " + text);
            problem->setToolTip(problem->text());
            problem->setBackground(error ? QColor(255, 205, 205) : QColor(255, 240, 190));
        }
    }
    m_error->setText(lines.join('\n'));
    m_error->setVisible(!lines.isEmpty());
    m_loading = wasLoading;
}

} // namespace twin::ui
