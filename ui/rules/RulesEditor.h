#pragma once
// The rules dock: states, transitions and alarms of one asset type, edited as pending changes. Apply checks
// them (model::checkRuleSet compiles every condition against the project) and pushes one SetRuleSetCommand;
// Revert reloads what the project holds. The rules themselves and their checks live in model/state.
#include "twin/model/state/RuleSet.h"

#include <QWidget>

class QComboBox;
class QDockWidget;
class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace twin::ui {

class MainWindow;
class ProjectDocument;

class RulesEditor : public QWidget
{
    Q_OBJECT
public:
    explicit RulesEditor(ProjectDocument &document, QWidget *parent = nullptr);

    QString typeId() const { return m_typeId; }
    // Shows the rules that apply to the type (its own or inherited), discarding pending edits.
    void setTypeId(const QString &typeId);
    model::RuleSet editedRules() const; // what the widgets hold now
    bool isModified() const { return m_modified; }
    QString errorText() const;

    bool apply(); // false (and nothing changed) when the rules do not compile; the error is shown
    void revert();
    void removeOwnRules(); // one undo step; the type then falls back to inherited rules, if any

    void addTransition(const model::StateTransition &transition);
    void addAlarm(const model::AlarmRule &alarm);

signals:
    void modifiedChanged(bool modified);

private:
    void reloadTypes();
    void followSelection();
    void load(); // from the project, for m_typeId
    void addState(const QString &name);
    void stateEdited(int row);
    void refreshStateChoices();
    void removeFocusedRow(QTableWidget *table);
    void setModified(bool modified);
    void showError(const QString &error);
    QStringList stateNames() const;

    ProjectDocument &m_document;
    QString m_typeId;
    QStringList m_variables; // completion for conditions
    bool m_modified = false;
    bool m_loading = false;
    QComboBox *m_type;
    QLabel *m_origin;
    QListWidget *m_states;
    QComboBox *m_initial;
    QTableWidget *m_transitions;
    QTableWidget *m_alarms;
    QLabel *m_error;
    QPushButton *m_apply, *m_revert, *m_remove;
};

// Adds the Rules dock (tabbed with the relationships dock) and its View-menu entry.
QDockWidget *installRulesEditor(MainWindow &window);

} // namespace twin::ui
