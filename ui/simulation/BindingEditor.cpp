#include "twin/ui/simulation/BindingEditor.h"
#include "twin/ui/widgets/QtStrings.h"

#include "twin/ui/widgets/AssetTypeCombo.h"

#include "twin/model/commands/BindingCommands.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/simulation/BindingCatalog.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace twin::ui {

using model::scenario::SimulationBinding;
using model::scenario::VariableBinding;
using Direction = VariableBinding::Direction;

namespace {
// The type the effective binding of `typeId` is defined on (itself or the nearest ancestor), or "".
std::string definedOn(const model::Project &project, const std::string &typeId)
{
    if (model::scenario::findBinding(project, typeId))
        return typeId;
    for (const auto &base : project.types.ancestors(typeId))
        if (model::scenario::findBinding(project, base))
            return base;
    return {};
}
} // namespace

BindingEditor::BindingEditor(ProjectDocument &document, const QString &pluginDir, QWidget *parent)
    : QWidget(parent), m_document(document),
      m_catalog(std::make_unique<BindingCatalog>(
          ss(pluginDir.isEmpty() ? TelemetrySession::pluginDirectory() : pluginDir)))
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QFormLayout;
    auto combo = [this](const char *name) {
        auto *c = new QComboBox(this);
        c->setObjectName(name);
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        return c;
    };
    m_type = combo("bindingType");
    top->addRow(tr("Asset type:"), m_type);
    m_origin = new QLabel(this);
    m_origin->setObjectName("bindingOrigin");
    m_origin->setWordWrap(true);
    top->addRow(m_origin);
    m_backend = combo("bindingBackend");
    m_model = combo("bindingModel");
    auto *backendRow = new QHBoxLayout;
    backendRow->addWidget(m_backend);
    backendRow->addWidget(new QLabel(tr("Model:"), this));
    backendRow->addWidget(m_model);
    backendRow->addStretch();
    top->addRow(tr("Backend:"), backendRow);
    m_config = new QLineEdit(this);
    m_config->setObjectName("bindingConfig");
    m_config->setPlaceholderText(QStringLiteral("{}"));
    m_config->setToolTip(tr("Backend configuration (JSON object): solver, tolerances, seed, FMU path..."));
    top->addRow(tr("Config:"), m_config);
    layout->addLayout(top);

    m_table = new QTableWidget(0, 6, this);
    m_table->setObjectName("bindingVariables");
    m_table->setHorizontalHeaderLabels({tr("Model variable"), tr("Causality"), tr("Model unit"), tr("Twin"),
                                        tr("Direction"), tr("Problem")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setDefaultSectionSize(28);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setColumnWidth(CModel, 130);
    m_table->setColumnWidth(CCausality, 75);
    m_table->setColumnWidth(CUnit, 140);
    m_table->setColumnWidth(CTwin, 260);
    m_table->setColumnWidth(CDirection, 64);
    layout->addWidget(m_table, 1);

    m_error = new QLabel(this);
    m_error->setObjectName("bindingError");
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c02020;"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QHBoxLayout;
    m_remove = new QPushButton(tr("Remove binding"), this);
    m_remove->setObjectName("bindingRemove");
    m_remove->setToolTip(tr("Delete this type's own binding (it then uses an inherited one, if any)"));
    m_revert = new QPushButton(tr("Revert"), this);
    m_revert->setObjectName("bindingRevert");
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setObjectName("bindingApply");
    m_apply->setDefault(true);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);

    connect(m_apply, &QPushButton::clicked, this, &BindingEditor::apply);
    connect(m_revert, &QPushButton::clicked, this, &BindingEditor::revert);
    connect(m_remove, &QPushButton::clicked, this, &BindingEditor::removeOwnBinding);
    connect(m_type, &QComboBox::activated, this, [this] { setTypeId(m_type->currentData().toString()); });
    connect(m_backend, &QComboBox::activated, this, [this] {
        fillModels({});
        backendEdited();
    });
    connect(m_model, &QComboBox::activated, this, &BindingEditor::backendEdited);
    connect(m_config, &QLineEdit::editingFinished, this, [this] {
        if (m_loading || !m_config->isModified())
            return;
        m_config->setModified(false);
        fillModels(m_model->currentData().toString());
        backendEdited();
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_loading)
            setModified(true);
    });

    // Undo/redo of a binding (or any edit that changes the stored text) reloads unless edits are pending.
    connect(&document, &ProjectDocument::undoStateChanged, this, [this] {
        if (!m_modified && storedText() != m_loadedText)
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
    connect(&document, &ProjectDocument::typesChanged, this, &BindingEditor::reloadTypes);
    connect(&document.selection(), &SelectionModel::selectionChanged, this, &BindingEditor::followSelection);
    reloadTypes();
    followSelection();
    setModified(false);
}

BindingEditor::~BindingEditor() = default;

void BindingEditor::setPluginDirectory(const QString &dir)
{
    m_catalog->setDirectory(ss(dir));
    m_modified = false;
    load();
}

void BindingEditor::reloadTypes()
{
    fillTypeCombo(m_type, m_document.project(), m_typeId);
}

void BindingEditor::followSelection()
{
    const QString type =
        typeToFollow(m_document.project(), m_document.selection().current(), m_typeId, m_modified);
    if (!type.isEmpty())
        setTypeId(type);
}

void BindingEditor::setTypeId(const QString &typeId)
{
    m_typeId = typeId;
    selectType(m_type, typeId);
    load();
}

std::string BindingEditor::storedText() const
{
    const model::Project &project = m_document.project();
    const std::string on = definedOn(project, ss(m_typeId));
    if (on.empty())
        return {};
    return on + '\n' + project.meta.at(model::SetBindingCommand::metaKey(on));
}

void BindingEditor::load()
{
    const model::Project &project = m_document.project();
    const std::string type = ss(m_typeId);
    m_loading = true;
    m_loadedText = storedText();
    m_twinRefs.clear();
    m_twinLabels.clear();
    for (const auto &c : twinChoices(project, type)) {
        m_twinRefs << qs(c.reference);
        m_twinLabels << qs(c.label);
    }
    const std::string on = definedOn(project, type);
    std::optional<SimulationBinding> binding =
        on.empty() ? std::nullopt : model::scenario::findBinding(project, on);
    if (m_typeId.isEmpty())
        m_origin->setText(tr("Pick an asset type."));
    else if (!binding)
        m_origin->setText(tr("No simulation is bound to %1: pick a backend and a model, map the model's "
                             "variables to the twin, then Apply.")
                              .arg(typeLabel(project, type)));
    else if (on != type)
        m_origin->setText(tr("Inherited from <b>%1</b>. Apply saves an edited copy for %2 only.")
                              .arg(typeLabel(project, on), typeLabel(project, type)));
    else
        m_origin->setText(tr("Binding defined on <b>%1</b> (and inherited by types extending it).")
                              .arg(typeLabel(project, type)));
    m_remove->setEnabled(binding && on == type);
    SimulationBinding b = binding ? *binding : SimulationBinding{type, "", "", "{}", {}};
    fillBackends(qs(b.pluginId));
    m_config->setText(qs(b.config));
    m_config->setModified(false);
    fillModels(qs(b.modelId));
    rebuildRows(b);
    m_loading = false;
    showFindings({});
    setModified(false);
}

void BindingEditor::fillBackends(const QString &pluginId)
{
    QSignalBlocker block(m_backend);
    m_backend->clear();
    for (const auto &p : m_catalog->simulators()) {
        m_backend->addItem(qs(p.name.empty() ? p.id : p.name + " (" + p.id + ")"), qs(p.id));
        m_backend->setItemData(m_backend->count() - 1, qs(p.description), Qt::ToolTipRole);
    }
    if (!pluginId.isEmpty() && m_backend->findData(pluginId) < 0) // keep a binding to a missing plugin
        m_backend->addItem(tr("%1 (not found)").arg(pluginId), pluginId);
    m_backend->setCurrentIndex(pluginId.isEmpty() ? 0 : m_backend->findData(pluginId));
    if (m_backend->count() == 0)
        m_backend->setToolTip(tr("No simulator plugins in %1 %2")
                                  .arg(qs(m_catalog->directory()), qs(m_catalog->scanProblem())));
}

void BindingEditor::syncProjectDirectory()
{
    const QString path = m_document.filePath();
    m_catalog->setProjectDirectory(path.isEmpty() ? std::string() : ss(QFileInfo(path).absolutePath()));
}

void BindingEditor::fillModels(const QString &modelId)
{
    syncProjectDirectory();
    QSignalBlocker block(m_model);
    m_model->clear();
    std::string why;
    const std::string config = ss(m_config->text());
    if (auto models = m_catalog->models(ss(m_backend->currentData().toString()), config, why)) {
        for (const auto &m : *models) {
            m_model->addItem(qs(m.id), qs(m.id));
            m_model->setItemData(m_model->count() - 1, qs(m.description), Qt::ToolTipRole);
        }
        m_model->setToolTip({});
    } else {
        m_model->setToolTip(qs(why));
    }
    if (!modelId.isEmpty() && m_model->findData(modelId) < 0)
        m_model->addItem(tr("%1 (not offered)").arg(modelId), modelId);
    m_model->setCurrentIndex(modelId.isEmpty() ? 0 : m_model->findData(modelId));
}

// Rows: every variable of the binding (in its order), then the model's variables not bound yet.
void BindingEditor::rebuildRows(const SimulationBinding &b)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    m_table->setRowCount(0);
    std::string why;
    syncProjectDirectory();
    const auto vars = m_catalog->variables(b, why);
    auto info = [&](const std::string &name) -> const sdk::VariableInfo * {
        if (vars)
            for (const auto &v : *vars)
                if (v.name == name)
                    return &v;
        return nullptr;
    };
    for (const auto &v : b.variables)
        addRow(qs(v.model), info(v.model), &v);
    if (vars)
        for (const auto &v : *vars)
            if (!b.findModel(v.name))
                addRow(qs(v.name), &v, nullptr);
    m_loading = wasLoading;
    if (!vars && !b.pluginId.empty())
        m_error->setText(tr("Model variables not available: %1").arg(qs(why)));
    m_error->setVisible(!vars && !b.pluginId.empty());
}

void BindingEditor::backendEdited()
{
    if (m_loading)
        return;
    auto b = editedBinding();
    if (!b)
        return;
    rebuildRows(*b);
    setModified(true);
}

QString BindingEditor::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

bool BindingEditor::apply()
{
    if (m_typeId.isEmpty())
        return false;
    const auto b = editedBinding();
    if (!b) {
        showFindings({{model::LintFinding::Severity::Error, "binding:" + ss(m_typeId), "binding-no-backend",
                       "no simulator backend found in " + m_catalog->directory()}});
        return false;
    }
    syncProjectDirectory();
    const auto findings = model::scenario::validateBinding(m_document.project(), *b, m_catalog->lookup());
    showFindings(findings);
    if (std::any_of(findings.begin(), findings.end(),
                    [](const auto &f) { return f.severity == model::LintFinding::Severity::Error; }))
        return false;
    setModified(false); // the undoStateChanged that follows must not keep stale rows
    const QString error = m_document.execute(
        std::make_unique<model::SetBindingCommand>(m_document.project(), ss(m_typeId), *b));
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->show();
        setModified(true);
        return false;
    }
    load();
    showFindings(findings); // keep warnings visible
    return true;
}

void BindingEditor::revert()
{
    load();
}

void BindingEditor::removeOwnBinding()
{
    if (m_typeId.isEmpty() || !model::scenario::findBinding(m_document.project(), ss(m_typeId)))
        return;
    setModified(false);
    const QString error = m_document.execute(
        std::make_unique<model::SetBindingCommand>(m_document.project(), ss(m_typeId), std::nullopt));
    load();
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->show();
    }
}

void BindingEditor::setModified(bool modified)
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

QDockWidget *installBindingEditor(MainWindow &window)
{
    auto *dock = new QDockWidget(QObject::tr("Simulation"), &window);
    dock->setObjectName("simulationDock");
    dock->setWidget(new BindingEditor(window.document(), {}, dock));
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (auto *rules = window.findChild<QDockWidget *>("rulesDock"))
        window.tabifyDockWidget(rules, dock);
    else if (auto *alarms = window.findChild<QDockWidget *>("alarmsDock"))
        window.tabifyDockWidget(alarms, dock);
    for (QAction *menu : window.menuBar()->actions())
        if (menu->menu() && menu->text().remove(QLatin1Char('&')) == QObject::tr("View"))
            menu->menu()->addAction(dock->toggleViewAction());
    return dock;
}

} // namespace twin::ui
