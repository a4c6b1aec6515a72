// The rows of the rules editor: states and their references, transition and alarm rows, reading them back.
#include "twin/ui/rules/RulesEditor.h"
#include "twin/ui/rules/RulesEditor_p.h"
#include "twin/ui/widgets/ExpressionEdit.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalBlocker>

namespace twin::ui {

using namespace rules_editor;

void RulesEditor::stateEdited(int row)
{
    QListWidgetItem *item = m_states->item(row);
    if (!item || m_loading)
        return;
    const QString before = item->data(Qt::UserRole).toString();
    const QString after = item->text().trimmed();
    if (before == after)
        return;
    QSignalBlocker block(m_states);
    item->setData(Qt::UserRole, after);
    for (int r = 0; r < m_transitions->rowCount(); ++r)
        for (int c : {TFrom, TTo})
            if (auto *combo = cell<QComboBox>(m_transitions, r, c); combo->currentText() == before)
                combo->setCurrentText(after);
    if (m_initial->currentText() == before)
        m_initial->setCurrentText(after);
    refreshStateChoices();
    setModified(true);
}

QStringList RulesEditor::stateNames() const
{
    QStringList names;
    for (int i = 0; i < m_states->count(); ++i)
        names << m_states->item(i)->text().trimmed();
    return names;
}

// Keeps the state combos (initial, from, to) listing the current states while preserving their choices.
void RulesEditor::refreshStateChoices()
{
    const QStringList states = stateNames();
    auto refill = [](QComboBox *combo, const QStringList &items) {
        const QString current = combo->currentText();
        QSignalBlocker block(combo);
        combo->clear();
        combo->addItems(items);
        if (!current.isEmpty() && !items.contains(current))
            combo->addItem(current); // a state that no longer exists: kept visible, Apply reports it
        combo->setCurrentText(current);
    };
    refill(m_initial, states);
    for (int r = 0; r < m_transitions->rowCount(); ++r) {
        refill(cell<QComboBox>(m_transitions, r, TFrom), QStringList{QStringLiteral("*")} + states);
        refill(cell<QComboBox>(m_transitions, r, TTo), states);
    }
}

void RulesEditor::addTransition(const model::StateTransition &transition)
{
    const int row = m_transitions->rowCount();
    m_transitions->insertRow(row);
    const QStringList states = stateNames();
    auto *from = new QComboBox;
    from->addItems(QStringList{QStringLiteral("*")} + states);
    from->setCurrentText(qs(transition.from));
    from->setToolTip(tr("* = from any state"));
    auto *to = new QComboBox;
    to->addItems(states);
    to->setCurrentText(qs(transition.to));
    auto *condition = new ExpressionEdit;
    condition->setVariables(m_variables);
    condition->setText(qs(transition.condition));
    auto *duration = durationBox(transition.minDurationS);
    duration->setToolTip(tr("The condition must hold this long before the transition fires"));
    m_transitions->setCellWidget(row, TFrom, from);
    m_transitions->setCellWidget(row, TTo, to);
    m_transitions->setCellWidget(row, TCondition, condition);
    m_transitions->setCellWidget(row, TDuration, duration);
    auto changed = [this] { setModified(true); };
    connect(from, &QComboBox::currentIndexChanged, this, changed);
    connect(to, &QComboBox::currentIndexChanged, this, changed);
    connect(condition, &QLineEdit::textChanged, this, changed);
    connect(duration, &QDoubleSpinBox::valueChanged, this, changed);
    if (!m_loading)
        setModified(true);
}

void RulesEditor::addAlarm(const model::AlarmRule &alarm)
{
    const int row = m_alarms->rowCount();
    m_alarms->insertRow(row);
    auto *name = new QLineEdit(qs(alarm.name));
    name->setPlaceholderText(tr("Alarm name"));
    auto *severity = new QComboBox;
    for (model::AlarmSeverity level : kSeverities)
        severity->addItem(QString::fromUtf8(model::severityName(level)), int(level));
    severity->setCurrentIndex(severity->findData(int(alarm.severity)));
    auto *condition = new ExpressionEdit;
    condition->setVariables(m_variables);
    condition->setText(qs(alarm.condition));
    auto *clear = new ExpressionEdit;
    clear->setVariables(m_variables);
    clear->setText(qs(alarm.clearCondition));
    clear->setPlaceholderText(tr("empty: when the condition is false"));
    auto *duration = durationBox(alarm.minDurationS);
    auto *message = new QLineEdit(qs(alarm.message));
    m_alarms->setCellWidget(row, AName, name);
    m_alarms->setCellWidget(row, ASeverity, severity);
    m_alarms->setCellWidget(row, ACondition, condition);
    m_alarms->setCellWidget(row, AClear, clear);
    m_alarms->setCellWidget(row, ADuration, duration);
    m_alarms->setCellWidget(row, AMessage, message);
    auto changed = [this] { setModified(true); };
    for (QLineEdit *edit :
         {name, static_cast<QLineEdit *>(condition), static_cast<QLineEdit *>(clear), message})
        connect(edit, &QLineEdit::textChanged, this, changed);
    connect(severity, &QComboBox::currentIndexChanged, this, changed);
    connect(duration, &QDoubleSpinBox::valueChanged, this, changed);
    if (!m_loading)
        setModified(true);
}

model::RuleSet RulesEditor::editedRules() const
{
    model::RuleSet rules;
    rules.typeId = ss(m_typeId);
    for (const QString &state : stateNames())
        rules.states.push_back(ss(state));
    rules.initialState = ss(m_initial->currentText());
    for (int r = 0; r < m_transitions->rowCount(); ++r)
        rules.transitions.push_back({ss(cell<QComboBox>(m_transitions, r, TFrom)->currentText()),
                                     ss(cell<QComboBox>(m_transitions, r, TTo)->currentText()),
                                     ss(cell<ExpressionEdit>(m_transitions, r, TCondition)->text()),
                                     cell<QDoubleSpinBox>(m_transitions, r, TDuration)->value()});
    for (int r = 0; r < m_alarms->rowCount(); ++r) {
        model::AlarmRule alarm;
        alarm.name = ss(cell<QLineEdit>(m_alarms, r, AName)->text());
        alarm.severity = model::AlarmSeverity(cell<QComboBox>(m_alarms, r, ASeverity)->currentData().toInt());
        alarm.condition = ss(cell<ExpressionEdit>(m_alarms, r, ACondition)->text());
        alarm.clearCondition = ss(cell<ExpressionEdit>(m_alarms, r, AClear)->text());
        alarm.minDurationS = cell<QDoubleSpinBox>(m_alarms, r, ADuration)->value();
        alarm.message = ss(cell<QLineEdit>(m_alarms, r, AMessage)->text());
        rules.alarms.push_back(std::move(alarm));
    }
    return rules;
}

} // namespace twin::ui
