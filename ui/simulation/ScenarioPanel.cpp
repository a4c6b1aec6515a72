#include "twin/ui/simulation/ScenarioPanel.h"
#include "twin/ui/widgets/QtStrings.h"

#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/scenario/Binding.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <nlohmann/json.hpp>

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <filesystem>

namespace twin::ui {

namespace {
using namespace model::scenario;
namespace fs = std::filesystem;

QString timeText(model::TimeNs t)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1000000, Qt::UTC).toString(Qt::ISODate);
}

QTableWidget *makeTable(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->horizontalHeader()->setStretchLastSection(true);
    t->verticalHeader()->hide();
    return t;
}

QString cell(const QTableWidget *t, int row, int col)
{
    const QTableWidgetItem *item = t->item(row, col);
    return item ? item->text().trimmed() : QString();
}

// "target=..." text for parseOverride from a row (kind, comma-separated values).
std::string overrideText(const QString &target, const QString &kind, const QString &values)
{
    if (kind == QLatin1String("constant"))
        return ss(target + '=' + values);
    return ss(target + '=' + kind + '(' + values + ')');
}
} // namespace

ScenarioPanel::ScenarioPanel(ProjectDocument &document, TelemetrySession *session, QWidget *parent)
    : QWidget(parent), m_document(document), m_session(session)
{
    m_options.pluginDir = model::PluginHost::defaultDirectory();
    buildUi();
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        ++m_generation; // results of a running batch belong to the old project
        cancel();
        m_failures.clear();
        refreshList();
    });
    connect(&document, &ProjectDocument::undoStateChanged, this, &ScenarioPanel::refreshList);
    refreshList();
}

ScenarioPanel::~ScenarioPanel()
{
    cancel();
    joinWorker();
}

void ScenarioPanel::buildUi()
{
    m_list = makeTable({tr("Scenario"), tr("Target"), tr("Last run"), tr("Outcome"), tr("KPIs")}, this);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(m_list, &QTableWidget::itemSelectionChanged, this, [this] {
        if (!m_loading && m_list->currentRow() >= 0 && m_list->item(m_list->currentRow(), 0))
            editScenario(m_list->item(m_list->currentRow(), 0)->text());
    });

    auto *editor = new QWidget(this);
    auto *form = new QFormLayout;
    m_name = new QLineEdit(editor);
    m_target = new QComboBox(editor);
    m_target->setEditable(true);
    m_start = new QLabel(editor);
    m_horizon = new QDoubleSpinBox(editor);
    m_horizon->setRange(0.001, 1e9);
    m_horizon->setDecimals(3);
    m_step = new QDoubleSpinBox(editor);
    m_step->setRange(1e-6, 1e6);
    m_step->setDecimals(6);
    m_seed = new QSpinBox(editor);
    m_seed->setRange(0, 1 << 30);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Target asset"), m_target);
    form->addRow(tr("Start"), m_start);
    auto *numbers = new QHBoxLayout;
    for (auto [label, w] : {std::pair<QString, QWidget *>{tr("Horizon"), m_horizon},
                            {tr("Step"), m_step},
                            {tr("Seed"), m_seed}}) {
        numbers->addWidget(new QLabel(label, editor));
        numbers->addWidget(w, 1);
    }
    form->addRow(tr("Run"), numbers);
    m_overrides = makeTable({tr("Target"), tr("Kind"), tr("Values"), tr("Unit"), tr("Check")}, editor);
    m_overrides->setToolTip(tr("constant: value · step: at, value · ramp: from, to, t0, t1 (seconds from the "
                               "start). Empty unit: the twin's unit."));
    connect(m_overrides, &QTableWidget::itemChanged, this, &ScenarioPanel::updateOverrideHints);
    m_kpis = makeTable({tr("KPI"), tr("Expression"), tr("Unit")}, editor);
    m_kpis->setToolTip(tr("integral(x), mean(x), max(x), min(x), final(x), timeAbove(x, c), duration()"));
    auto *rowButtons = new QHBoxLayout;
    auto button = [editor](const QString &text, QBoxLayout *into) {
        auto *b = new QPushButton(text, editor);
        into->addWidget(b);
        return b;
    };
    connect(button(tr("Add override"), rowButtons), &QPushButton::clicked, this,
            [this] { addOverrideRow(); });
    connect(button(tr("Remove override"), rowButtons), &QPushButton::clicked, this,
            [this] { m_overrides->removeRow(m_overrides->currentRow()); });
    connect(button(tr("Add KPI"), rowButtons), &QPushButton::clicked, this, [this] { addKpiRow(); });
    connect(button(tr("Remove KPI"), rowButtons), &QPushButton::clicked, this,
            [this] { m_kpis->removeRow(m_kpis->currentRow()); });
    auto *editorLayout = new QVBoxLayout(editor);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addLayout(form);
    editorLayout->addWidget(new QLabel(tr("Overrides"), editor));
    editorLayout->addWidget(m_overrides, 2);
    editorLayout->addWidget(new QLabel(tr("KPIs"), editor));
    editorLayout->addWidget(m_kpis, 1);
    editorLayout->addLayout(rowButtons);

    auto *actions = new QHBoxLayout;
    connect(button(tr("New from current state"), actions), &QPushButton::clicked, this,
            &ScenarioPanel::newFromCurrentState);
    connect(button(tr("Save"), actions), &QPushButton::clicked, this, [this] { saveEditor(); });
    connect(button(tr("Delete"), actions), &QPushButton::clicked, this, [this] {
        removeScenario(m_document.project(), ss(m_name->text()));
        m_document.markHistoryChanged();
        refreshList();
    });
    m_run = button(tr("Run"), actions);
    m_runSelected = button(tr("Run selected"), actions);
    m_cancel = button(tr("Cancel"), actions);
    m_cancel->setEnabled(false);
    connect(m_run, &QPushButton::clicked, this, [this] {
        if (saveEditor().isEmpty())
            runScenarios({m_name->text().trimmed()});
    });
    connect(m_runSelected, &QPushButton::clicked, this, [this] { runScenarios(selectedScenarios()); });
    connect(m_cancel, &QPushButton::clicked, this, &ScenarioPanel::cancel);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_list);
    split->addWidget(editor);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addLayout(actions);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
}

void ScenarioPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828; font-weight: bold;") : QString());
}

void ScenarioPanel::refreshList()
{
    const model::Project &project = m_document.project();
    m_loading = true;
    m_list->setRowCount(0);
    for (const std::string &name : scenarioNames(project)) {
        const int row = m_list->rowCount();
        m_list->insertRow(row);
        const auto def = findScenario(project, name);
        QString ranAt, outcome, kpis;
        const std::string record = scenarioRunRecord(project, name);
        const auto rec = nlohmann::json::parse(record.empty() ? "null" : record, nullptr, false);
        if (rec.is_object()) {
            ranAt = qs(rec.value("ranAt", ""));
            outcome = qs(rec.value("outcome", ""));
            if (rec.contains("kpis") && rec["kpis"].is_object())
                for (const auto &[k, v] : rec["kpis"].items())
                    kpis += QStringLiteral("%1 = %2  ")
                                .arg(qs(k),
                                     v.is_number() ? QString::number(v.get<double>(), 'g', 5) : qs(v.dump()));
        }
        if (auto f = m_failures.find(qs(name)); f != m_failures.end())
            outcome = tr("failed: %1").arg(f->second);
        const QStringList cells = {qs(name),
                                   def && !def->targets.empty() ? qs(def->targets.front()) : QString(), ranAt,
                                   outcome.isEmpty() ? tr("never run") : outcome, kpis.trimmed()};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setToolTip(def && c == 0 ? qs(def->description) : cells[c]);
            if (c == 3 && m_failures.count(qs(name)))
                item->setForeground(QColor(198, 40, 40));
            m_list->setItem(row, c, item);
        }
    }
    m_list->resizeColumnsToContents();
    // Target choices: every asset whose type has a simulation binding.
    const QString target = m_target->currentText();
    m_target->clear();
    for (model::AssetId id : project.graph.allIds())
        if (bindingForAsset(project, id))
            m_target->addItem(qs(project.graph.path(id)));
    m_target->setCurrentText(target);
    m_loading = false;
}

void ScenarioPanel::editScenario(const QString &name)
{
    const auto def = findScenario(m_document.project(), ss(name));
    if (!def)
        return;
    m_name->setText(qs(def->name));
    m_target->setCurrentText(def->targets.empty() ? QString() : qs(def->targets.front()));
    m_editStart = def->startAt;
    m_start->setText(m_editStart ? tr("twin state at %1").arg(timeText(*m_editStart))
                                 : tr("now (latest telemetry)"));
    m_horizon->setValue(def->horizon);
    m_step->setValue(def->step);
    m_seed->setValue(int(def->seed));
    m_overrides->setRowCount(0);
    for (const Override &o : def->overrides) {
        QString values = QString::number(o.value);
        if (o.kind == Override::Kind::Step)
            values = QStringLiteral("%1, %2").arg(o.at).arg(o.value);
        else if (o.kind == Override::Kind::Ramp)
            values = QStringLiteral("%1, %2, %3, %4").arg(o.from.value_or(0)).arg(o.to).arg(o.t0).arg(o.t1);
        else if (o.kind == Override::Kind::Series)
            values = tr("(recorded series, %1 points)").arg(o.times.size());
        addOverrideRow(qs(o.target), qs(overrideKindName(o.kind)), values, qs(o.unit));
    }
    m_kpis->setRowCount(0);
    for (const Kpi &k : def->kpis)
        addKpiRow(qs(k.name), qs(k.expression), qs(k.unit));
}

void ScenarioPanel::newFromCurrentState()
{
    const int row = m_list->currentRow();
    if (row >= 0 && m_list->item(row, 0))
        editScenario(m_list->item(row, 0)->text());
    const auto names = scenarioNames(m_document.project());
    QString name;
    for (int n = int(names.size()) + 1; name.isEmpty() || findScenario(m_document.project(), ss(name)); ++n)
        name = QStringLiteral("scenario-%1").arg(n);
    m_name->setText(name);
    m_overrides->setRowCount(0);
    const auto snapshot = m_session ? m_session->snapshot() : nullptr;
    m_editStart =
        snapshot && snapshot->position > 0 ? std::optional<model::TimeNs>(snapshot->position) : std::nullopt;
    m_start->setText(m_editStart ? tr("twin state at %1 (current time)").arg(timeText(*m_editStart))
                                 : tr("now (latest telemetry)"));
    if (m_target->currentText().isEmpty() && m_target->count() > 0)
        m_target->setCurrentIndex(0);
    setStatus(tr("New scenario from the current state: add overrides, then Save or Run."), false);
}

int ScenarioPanel::addOverrideRow(const QString &target, const QString &kind, const QString &values,
                                  const QString &unit)
{
    QSignalBlocker block(m_overrides);
    const int row = m_overrides->rowCount();
    m_overrides->insertRow(row);
    auto *kindBox = new QComboBox(m_overrides);
    kindBox->addItems({QStringLiteral("constant"), QStringLiteral("step"), QStringLiteral("ramp")});
    if (kind == QLatin1String("series"))
        kindBox->addItem(kind);
    kindBox->setCurrentText(kind);
    m_overrides->setCellWidget(row, 1, kindBox);
    connect(kindBox, &QComboBox::currentTextChanged, this, &ScenarioPanel::updateOverrideHints);
    m_overrides->setItem(row, 0, new QTableWidgetItem(target));
    m_overrides->setItem(row, 2, new QTableWidgetItem(values));
    m_overrides->setItem(row, 3, new QTableWidgetItem(unit));
    auto *check = new QTableWidgetItem;
    check->setFlags(Qt::ItemIsEnabled);
    m_overrides->setItem(row, 4, check);
    block.unblock();
    updateOverrideHints();
    return row;
}

int ScenarioPanel::addKpiRow(const QString &name, const QString &expression, const QString &unit)
{
    const int row = m_kpis->rowCount();
    m_kpis->insertRow(row);
    m_kpis->setItem(row, 0, new QTableWidgetItem(name));
    m_kpis->setItem(row, 1, new QTableWidgetItem(expression));
    m_kpis->setItem(row, 2, new QTableWidgetItem(unit));
    return row;
}

// The "Check" column: parse result and the unit the value is read in.
void ScenarioPanel::updateOverrideHints()
{
    const QSignalBlocker block(m_overrides);
    const model::Project &project = m_document.project();
    const model::AssetId asset = findAssetByPath(project, ss(m_target->currentText()));
    for (int row = 0; row < m_overrides->rowCount(); ++row) {
        auto *kind = qobject_cast<QComboBox *>(m_overrides->cellWidget(row, 1));
        QTableWidgetItem *check = m_overrides->item(row, 4);
        if (!kind || !check || cell(m_overrides, row, 0).isEmpty())
            continue;
        if (kind->currentText() == QLatin1String("series")) {
            check->setText(tr("recorded series (JSON only)"));
            continue;
        }
        const auto parsed = parseOverride(
            overrideText(cell(m_overrides, row, 0), kind->currentText(), cell(m_overrides, row, 2)));
        QString text;
        if (!parsed) {
            text = qs(parsed.error());
        } else if (!cell(m_overrides, row, 3).isEmpty()) {
            text = tr("OK, in %1").arg(cell(m_overrides, row, 3));
        } else if (auto t = asset != model::kNoAsset
                                ? resolveTwin(project, asset, ss(cell(m_overrides, row, 0)))
                                : Result<TwinTarget>(Error{"no target asset"});
                   t) {
            text = tr("OK, in the twin's unit %1").arg(t->unit.empty() ? tr("(none)") : qs(t->unit));
        } else {
            text = tr("OK, model variable (model unit)");
        }
        check->setText(text);
        check->setForeground(parsed ? QColor(46, 125, 50) : QColor(198, 40, 40));
        check->setToolTip(text);
    }
}

QString ScenarioPanel::editorDefinition(ScenarioDefinition &def) const
{
    const auto existing = findScenario(m_document.project(), ss(m_name->text()));
    def = existing ? *existing : ScenarioDefinition{};
    def.name = ss(m_name->text());
    if (def.name.empty() || def.name.find_first_of("/@") != std::string::npos)
        return tr("The scenario needs a name without '/' or '@'.");
    if (findAssetByPath(m_document.project(), ss(m_target->currentText())) == model::kNoAsset)
        return tr("Target asset '%1' not found.").arg(m_target->currentText());
    if (!existing)
        def.description = tr("From the twin state at %1")
                              .arg(m_editStart ? timeText(*m_editStart) : tr("the latest telemetry"))
                              .toStdString();
    def.targets = {ss(m_target->currentText())};
    def.startAt = m_editStart;
    def.horizon = m_horizon->value();
    def.step = m_step->value();
    def.seed = std::uint64_t(m_seed->value());
    std::vector<Override> keptSeries;
    for (const Override &o : def.overrides)
        if (o.kind == Override::Kind::Series)
            keptSeries.push_back(o);
    def.overrides.clear();
    for (int row = 0; row < m_overrides->rowCount(); ++row) {
        auto *kind = qobject_cast<QComboBox *>(m_overrides->cellWidget(row, 1));
        if (cell(m_overrides, row, 0).isEmpty() || !kind)
            continue;
        if (kind->currentText() == QLatin1String("series")) {
            for (const Override &o : keptSeries)
                if (qs(o.target) == cell(m_overrides, row, 0))
                    def.overrides.push_back(o);
            continue;
        }
        auto o = parseOverride(
            overrideText(cell(m_overrides, row, 0), kind->currentText(), cell(m_overrides, row, 2)));
        if (!o)
            return tr("Override row %1: %2").arg(row + 1).arg(qs(o.error()));
        if (!cell(m_overrides, row, 3).isEmpty())
            o.value().unit = ss(cell(m_overrides, row, 3));
        def.overrides.push_back(o.value());
    }
    def.kpis.clear();
    for (int row = 0; row < m_kpis->rowCount(); ++row) {
        if (cell(m_kpis, row, 0).isEmpty() && cell(m_kpis, row, 1).isEmpty())
            continue;
        if (cell(m_kpis, row, 0).isEmpty() || cell(m_kpis, row, 1).isEmpty())
            return tr("KPI row %1 needs a name and an expression.").arg(row + 1);
        def.kpis.push_back({ss(cell(m_kpis, row, 0)), ss(cell(m_kpis, row, 1)), ss(cell(m_kpis, row, 2))});
    }
    return {};
}

QString ScenarioPanel::saveEditor()
{
    ScenarioDefinition def;
    if (const QString error = editorDefinition(def); !error.isEmpty()) {
        setStatus(error, true);
        return error;
    }
    setScenario(m_document.project(), def);
    m_document.markHistoryChanged(); // meta changed outside the undo stack: marks the project modified
    refreshList();
    setStatus(tr("Saved scenario %1.").arg(qs(def.name)), false);
    return {};
}

} // namespace twin::ui
