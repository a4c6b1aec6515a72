#pragma once
// The Simulation dock: which backend model simulates assets of one type and how the model's variables map
// to the twin's properties and telemetry. Edits are pending until Apply, which checks them
// with model::scenario::validateBinding (against the model's variables as the plugin lists them) and pushes
// one SetBindingCommand; on error nothing changes and the offending rows say why. Revert reloads the
// project's binding; Remove deletes the type's own binding (one undo step).
#include "twin/model/scenario/Binding.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace twin::ui {

class BindingCatalog;
class MainWindow;
class ProjectDocument;

class BindingEditor : public QWidget
{
    Q_OBJECT
public:
    enum Column
    {
        CModel,
        CCausality,
        CUnit,
        CTwin,
        CDirection,
        CProblem
    };
    // Empty pluginDir: the workbench's plugins folder (TelemetrySession::pluginDirectory()).
    explicit BindingEditor(ProjectDocument &document, const QString &pluginDir = {},
                           QWidget *parent = nullptr);
    ~BindingEditor() override;

    void setPluginDirectory(const QString &dir); // rescans, reloads
    QString typeId() const { return m_typeId; }
    // Shows the binding that applies to the type (its own or inherited), discarding pending edits.
    void setTypeId(const QString &typeId);
    // What the widgets hold now (rows with a twin reference); nullopt when no backend is picked.
    std::optional<model::scenario::SimulationBinding> editedBinding() const;
    bool isModified() const { return m_modified; }
    QString errorText() const;
    // The row of a binding entry (model variable + twin reference + direction), or -1.
    int rowOf(const QString &modelVariable, model::scenario::VariableBinding::Direction direction) const;
    int rowOf(const QString &modelVariable) const; // first row of the variable, or -1
    // Sets a row's twin reference; adds it to the row's choices when it is not offered.
    void setTwin(int row, const QString &reference);

    bool apply(); // false (and nothing changed) when validation finds errors; the errors are shown
    void revert();
    void removeOwnBinding(); // one undo step; the type then falls back to an inherited binding, if any

signals:
    void modifiedChanged(bool modified);

private:
    using VariableBinding = model::scenario::VariableBinding;
    void reloadTypes();
    void followSelection();
    void load(); // from the project, for m_typeId
    void fillBackends(const QString &pluginId);
    void fillModels(const QString &modelId);
    void syncProjectDirectory(); // the catalog resolves relative resource paths against the project's folder
    void rebuildRows(const model::scenario::SimulationBinding &binding);
    void addRow(const QString &model, const sdk::VariableInfo *info, const VariableBinding *bound);
    void backendEdited();
    void setModified(bool modified);
    void showFindings(const std::vector<model::LintFinding> &findings);
    std::string storedText() const; // the effective binding's stored JSON, to notice undo/redo

    ProjectDocument &m_document;
    std::unique_ptr<BindingCatalog> m_catalog;
    QString m_typeId;
    std::string m_loadedText;
    bool m_modified = false;
    bool m_loading = false;
    QStringList m_twinRefs, m_twinLabels; // choices for the twin column
    QComboBox *m_type, *m_backend, *m_model;
    QLineEdit *m_config;
    QLabel *m_origin, *m_error;
    QTableWidget *m_table;
    QPushButton *m_apply, *m_revert, *m_remove;
};

// Adds the Simulation dock (tabbed with the rules dock, bottom area) and its View-menu entry.
QDockWidget *installBindingEditor(MainWindow &window);

} // namespace twin::ui
