#include "twin/ui/rules/RulesEditor.h"

#include "twin/ui/rules/RulesEditor_p.h"
#include "twin/ui/widgets/AssetTypeCombo.h"

#include "twin/model/commands/RuleCommands.h"
#include "twin/model/state/RuleEditing.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/widgets/ExpressionEdit.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace twin::ui {

using namespace rules_editor;

RulesEditor::RulesEditor(ProjectDocument &document, QWidget *parent) : QWidget(parent), m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QFormLayout;
    m_type = new QComboBox(this);
    m_type->setObjectName("rulesType");
    top->addRow(tr("Asset type:"), m_type);
    m_origin = new QLabel(this);
    m_origin->setObjectName("rulesOrigin");
    m_origin->setWordWrap(true);
    top->addRow(m_origin);
    layout->addLayout(top);

    auto *tabs = new QTabWidget(this);
    auto *statesPage = new QWidget;
    auto *statesLayout = new QVBoxLayout(statesPage);
    m_states = new QListWidget(statesPage);
    m_states->setObjectName("rulesStates");
    m_states->setMinimumHeight(110);
    m_initial = new QComboBox(statesPage);
    m_initial->setObjectName("rulesInitialState");
    auto *initialRow = new QFormLayout;
    initialRow->addRow(tr("Initial state:"), m_initial);
    statesLayout->addWidget(m_states);
    statesLayout->addLayout(initialRow);
    auto *stateButtons = new QHBoxLayout;
    auto *addStateButton = new QPushButton(tr("Add state"), statesPage);
    auto *removeStateButton = new QPushButton(tr("Remove state"), statesPage);
    stateButtons->addWidget(addStateButton);
    stateButtons->addWidget(removeStateButton);
    stateButtons->addStretch();
    statesLayout->addLayout(stateButtons);
    tabs->addTab(statesPage, tr("States"));

    auto tablePage = [&](QTableWidget *&table, const QStringList &headers, const char *name,
                         const QString &title, auto addRow) {
        auto *page = new QWidget;
        auto *pageLayout = new QVBoxLayout(page);
        table = makeTable(headers, page);
        table->setObjectName(name);
        pageLayout->addWidget(table);
        auto *buttons = new QHBoxLayout;
        auto *add = new QPushButton(tr("Add"), page);
        add->setObjectName(QString(name) + "Add");
        auto *remove = new QPushButton(tr("Remove"), page);
        buttons->addWidget(add);
        buttons->addWidget(remove);
        buttons->addStretch();
        pageLayout->addLayout(buttons);
        connect(add, &QPushButton::clicked, this, addRow);
        connect(remove, &QPushButton::clicked, this, [this, t = table] { removeFocusedRow(t); });
        tabs->addTab(page, title);
    };
    tablePage(m_transitions, {tr("From"), tr("To"), tr("Condition"), tr("Min. duration")}, "rulesTransitions",
              tr("Transitions"), [this] {
                  const QStringList states = stateNames();
                  addTransition({"*", states.isEmpty() ? "" : ss(states.front()), "", 0});
              });
    tablePage(m_alarms,
              {tr("Name"), tr("Severity"), tr("Condition"), tr("Clear condition"), tr("Min. duration"),
               tr("Message")},
              "rulesAlarms", tr("Alarms"), [this] { addAlarm({}); });
    m_transitions->setColumnWidth(TCondition, 260);
    m_alarms->setColumnWidth(ACondition, 200);
    m_alarms->setColumnWidth(AClear, 200);
    tabs->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    layout->addWidget(tabs, 1);

    m_error = new QLabel(this);
    m_error->setObjectName("rulesError");
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c02020;"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QHBoxLayout;
    m_remove = new QPushButton(tr("Remove rules"), this);
    m_remove->setToolTip(tr("Delete this type's own rules (it then uses inherited rules, if any)"));
    m_revert = new QPushButton(tr("Revert"), this);
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setObjectName("rulesApply");
    m_revert->setObjectName("rulesRevert");
    m_apply->setDefault(true);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);

    connect(addStateButton, &QPushButton::clicked, this, [this] {
        addState(tr("State %1").arg(m_states->count() + 1));
        m_states->editItem(m_states->item(m_states->count() - 1));
    });
    connect(removeStateButton, &QPushButton::clicked, this, [this] {
        delete m_states->currentItem();
        refreshStateChoices();
        setModified(true);
    });
    connect(m_states, &QListWidget::itemChanged, this,
            [this](QListWidgetItem *item) { stateEdited(m_states->row(item)); });
    connect(m_initial, &QComboBox::currentIndexChanged, this, [this] { setModified(true); });
    connect(m_apply, &QPushButton::clicked, this, &RulesEditor::apply);
    connect(m_revert, &QPushButton::clicked, this, &RulesEditor::revert);
    connect(m_remove, &QPushButton::clicked, this, &RulesEditor::removeOwnRules);
    connect(m_type, &QComboBox::activated, this, [this] { setTypeId(m_type->currentData().toString()); });

    connect(&document, &ProjectDocument::rulesChanged, this, [this] {
        if (!m_modified)
            load();
    });
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        reloadTypes();
        m_typeId.clear();
        m_modified = false;
        followSelection();
        if (m_typeId.isEmpty())
            setTypeId(m_type->itemData(0).toString());
    });
    connect(&document, &ProjectDocument::typesChanged, this, &RulesEditor::reloadTypes);
    connect(&document.selection(), &SelectionModel::selectionChanged, this, &RulesEditor::followSelection);
    reloadTypes();
    followSelection();
    setModified(false);
}

void RulesEditor::reloadTypes()
{
    fillTypeCombo(m_type, m_document.project(), m_typeId);
}

void RulesEditor::followSelection()
{
    const QString type =
        typeToFollow(m_document.project(), m_document.selection().current(), m_typeId, m_modified);
    if (!type.isEmpty())
        setTypeId(type);
}

void RulesEditor::setTypeId(const QString &typeId)
{
    m_typeId = typeId;
    selectType(m_type, typeId);
    load();
}

void RulesEditor::load()
{
    const model::Project &project = m_document.project();
    const std::string type = ss(m_typeId);
    m_loading = true;
    m_states->clear();
    m_transitions->setRowCount(0);
    m_alarms->setRowCount(0);
    m_variables.clear();
    for (const std::string &name : model::ruleVariables(project, type))
        m_variables << qs(name);
    const auto effective = model::effectiveRuleSet(project, type);
    if (!effective)
        m_origin->setText(m_typeId.isEmpty() ? tr("Pick an asset type.")
                                             : tr("No rules apply to %1 yet: add states, transitions and "
                                                  "alarms, then Apply.")
                                                   .arg(typeLabel(project, type)));
    else if (effective->definedOn != type)
        m_origin->setText(tr("Inherited from <b>%1</b>. Apply saves an edited copy for %2 only.")
                              .arg(typeLabel(project, effective->definedOn), typeLabel(project, type)));
    else
        m_origin->setText(tr("Rules defined on <b>%1</b> (and inherited by types extending it).")
                              .arg(typeLabel(project, type)));
    m_remove->setEnabled(effective && effective->definedOn == type);
    if (effective) {
        for (const std::string &state : effective->rules.states)
            addState(qs(state));
        refreshStateChoices();
        m_initial->setCurrentIndex(m_initial->findText(qs(effective->rules.initialState)));
        for (const auto &t : effective->rules.transitions)
            addTransition(t);
        for (const auto &a : effective->rules.alarms)
            addAlarm(a);
    }
    refreshStateChoices();
    m_loading = false;
    showError({});
    setModified(false);
}

void RulesEditor::addState(const QString &name)
{
    auto *item = new QListWidgetItem(name);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    item->setData(Qt::UserRole, name); // the name before an edit, to rename references
    m_states->addItem(item);
    if (!m_loading) {
        refreshStateChoices();
        setModified(true);
    }
}

// Removes the row holding the keyboard focus (cell widgets do not move the table's current row), else the
// selected row.
void RulesEditor::removeFocusedRow(QTableWidget *table)
{
    int row = table->currentRow();
    if (QWidget *focus = QApplication::focusWidget())
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 0; c < table->columnCount(); ++c)
                if (QWidget *w = table->cellWidget(r, c); w && (w == focus || w->isAncestorOf(focus)))
                    row = r;
    if (row < 0 || row >= table->rowCount())
        return;
    table->removeRow(row);
    setModified(true);
}

QString RulesEditor::errorText() const
{
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

// Shows the error under the tabs and frames every condition field the error quotes.
void RulesEditor::showError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    auto mark = [&error](ExpressionEdit *edit) {
        const bool quoted = !error.isEmpty() && !edit->text().trimmed().isEmpty() &&
                            error.contains(QLatin1Char('\'') + edit->text().trimmed() + QLatin1Char('\''));
        edit->setError(quoted ? error : QString());
    };
    for (int r = 0; r < m_transitions->rowCount(); ++r)
        mark(cell<ExpressionEdit>(m_transitions, r, TCondition));
    for (int r = 0; r < m_alarms->rowCount(); ++r)
        for (int c : {ACondition, AClear})
            mark(cell<ExpressionEdit>(m_alarms, r, c));
}

bool RulesEditor::apply()
{
    if (m_typeId.isEmpty())
        return false;
    const model::RuleSet rules = editedRules();
    if (auto status = model::checkRuleSet(m_document.project(), rules); !status) {
        showError(qs(status.error()));
        return false;
    }
    setModified(false); // the rulesChanged that follows reloads the widgets from the project
    const QString error = m_document.execute(
        std::make_unique<model::SetRuleSetCommand>(m_document.project(), ss(m_typeId), rules));
    showError(error);
    if (!error.isEmpty()) {
        setModified(true);
        return false;
    }
    load();
    return true;
}

void RulesEditor::revert()
{
    load();
}

void RulesEditor::removeOwnRules()
{
    if (m_typeId.isEmpty() || !model::ownRuleSet(m_document.project(), ss(m_typeId)))
        return;
    setModified(false);
    showError(m_document.execute(
        std::make_unique<model::SetRuleSetCommand>(m_document.project(), ss(m_typeId), std::nullopt)));
    load();
}

void RulesEditor::setModified(bool modified)
{
    if (m_loading)
        return;
    m_apply->setEnabled(modified);
    m_revert->setEnabled(modified);
    if (modified == m_modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

QDockWidget *installRulesEditor(MainWindow &window)
{
    auto *dock = new QDockWidget(QObject::tr("Rules"), &window);
    dock->setObjectName("rulesDock");
    dock->setWidget(new RulesEditor(window.document(), dock));
    // The tables need width: share the bottom area with the alarm and data-quality docks.
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (auto *alarms = window.findChild<QDockWidget *>("alarmsDock")) {
        window.tabifyDockWidget(alarms, dock);
        alarms->raise();
    }
    for (QAction *menu : window.menuBar()->actions())
        if (menu->menu() && menu->text().remove(QLatin1Char('&')) == QObject::tr("View"))
            menu->menu()->addAction(dock->toggleViewAction());
    return dock;
}

} // namespace twin::ui
