// CalibrationPanel: the widgets, the definition editor and the review (see CalibrationPanel.h).
#include "twin/ui/calibration/CalibrationPanel.h"

#include "twin/model/calibration/Evidence.h"
#include "twin/model/calibration/EvidenceReview.h"
#include "twin/model/calibration/ProjectSensitivity.h"
#include "twin/model/calibration/Report.h"
#include "twin/model/commands/MetaEntryCommand.h"
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/scenario/Binding.h"
#include "twin/model/state/RuleEditing.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/calibration/ObjectiveChart.h"
#include "twin/ui/calibration/ReportPdf.h"
#include "twin/ui/calibration/ReviewView.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/plot/PlotWidget.h"
#include "twin/ui/widgets/QtStrings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <cmath>

namespace twin::ui {

QString exportPathDialog(QWidget *parent); // CalibrationPanelRun.cpp

namespace {
namespace cal = model::calibration;

QTableWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    t->verticalHeader()->setVisible(false);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    return t;
}

void addRow(QTableWidget *t, const QStringList &cells)
{
    const int row = t->rowCount();
    t->insertRow(row);
    for (int c = 0; c < cells.size(); ++c)
        t->setItem(row, c, new QTableWidgetItem(cells[c]));
}

QString cell(const QTableWidget *t, int row, int column)
{
    const QTableWidgetItem *item = t->item(row, column);
    return item ? item->text().trimmed() : QString();
}

QString number(double v)
{
    return QString::number(v, 'g', 8);
}

// A box with a table and Add / Remove buttons.
QGroupBox *tableBox(const QString &title, QTableWidget *t, const QStringList &emptyRow, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(t);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(QObject::tr("Add"), box);
    auto *remove = new QPushButton(QObject::tr("Remove"), box);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    layout->addLayout(buttons);
    QObject::connect(add, &QPushButton::clicked, t, [t, emptyRow] { addRow(t, emptyRow); });
    QObject::connect(remove, &QPushButton::clicked, t, [t] {
        for (int row = t->rowCount() - 1; row >= 0; --row)
            if (t->selectionModel()->isRowSelected(row, {}))
                t->removeRow(row);
    });
    return box;
}
} // namespace

CalibrationPanel::CalibrationPanel(ProjectDocument &document, QWidget *parent)
    : QWidget(parent), m_document(document), m_pluginDir(model::PluginHost::defaultDirectory()),
      m_workerPath(model::sim::SimulationRunner::defaultWorkerPath())
{
    buildUi();
    connect(&document.selection(), &SelectionModel::selectionChanged, this,
            [this] { showAsset(m_document.selection().current()); });
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        ++m_generation;
        cancel();
        showAsset(model::kNoAsset);
    });
    connect(&document, &ProjectDocument::undoStateChanged, this, [this] {
        if (!isRunning())
            reload();
    });
    showAsset(model::kNoAsset);
}

CalibrationPanel::~CalibrationPanel()
{
    cancel();
    joinWorker();
}

void CalibrationPanel::buildUi()
{
    setObjectName("calibrationPanel");
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter, 1);

    auto *editor = new QWidget(splitter);
    auto *form = new QVBoxLayout(editor);
    form->setContentsMargins(0, 0, 0, 0);
    m_parameters = table({tr("free parameter"), tr("lower"), tr("upper"), tr("start (blank: current)"),
                          tr("prior mean"), tr("prior sd")},
                         editor);
    m_outputs = table({tr("fitted output (blank table: all)"), tr("σ (blank: from data)"), tr("weight"),
                       tr("loss: squared, huber, cauchy")},
                      editor);
    m_windows = table({tr("kind"), tr("from (UTC)"), tr("to (UTC)")}, editor);
    m_criteria = table({tr("acceptance criterion, e.g. nrmse<=0.05@holdout")}, editor);
    form->addWidget(tableBox(tr("Parameters"), m_parameters, {"", "", "", "", "", ""}, editor));
    form->addWidget(tableBox(tr("Fitted outputs"), m_outputs, {"", "", "1", "squared"}, editor));
    form->addWidget(tableBox(tr("Windows (calibration / hold-out)"), m_windows,
                             {"hold-out", "2026-01-05T07:00:00Z", "2026-01-05T08:00:00Z"}, editor));
    form->addWidget(tableBox(tr("Acceptance"), m_criteria, {"nrmse<=0.05@holdout"}, editor));
    auto *row = new QHBoxLayout;
    m_method = new QComboBox(editor);
    m_method->addItem(tr("Levenberg–Marquardt (local)"), "lm");
    m_method->addItem(tr("Global search + BOBYQA"), "global");
    m_restart = new QCheckBox(tr("Each window from the twin's state"), editor);
    m_restart->setToolTip(tr("Simulate every window on its own, starting from the state the twin had at its "
                             "start; unchecked: one run through all windows"));
    m_save = new QPushButton(tr("Save definition"), editor);
    m_saveType = new QPushButton(tr("Save for the type"), editor);
    m_saveType->setToolTip(tr("Store this calibration for every asset of this type without its own"));
    m_run = new QPushButton(tr("Calibrate"), editor);
    m_run->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), editor);
    m_cancel->setEnabled(false);
    row->addWidget(m_method, 1);
    row->addWidget(m_restart);
    row->addWidget(m_save);
    row->addWidget(m_saveType);
    row->addWidget(m_run);
    row->addWidget(m_cancel);
    form->addLayout(row);
    auto *sensitivityRow = new QHBoxLayout;
    m_sensitivityMethod = new QComboBox(editor);
    m_sensitivityMethod->addItem(tr("Local (at the calibrated values)"), "local");
    m_sensitivityMethod->addItem(tr("Morris screening"), "morris");
    m_sensitivityMethod->addItem(tr("Sobol indices"), "sobol");
    m_sensitivityMethod->setCurrentIndex(1);
    m_sensitivitySamples = new QSpinBox(editor);
    m_sensitivitySamples->setRange(0, 100000);
    m_sensitivitySamples->setSpecialValueText(tr("default"));
    m_sensitivitySamples->setToolTip(
        tr("Morris: trajectories (default 20); Sobol: N, N (p + 2) runs (default "
           "256); local: not used"));
    m_sensitivity = new QPushButton(tr("Sensitivity"), editor);
    m_sensitivity->setToolTip(tr("Sensitivity of each fitted output's mean to the free parameters, on the "
                                 "workers; shown in the review's Sensitivity tab and kept for the report"));
    sensitivityRow->addWidget(new QLabel(tr("Sensitivity:"), editor));
    sensitivityRow->addWidget(m_sensitivityMethod, 1);
    sensitivityRow->addWidget(new QLabel(tr("samples"), editor));
    sensitivityRow->addWidget(m_sensitivitySamples);
    sensitivityRow->addWidget(m_sensitivity);
    form->addLayout(sensitivityRow);
    m_progress = new QProgressBar(editor);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    form->addWidget(m_progress);
    m_objective = new ObjectiveChart(editor);
    form->addWidget(m_objective);
    connect(this, &CalibrationPanel::progressed, m_objective, &ObjectiveChart::add);
    m_status = new QLabel(editor);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addWidget(m_status);

    m_tabs = new QTabWidget(splitter);
    auto *data = new QWidget(m_tabs);
    auto *dataLayout = new QVBoxLayout(data);
    dataLayout->setContentsMargins(0, 0, 0, 0);
    m_plot = new PlotWidget(data);
    dataLayout->addWidget(m_plot, 1);
    auto *pickRow = new QHBoxLayout;
    auto *pickFit = new QPushButton(tr("Pick calibration window"), data);
    auto *pickHoldout = new QPushButton(tr("Pick hold-out window"), data);
    pickRow->addWidget(new QLabel(tr("Right-drag over the plot after choosing:"), data));
    pickRow->addWidget(pickFit);
    pickRow->addWidget(pickHoldout);
    pickRow->addStretch();
    dataLayout->addLayout(pickRow);
    m_tabs->addTab(data, tr("Data and windows"));
    auto *review = new QWidget(m_tabs);
    m_tabs->addTab(review, tr("Review and sign-off"));
    auto *reviewLayout = new QVBoxLayout(review);
    reviewLayout->setContentsMargins(0, 0, 0, 0);
    m_evidence = new QComboBox(review);
    reviewLayout->addWidget(m_evidence);
    m_reviewView = new ReviewView(review);
    m_review = m_reviewView->report();
    reviewLayout->addWidget(m_reviewView, 1);
    auto *who = new QHBoxLayout;
    m_reviewer = new QLineEdit(review);
    m_reviewer->setPlaceholderText(tr("reviewer's name"));
    m_reason = new QLineEdit(review);
    m_reason->setPlaceholderText(tr("reason for the decision"));
    who->addWidget(m_reviewer, 1);
    who->addWidget(m_reason, 2);
    reviewLayout->addLayout(who);
    auto *signOffRow = new QHBoxLayout;
    m_approve = new QPushButton(tr("Approve and apply"), review);
    m_reject = new QPushButton(tr("Reject"), review);
    m_export = new QPushButton(tr("Export report…"), review);
    signOffRow->addStretch();
    signOffRow->addWidget(m_approve);
    signOffRow->addWidget(m_reject);
    signOffRow->addWidget(m_export);
    reviewLayout->addLayout(signOffRow);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    connect(pickFit, &QPushButton::clicked, this, [this] { pickWindow("calibration"); });
    connect(pickHoldout, &QPushButton::clicked, this, [this] { pickWindow("hold-out"); });
    connect(m_plot, &PlotWidget::rangePicked, this, [this](model::TimeNs from, model::TimeNs to) {
        addRow(m_windows, {m_pickKind, qs(cal::isoUtc(from - from % model::kNsPerSecond)),
                           qs(cal::isoUtc(to - to % model::kNsPerSecond))});
        setStatus(tr("Added a %1 window; Save definition to keep it.").arg(m_pickKind), false);
    });
    // Windows edited by hand are no longer the ones an alarm proposed: the evidence then says nothing of it.
    connect(m_windows, &QTableWidget::itemChanged, this, [this] {
        if (!m_proposing)
            m_trigger.clear();
        showWindows();
    });
    connect(m_windows->model(), &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!m_proposing)
            m_trigger.clear();
        showWindows();
    });
    connect(m_save, &QPushButton::clicked, this, [this] { saveDefinition(false); });
    connect(m_saveType, &QPushButton::clicked, this, [this] { saveDefinition(true); });
    connect(m_run, &QPushButton::clicked, this, [this] { calibrate(); });
    connect(m_cancel, &QPushButton::clicked, this, &CalibrationPanel::cancel);
    connect(m_sensitivity, &QPushButton::clicked, this, [this] {
        runSensitivity(m_sensitivityMethod->currentData().toString(), m_sensitivitySamples->value());
    });
    connect(m_evidence, &QComboBox::currentIndexChanged, this, [this] { showRecord(); });
    connect(m_approve, &QPushButton::clicked, this,
            [this] { signOff(true, m_reviewer->text(), m_reason->text()); });
    connect(m_reject, &QPushButton::clicked, this,
            [this] { signOff(false, m_reviewer->text(), m_reason->text()); });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = exportPathDialog(this);
        if (!path.isEmpty())
            exportReport(path);
    });
}

std::string CalibrationPanel::assetPath() const
{
    return m_asset == model::kNoAsset ? std::string() : m_document.project().graph.path(m_asset);
}

void CalibrationPanel::showAsset(model::AssetId asset)
{
    if (isRunning())
        return; // the panel stays on the asset being calibrated
    const model::Asset *a = m_document.project().graph.find(asset);
    m_asset = a ? asset : model::kNoAsset;
    if (m_asset != m_triggerAsset)
        m_trigger.clear();
    reload();
}

QString CalibrationPanel::recalibrateFrom(model::AssetId asset, const QString &alarm, qint64 raised,
                                          const QString &message)
{
    if (isRunning())
        return tr("A calibration is already running.");
    const model::Project &project = m_document.project();
    if (!project.graph.find(asset))
        return tr("The alarm's asset is no longer in the project.");
    const std::string path = project.graph.path(asset);
    if (!cal::definitionForAsset(project, path))
        return tr("%1 has no calibration defined: define one in the Calibration tab first.").arg(qs(path));
    // The newest of the asset's plant data (not scenario results, which reach into the future, nor shadow
    // signals).
    model::TimeNs latest = 0;
    if (project.history)
        for (const auto &info : project.history->allSignals())
            if (info.key.asset == asset && model::isPlantSignal(info.key.telemetry))
                if (const auto id = project.history->findSignal(info.key))
                    latest = std::max(latest, project.history->stats(*id).last);
    const model::TimeNs since = latest - raised;
    if (since < 600 * model::kNsPerSecond)
        return tr("Only %1 s of data since the alarm: recalibrating needs at least 10 minutes of it.")
            .arg(std::max<qint64>(0, since / model::kNsPerSecond));
    auto second = [](model::TimeNs t) { return t - t % model::kNsPerSecond; };
    const model::TimeNs cut = second(raised + since * 7 / 10);
    m_document.selection().setSelection({asset});
    showAsset(asset);
    m_proposing = true; // the rows below are the alarm's, not an edit that would forget it
    m_windows->setRowCount(0);
    addRow(m_windows, {"calibration", qs(cal::isoUtc(second(raised))), qs(cal::isoUtc(cut))});
    addRow(m_windows,
           {"hold-out", qs(cal::isoUtc(cut + model::kNsPerSecond)), qs(cal::isoUtc(second(latest)))});
    m_proposing = false;
    m_trigger = "alarm \"" + ss(alarm) + "\" on " + path + " raised " + cal::isoUtc(second(raised)) +
                (message.isEmpty() ? "" : ": " + ss(message));
    m_triggerAsset = asset;
    showWindows();
    m_tabs->setCurrentIndex(0);
    setStatus(
        tr("Windows proposed from the alarm \"%1\": fit on %2 - %3, check on the rest. Calibrate to fit the "
           "model to the data since the alarm.")
            .arg(alarm, qs(cal::isoUtc(second(raised))), qs(cal::isoUtc(cut))),
        false);
    return {};
}

void CalibrationPanel::reload()
{
    const model::Project &project = m_document.project();
    const bool bound = m_asset != model::kNoAsset && model::scenario::bindingForAsset(project, m_asset);
    for (QWidget *w : std::initializer_list<QWidget *>{
             m_parameters, m_outputs, m_windows, m_criteria, m_method, m_restart, m_save, m_saveType, m_run,
             m_sensitivityMethod, m_sensitivitySamples, m_sensitivity})
        w->setEnabled(bound && !isRunning());
    if (m_asset == model::kNoAsset) {
        m_title->setText(tr("Select an asset with a simulation binding to calibrate its model."));
    } else if (!bound) {
        const model::Asset *a = project.graph.find(m_asset);
        m_title->setText(tr("%1 has no simulation binding: bind its type to a model first (Bindings dock).")
                             .arg(a ? qs(a->name) : QString()));
    } else {
        const auto b = model::scenario::bindingForAsset(project, m_asset);
        m_title->setText(tr("<b>%1</b> — model %2 (%3)")
                             .arg(qs(assetPath()).toHtmlEscaped(), qs(b->modelId), qs(b->pluginId)));
    }
    // The editor is reloaded only when the stored definition (or the asset) changed: an unrelated edit
    // elsewhere in the project must not throw away what the user is typing.
    std::string fromType;
    const auto stored = bound ? cal::definitionForAsset(project, assetPath(), &fromType) : std::nullopt;
    const std::string loaded =
        std::to_string(m_asset) + "\n" + (stored ? cal::definitionToJson(*stored) : "");
    if (loaded != m_loadedDefinition) {
        m_loadedDefinition = loaded;
        loadDefinition(stored.value_or(cal::CalibrationDefinition{}));
    }
    if (!fromType.empty()) {
        const model::AssetType *type = project.types.find(fromType);
        m_title->setText(m_title->text() +
                         tr(" · calibration defined for every %1").arg(qs(type ? type->label() : fromType)));
    }
    const QString shown = shownEvidence();
    const QSignalBlocker block(m_evidence);
    m_evidence->clear();
    const auto keys =
        m_asset == model::kNoAsset ? std::vector<std::string>{} : cal::evidenceKeys(project, assetPath());
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
        const cal::EvidenceSummary e = cal::summarizeEvidence(project.meta.at(*it));
        const QString label = qs(it->substr(it->rfind('#'))) + "  " + qs(e.createdAt) + "  " +
                              qs(e.decision) + (e.fitOk && e.accepted ? "" : tr("  (fails acceptance)"));
        m_evidence->addItem(label, qs(*it));
    }
    if (const int i = m_evidence->findData(shown); i >= 0)
        m_evidence->setCurrentIndex(i);
    showRecord();
    showData();
    showWindows();
}

void CalibrationPanel::pickWindow(const QString &kind)
{
    m_pickKind = kind;
    m_plot->setRangePickMode(true);
    m_tabs->setCurrentIndex(0);
    setStatus(tr("Right-drag (or Shift+drag) over the plot to pick the %1 window.").arg(kind), false);
}

void CalibrationPanel::showData()
{
    const model::Project &project = m_document.project();
    if (m_plotted == m_asset && !m_plot->series().empty())
        return;
    m_plotted = m_asset;
    std::vector<PlotSeries> series;
    const auto binding =
        m_asset == model::kNoAsset ? std::nullopt : model::scenario::bindingForAsset(project, m_asset);
    static const QColor colours[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {148, 103, 189}};
    if (binding && project.history) {
        std::vector<std::string> seen;
        for (const auto &v : binding->variables) {
            auto target = model::scenario::resolveTwin(project, m_asset, v.twin);
            if (!target || !target->isTelemetry || std::find(seen.begin(), seen.end(), v.twin) != seen.end())
                continue;
            seen.push_back(v.twin);
            // A telemetry both read at the start (In) and simulated (Out) is a fitted output.
            const bool fitted =
                std::any_of(binding->variables.begin(), binding->variables.end(), [&](const auto &o) {
                    return o.twin == v.twin &&
                           o.direction == model::scenario::VariableBinding::Direction::Out;
                });
            if (auto id = project.history->findSignal({target->asset, target->name}))
                series.push_back({*id, qs(v.twin) + (fitted ? tr(" (fitted)") : tr(" (input)")), target->unit,
                                  colours[series.size() % std::size(colours)]});
        }
    }
    m_plot->setStore(project.history);
    m_plot->setSeries(std::move(series));
    m_plot->fitAll();
}

void CalibrationPanel::showWindows()
{
    std::vector<PlotHighlight> bands;
    for (int r = 0; r < m_windows->rowCount(); ++r) {
        auto w = cal::parseWindow(ss(cell(m_windows, r, 1) + "/" + cell(m_windows, r, 2)));
        if (!w)
            continue;
        const bool fit = cell(m_windows, r, 0).toLower() == "calibration";
        bands.push_back({w->from, w->to, fit ? QColor(90, 138, 198, 45) : QColor(224, 160, 80, 55)});
    }
    m_plot->setHighlights(std::move(bands));
}

void CalibrationPanel::loadDefinition(const cal::CalibrationDefinition &d)
{
    m_parameters->setRowCount(0);
    for (const auto &p : d.parameters)
        addRow(m_parameters,
               {qs(p.name), number(p.lower), number(p.upper), p.start ? number(*p.start) : QString(),
                p.priorMean ? number(*p.priorMean) : QString(), p.priorSd ? number(*p.priorSd) : QString()});
    m_outputs->setRowCount(0);
    for (const auto &o : d.outputs)
        addRow(m_outputs,
               {qs(o.twin), o.sigma ? number(*o.sigma) : QString(), number(o.weight), cal::lossName(o.loss)});
    m_windows->setRowCount(0);
    for (const auto &w : d.windows)
        addRow(m_windows, {"calibration", qs(cal::isoUtc(w.from)), qs(cal::isoUtc(w.to))});
    for (const auto &w : d.holdout)
        addRow(m_windows, {"hold-out", qs(cal::isoUtc(w.from)), qs(cal::isoUtc(w.to))});
    m_criteria->setRowCount(0);
    for (const auto &c : d.acceptance) {
        QString text = qs(c.metric) + qs(c.op) + number(c.value);
        if (!c.output.empty())
            text += ":" + qs(c.output);
        addRow(m_criteria, {text + (c.holdout ? "@holdout" : "@calibration")});
    }
    m_method->setCurrentIndex(d.method == "global" ? 1 : 0);
    m_restart->setChecked(d.restartEachWindow);
}

QString CalibrationPanel::editorDefinition(cal::CalibrationDefinition &out) const
{
    if (m_asset == model::kNoAsset)
        return tr("No asset selected.");
    // Measured inputs, step and seed are kept from the stored definition (twinctl or the project file sets
    // them).
    out = cal::definitionForAsset(m_document.project(), assetPath()).value_or(cal::CalibrationDefinition{});
    out.asset = assetPath();
    out.parameters.clear();
    for (int r = 0; r < m_parameters->rowCount(); ++r) {
        QString text =
            cell(m_parameters, r, 0) + "=" + cell(m_parameters, r, 1) + ":" + cell(m_parameters, r, 2);
        if (!cell(m_parameters, r, 3).isEmpty())
            text += ":" + cell(m_parameters, r, 3);
        auto p = cal::parseParameterSpec(ss(text));
        if (!p)
            return tr("Parameter row %1: %2").arg(r + 1).arg(qs(p.error()));
        const QString mean = cell(m_parameters, r, 4), sd = cell(m_parameters, r, 5);
        if (!mean.isEmpty() || !sd.isEmpty()) {
            bool okMean = false, okSd = false;
            const double m = mean.toDouble(&okMean), s = sd.toDouble(&okSd);
            if (!okMean || !okSd || !(s > 0))
                return tr("Parameter row %1: a prior needs a mean and a standard deviation > 0").arg(r + 1);
            p->priorMean = m;
            p->priorSd = s;
        }
        out.parameters.push_back(*p);
    }
    out.outputs.clear();
    for (int r = 0; r < m_outputs->rowCount(); ++r) {
        if (cell(m_outputs, r, 0).isEmpty())
            continue;
        cal::OutputSpec o;
        o.twin = ss(cell(m_outputs, r, 0));
        bool ok = true;
        if (!cell(m_outputs, r, 1).isEmpty()) {
            o.sigma = cell(m_outputs, r, 1).toDouble(&ok);
            if (!ok || !(*o.sigma > 0))
                return tr("Output row %1: σ must be a number > 0 (or blank)").arg(r + 1);
        }
        o.weight = cell(m_outputs, r, 2).isEmpty() ? 1.0 : cell(m_outputs, r, 2).toDouble(&ok);
        if (!ok || !(o.weight > 0))
            return tr("Output row %1: the weight must be a number > 0").arg(r + 1);
        const auto loss = cal::lossFromName(ss(cell(m_outputs, r, 3).toLower()));
        if (!cell(m_outputs, r, 3).isEmpty() && !loss)
            return tr("Output row %1: loss \"%2\" is not squared, huber or cauchy")
                .arg(r + 1)
                .arg(cell(m_outputs, r, 3));
        o.loss = loss.value_or(cal::Loss::Squared);
        out.outputs.push_back(o);
    }
    out.windows.clear();
    out.holdout.clear();
    for (int r = 0; r < m_windows->rowCount(); ++r) {
        auto w = cal::parseWindow(ss(cell(m_windows, r, 1) + "/" + cell(m_windows, r, 2)));
        if (!w)
            return tr("Window row %1: %2").arg(r + 1).arg(qs(w.error()));
        const QString kind = cell(m_windows, r, 0).toLower();
        if (kind != "calibration" && kind != "hold-out" && kind != "holdout")
            return tr("Window row %1: kind \"%2\" is neither calibration nor hold-out").arg(r + 1).arg(kind);
        (kind == "calibration" ? out.windows : out.holdout).push_back(*w);
    }
    out.acceptance.clear();
    for (int r = 0; r < m_criteria->rowCount(); ++r) {
        if (cell(m_criteria, r, 0).isEmpty())
            continue;
        auto c = cal::parseCriterion(ss(cell(m_criteria, r, 0)));
        if (!c)
            return tr("Acceptance row %1: %2").arg(r + 1).arg(qs(c.error()));
        out.acceptance.push_back(*c);
    }
    out.method = ss(m_method->currentData().toString());
    out.restartEachWindow = m_restart->isChecked();
    return {};
}

QString CalibrationPanel::saveDefinition(bool forType)
{
    cal::CalibrationDefinition d;
    if (QString error = editorDefinition(d); !error.isEmpty()) {
        setStatus(error, true);
        return error;
    }
    const model::Asset *asset = m_document.project().graph.find(m_asset);
    std::string key = cal::definitionKey(d.asset), text = ss(tr("Edit calibration of %1").arg(qs(d.asset)));
    if (forType && asset) {
        key = cal::typeDefinitionKey(asset->typeId);
        text = ss(tr("Edit calibration of every %1").arg(qs(asset->typeId)));
        d.asset.clear();
    }
    const QString error = m_document.execute(std::make_unique<model::MetaEntryCommand>(
        m_document.project(), key, cal::definitionToJson(d), text, "no asset"));
    setStatus(error.isEmpty() ? tr("Calibration definition saved.") : error, !error.isEmpty());
    return error;
}

QString CalibrationPanel::shownEvidence() const
{
    return m_evidence->currentData().toString();
}

void CalibrationPanel::showRecord()
{
    const std::string key = ss(shownEvidence());
    const auto it = m_document.project().meta.find(key);
    const bool pending =
        it != m_document.project().meta.end() && cal::summarizeEvidence(it->second).decision == "pending";
    m_approve->setEnabled(pending);
    m_reject->setEnabled(pending);
    m_export->setEnabled(it != m_document.project().meta.end());
    if (it == m_document.project().meta.end()) {
        m_shownRecord = 0;
        m_reviewView->showMessage(
            tr("<p>No calibration run yet. Define the free parameters and the windows, then "
               "<b>Calibrate</b>; each run is kept here as evidence for review and sign-off.</p>"));
        // A sensitivity analysis may come before the first calibration.
        if (const auto only = cal::reviewFromRecord(
                cal::withSensitivity(m_document.project(), assetPath(), R"({"result": {}})"));
            only && !only->sensitivity.empty())
            m_reviewView->showSensitivity(*only);
        return;
    }
    // Rendering the report (JSON, SVG plots to images) costs: only when the shown record changed.
    const std::string record = cal::withSensitivity(m_document.project(), assetPath(), it->second);
    const std::size_t shown = std::hash<std::string>{}(key + '\n' + record);
    if (shown == m_shownRecord)
        return;
    m_shownRecord = shown;
    const auto review = cal::reviewFromRecord(record);
    auto html = cal::reportHtml(record, key);
    if (!review || !html) {
        m_reviewView->showMessage(
            tr("%1: %2").arg(qs(key), qs(!review ? review.error() : html.error())).toHtmlEscaped());
        return;
    }
    m_reviewView->showReview(*review);
    setReportHtml(*m_review->document(), *html, 1.5, std::max(480, m_review->viewport()->width() - 40));
    m_review->moveCursor(QTextCursor::Start); // the verdict and the plot first
}

void CalibrationPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? "color: #b00000" : "");
}

} // namespace twin::ui
