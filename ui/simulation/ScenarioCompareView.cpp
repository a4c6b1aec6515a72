#include "twin/ui/simulation/ScenarioCompareView.h"
#include "twin/ui/widgets/QtStrings.h"

#include "twin/model/scenario/Scenario.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/plot/PlotWidget.h"

#include <nlohmann/json.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>
#include <set>

namespace twin::ui {

namespace {
using namespace model::scenario;
using nlohmann::json;

const QColor kColors[] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},   {214, 39, 40},
                          {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {23, 190, 207}};

// What the compare view needs of one scenario's last stored run.
struct RunInfo
{
    QString name;
    model::AssetId asset = model::kNoAsset;
    std::string prefix; // "scenario:<name>/" (or "@n/" for reruns)
    model::TimeNs startAt = 0;
    double horizon = 0;
    json kpis = json::object();
    std::vector<Kpi> definitions;
};

std::optional<RunInfo> runInfo(const model::Project &project, const QString &name)
{
    const std::string record = scenarioRunRecord(project, name.toStdString());
    const json rec = json::parse(record.empty() ? "null" : record, nullptr, false);
    if (!rec.is_object() || !rec.contains("signalPrefix"))
        return std::nullopt;
    RunInfo info;
    info.name = name;
    info.prefix = rec.value("signalPrefix", "");
    info.asset = findAssetByPath(project, rec.value("target", ""));
    info.startAt = rec.value("startAt", model::TimeNs(0));
    if (rec.contains("kpis") && rec["kpis"].is_object())
        info.kpis = rec["kpis"];
    if (const auto def = findScenario(project, name.toStdString())) {
        info.horizon = def->horizon;
        info.definitions = def->kpis;
    }
    return info;
}

QString number(double v)
{
    return QString::number(v, 'g', 6);
}
} // namespace

ScenarioCompareView::ScenarioCompareView(ProjectDocument &document, QWidget *parent)
    : QWidget(parent), m_document(document), m_store(std::make_shared<model::TimeSeriesStore>())
{
    m_scenarios = new QListWidget(this);
    m_scenarios->setToolTip(tr("Tick two or more scenarios; the first ticked is the reference column."));
    m_output = new QComboBox(this);
    m_observed = new QCheckBox(tr("Observed telemetry"), this);
    m_plot = new PlotWidget(this);
    m_plot->setMinimumHeight(160);
    m_kpis = new QTableWidget(this);
    m_kpis->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_kpis->verticalHeader()->hide();

    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(new QLabel(tr("Scenarios"), side));
    sideLayout->addWidget(m_scenarios, 1);
    sideLayout->addWidget(new QLabel(tr("Output"), side));
    sideLayout->addWidget(m_output);
    sideLayout->addWidget(m_observed);
    auto *exports = new QHBoxLayout;
    auto addButton = [&](const QString &text, auto slot) {
        auto *b = new QPushButton(text, side);
        exports->addWidget(b);
        connect(b, &QPushButton::clicked, this, slot);
    };
    addButton(tr("PNG…"), [this] {
        if (const QString p = chooseFile(tr("PNG image (*.png)"), "png"); !p.isEmpty())
            exportPng(p);
    });
    addButton(tr("SVG…"), [this] {
        if (const QString p = chooseFile(tr("SVG image (*.svg)"), "svg"); !p.isEmpty())
            exportSvg(p);
    });
    addButton(tr("KPIs CSV…"), [this] {
        if (const QString p = chooseFile(tr("CSV (*.csv)"), "csv"); !p.isEmpty())
            exportKpiCsv(p);
    });
    sideLayout->addWidget(new QLabel(tr("Export"), side));
    sideLayout->addLayout(exports);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_plot);
    right->addWidget(m_kpis);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(side);
    split->addWidget(right);
    split->setStretchFactor(1, 4);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);

    connect(m_scenarios, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (m_updating)
            return;
        m_order.removeAll(item->text());
        if (item->checkState() == Qt::Checked)
            m_order << item->text();
        rebuildOutputs();
        updateView();
    });
    connect(m_output, &QComboBox::currentTextChanged, this, [this] {
        if (!m_updating)
            updatePlot();
    });
    connect(m_observed, &QCheckBox::toggled, this, &ScenarioCompareView::updatePlot);
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        m_order.clear();
        refresh();
    });
    connect(&document, &ProjectDocument::historyChanged, this, &ScenarioCompareView::refresh);
    refresh();
}

ScenarioCompareView::~ScenarioCompareView() = default;

void ScenarioCompareView::refresh()
{
    rebuildList();
    rebuildOutputs();
    updateView();
}

void ScenarioCompareView::rebuildList()
{
    m_updating = true;
    m_scenarios->clear();
    QStringList kept;
    for (const std::string &name : scenarioNames(m_document.project())) {
        if (!runInfo(m_document.project(), qs(name)))
            continue;
        auto *item = new QListWidgetItem(qs(name), m_scenarios);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(m_order.contains(qs(name)) ? Qt::Checked : Qt::Unchecked);
        if (m_order.contains(qs(name)))
            kept << qs(name);
    }
    QStringList order;
    for (const QString &n : m_order)
        if (kept.contains(n))
            order << n;
    m_order = order;
    m_updating = false;
}

void ScenarioCompareView::setSelectedScenarios(const QStringList &names)
{
    m_order.clear();
    for (const QString &n : names)
        if (!m_order.contains(n))
            m_order << n;
    refresh();
}

QStringList ScenarioCompareView::selectedScenarios() const
{
    return m_order;
}

void ScenarioCompareView::setOutput(const QString &telemetry)
{
    m_output->setCurrentText(telemetry);
    updatePlot();
}

// The outputs every ticked scenario stored (telemetry names after the run's signal prefix).
void ScenarioCompareView::rebuildOutputs()
{
    const model::Project &project = m_document.project();
    std::set<std::string> outputs;
    if (project.history)
        for (const QString &name : m_order)
            if (const auto info = runInfo(project, name))
                for (const model::SignalInfo &s : project.history->allSignals())
                    if (s.key.asset == info->asset && s.key.telemetry.rfind(info->prefix, 0) == 0)
                        outputs.insert(s.key.telemetry.substr(info->prefix.size()));
    const QString current = m_output->currentText();
    m_updating = true;
    m_output->clear();
    for (const std::string &o : outputs)
        m_output->addItem(qs(o));
    const QString wanted = !current.isEmpty() && m_output->findText(current) >= 0 ? current
                           : m_output->findText("flow") >= 0                      ? QStringLiteral("flow")
                                                                                  : QString();
    if (!wanted.isEmpty())
        m_output->setCurrentText(wanted);
    m_updating = false;
}

void ScenarioCompareView::updateView()
{
    updatePlot();
    updateKpis();
}

void ScenarioCompareView::updatePlot()
{
    const model::Project &project = m_document.project();
    m_store = std::make_shared<model::TimeSeriesStore>();
    std::vector<PlotSeries> series;
    const std::string output = m_output->currentText().toStdString();
    std::optional<RunInfo> first;
    for (const QString &name : m_order) {
        const auto info = runInfo(project, name);
        if (!info || !project.history || output.empty())
            continue;
        if (!first)
            first = info;
        const auto id = project.history->findSignal({info->asset, info->prefix + output});
        if (!id)
            continue;
        const auto unit = project.history->signalInfo(*id) ? project.history->signalInfo(*id)->unit : "";
        auto samples = project.history->range(*id, std::numeric_limits<model::TimeNs>::min(),
                                              std::numeric_limits<model::TimeNs>::max());
        for (model::Sample &s : samples) // onto the reference's start: runs from other states line up
            s.sourceTime += first->startAt - info->startAt;
        const auto local = m_store->addSignal({std::uint64_t(series.size() + 1), name.toStdString()}, unit);
        m_store->append(local, samples);
        series.push_back({local, name, unit, kColors[series.size() % std::size(kColors)]});
    }
    if (first && m_observed->isChecked() && project.history) {
        if (const auto id = project.history->findSignal({first->asset, output})) {
            const auto end = first->startAt + model::TimeNs(std::llround(first->horizon * 1e9));
            const auto samples = project.history->range(*id, first->startAt, end + 1);
            const auto unit = project.history->signalInfo(*id) ? project.history->signalInfo(*id)->unit : "";
            const auto local = m_store->addSignal({0, "observed"}, unit);
            m_store->append(local, samples);
            series.push_back({local, tr("observed"), unit, QColor(90, 90, 90)});
        }
    }
    m_plot->setStore(m_store);
    m_plot->setSeries(series);
    m_plot->fitAll();
}

void ScenarioCompareView::updateKpis()
{
    const model::Project &project = m_document.project();
    std::vector<RunInfo> runs;
    for (const QString &name : m_order)
        if (auto info = runInfo(project, name))
            runs.push_back(*info);
    QStringList kpiNames, units;
    for (const RunInfo &r : runs) {
        for (const Kpi &k : r.definitions)
            if (!kpiNames.contains(qs(k.name))) {
                kpiNames << qs(k.name);
                units << qs(k.unit);
            }
        for (const auto &[k, v] : r.kpis.items())
            if (!kpiNames.contains(qs(k))) {
                kpiNames << qs(k);
                units << QString();
            }
    }
    m_kpis->clear();
    m_kpis->setRowCount(int(kpiNames.size()));
    m_kpis->setColumnCount(int(runs.size()) + 1);
    QStringList headers = {tr("KPI")};
    for (const RunInfo &r : runs)
        headers << r.name;
    m_kpis->setHorizontalHeaderLabels(headers);
    for (int row = 0; row < kpiNames.size(); ++row) {
        auto *label = new QTableWidgetItem(
            units[row].isEmpty() ? kpiNames[row] : QStringLiteral("%1 [%2]").arg(kpiNames[row], units[row]));
        label->setData(Qt::UserRole, kpiNames[row]);
        m_kpis->setItem(row, 0, label);
        std::optional<double> reference;
        for (int c = 0; c < int(runs.size()); ++c) {
            const json &v = runs[c].kpis.contains(kpiNames[row].toStdString())
                                ? runs[c].kpis[kpiNames[row].toStdString()]
                                : json();
            auto *item = new QTableWidgetItem;
            if (v.is_number()) {
                const double value = v.get<double>();
                QString text = number(value);
                if (c == 0)
                    reference = value;
                else if (reference)
                    text += QStringLiteral("  (Δ %1%2)")
                                .arg(value >= *reference ? "+" : "")
                                .arg(number(value - *reference));
                item->setText(text);
                item->setData(Qt::UserRole, value);
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            } else {
                item->setText(v.is_null() ? tr("—") : qs(v.is_string() ? v.get<std::string>() : v.dump()));
                item->setForeground(QColor(198, 40, 40));
            }
            m_kpis->setItem(row, c + 1, item);
        }
    }
    m_kpis->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_kpis->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
}

QString ScenarioCompareView::chooseFile(const QString &filter, const QString &suffix)
{
    QString path = QFileDialog::getSaveFileName(this, tr("Export comparison"), {}, filter);
    if (!path.isEmpty() && !path.endsWith('.' + suffix))
        path += '.' + suffix;
    return path;
}

QString ScenarioCompareView::exportPng(const QString &path)
{
    return m_plot->grab().save(path, "PNG") ? QString() : tr("Could not write %1").arg(path);
}

QString ScenarioCompareView::exportSvg(const QString &path)
{
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(m_plot->size());
    svg.setViewBox(QRect(QPoint(0, 0), m_plot->size()));
    svg.setTitle(tr("Scenario comparison: %1").arg(m_order.join(QStringLiteral(", "))));
    QPainter painter;
    if (!painter.begin(&svg))
        return tr("Could not write %1").arg(path);
    m_plot->render(&painter);
    painter.end();
    return QFile(path).size() > 0 ? QString() : tr("Could not write %1").arg(path);
}

QString ScenarioCompareView::kpiCsv() const
{
    auto quote = [](QString s) {
        return s.contains(',') || s.contains('"') ? '"' + s.replace('"', "\"\"") + '"' : s;
    };
    QStringList header = {QStringLiteral("kpi")};
    for (int c = 1; c < m_kpis->columnCount(); ++c) {
        header << quote(m_kpis->horizontalHeaderItem(c)->text());
        if (c > 1)
            header << quote(m_kpis->horizontalHeaderItem(c)->text() + " - " +
                            m_kpis->horizontalHeaderItem(1)->text());
    }
    QString out = header.join(',') + '\n';
    for (int row = 0; row < m_kpis->rowCount(); ++row) {
        QStringList line = {quote(m_kpis->item(row, 0)->text())};
        const QVariant reference =
            m_kpis->item(row, 1) ? m_kpis->item(row, 1)->data(Qt::UserRole) : QVariant();
        for (int c = 1; c < m_kpis->columnCount(); ++c) {
            const QVariant v = m_kpis->item(row, c)->data(Qt::UserRole);
            line << (v.isValid() ? number(v.toDouble()) : quote(m_kpis->item(row, c)->text()));
            if (c > 1)
                line << (v.isValid() && reference.isValid() ? number(v.toDouble() - reference.toDouble())
                                                            : QString());
        }
        out += line.join(',') + '\n';
    }
    return out;
}

QString ScenarioCompareView::exportKpiCsv(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return tr("Could not write %1: %2").arg(path, file.errorString());
    file.write(kpiCsv().toUtf8());
    return {};
}

} // namespace twin::ui
