#include "twin/ui/calibration/ReviewView.h"

#include "twin/ui/calibration/CorrelationMap.h"
#include "twin/ui/calibration/FitChart.h"
#include "twin/ui/calibration/TornadoChart.h"
#include "twin/ui/widgets/QtStrings.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <cmath>

namespace twin::ui {

namespace cal = model::calibration;

namespace {

const QColor kPass(23, 107, 44), kFail(176, 0, 0), kWarn(138, 90, 0);

QString num(double v, int digits = 4)
{
    return std::isfinite(v) ? QString::number(v, 'g', digits) : QString("—");
}

QString percent(double share, int digits = 3)
{
    return std::isfinite(share) ? QString::number(share * 100, 'g', digits) + " %" : QString("—");
}

QTableWidget *makeTable(QWidget *parent, const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QTableWidgetItem *cell(const QString &text, Qt::Alignment align = Qt::AlignRight | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(align);
    return item;
}

void addRow(QTableWidget *table, const QStringList &cells, const QColor &color = {}, int colored = -1)
{
    const int row = table->rowCount();
    table->insertRow(row);
    for (int c = 0; c < cells.size(); ++c) {
        QTableWidgetItem *item =
            cell(cells[c], c == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
        if (color.isValid() && (colored < 0 || colored == c)) {
            item->setForeground(color);
            QFont font = item->font();
            font.setBold(colored == c);
            item->setFont(font);
        }
        table->setItem(row, c, item);
    }
}

QString span(const QString &text, const QColor &color)
{
    return QString("<b style=\"color:%1\">%2</b>").arg(color.name(), text.toHtmlEscaped());
}

} // namespace

ReviewView::ReviewView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_verdict = new QLabel(this);
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::RichText);
    m_verdict->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_verdict);
    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs, 1);

    auto *scroll = new QScrollArea(m_tabs);
    scroll->setWidgetResizable(true);
    m_chartBox = new QWidget(scroll);
    m_chartLayout = new QVBoxLayout(m_chartBox);
    m_chartLayout->setContentsMargins(2, 2, 2, 2);
    scroll->setWidget(m_chartBox);
    m_tabs->addTab(scroll, tr("Fit"));

    m_parameters =
        makeTable(m_tabs, {tr("parameter"), tr("before"), tr("after"), tr("change"), tr("std. error"),
                           tr("rel. s.e."), tr("95 % interval"), tr("bounds"), tr("notes")});
    m_tabs->addTab(m_parameters, tr("Parameters"));

    auto *metrics = new QWidget(m_tabs);
    auto *metricsLayout = new QVBoxLayout(metrics);
    metricsLayout->setContentsMargins(0, 0, 0, 0);
    m_metrics = makeTable(metrics, {tr("output"), tr("window"), tr("n"), tr("RMSE"), tr("NRMSE"), tr("MAE"),
                                    tr("bias"), tr("max error"), tr("R²"), tr("MAPE"), tr("band coverage"),
                                    tr("lag-1 ρ")});
    m_metrics->setToolTip(tr("Each row: after calibration; the tooltip of a cell gives the value before."));
    metricsLayout->addWidget(m_metrics, 3);
    metricsLayout->addWidget(new QLabel(tr("Acceptance criteria"), metrics));
    m_criteria = makeTable(metrics, {tr("criterion"), tr("output"), tr("value"), tr("verdict"), tr("note")});
    metricsLayout->addWidget(m_criteria, 2);
    m_tabs->addTab(metrics, tr("Metrics and acceptance"));

    auto *correlation = new QWidget(m_tabs);
    auto *correlationLayout = new QVBoxLayout(correlation);
    m_correlation = new CorrelationMap(correlation);
    correlationLayout->addWidget(m_correlation, 1);
    m_identifiability = new QLabel(correlation);
    m_identifiability->setWordWrap(true);
    m_identifiability->setTextFormat(Qt::RichText);
    correlationLayout->addWidget(m_identifiability);
    m_tabs->addTab(correlation, tr("Correlation"));

    auto *sensitivity = new QScrollArea(m_tabs);
    sensitivity->setWidgetResizable(true);
    m_tornadoBox = new QWidget(sensitivity);
    m_tornadoLayout = new QVBoxLayout(m_tornadoBox);
    m_sensitivityHint = new QLabel(m_tornadoBox);
    m_sensitivityHint->setWordWrap(true);
    m_tornadoLayout->addWidget(m_sensitivityHint);
    m_sensitivity =
        makeTable(m_tornadoBox, {tr("parameter"), tr("output"), tr("method"), tr("measure"), tr("value")});
    m_sensitivity->setMinimumHeight(160);
    m_tornadoLayout->addWidget(m_sensitivity);
    sensitivity->setWidget(m_tornadoBox);
    m_tabs->addTab(sensitivity, tr("Sensitivity"));

    m_report = new QTextBrowser(m_tabs);
    m_report->setOpenLinks(false);
    m_tabs->addTab(m_report, tr("Report"));
}

void ReviewView::showMessage(const QString &html)
{
    m_verdict->setText(html);
    for (FitChart *chart : m_charts)
        chart->deleteLater();
    m_charts.clear();
    for (QTableWidget *table : {m_parameters, m_metrics, m_criteria})
        table->setRowCount(0);
    m_correlation->setMatrix({}, {});
    m_identifiability->clear();
    fillSensitivity({});
    m_report->setHtml(html);
}

void ReviewView::showReview(const cal::ReviewData &r)
{
    const QString decision = r.decision == "approved" ? span(tr("approved by %1").arg(qs(r.reviewer)), kPass)
                             : r.decision == "rejected"
                                 ? span(tr("rejected by %1").arg(qs(r.reviewer)), kFail)
                                 : span(tr("pending sign-off"), kWarn);
    m_verdict->setText(
        tr("Fit: %1 · %2 · Acceptance: %3 · Decision: %4<br><span style=\"color:#666\">%5 · %6 iterations, "
           "%7 "
           "model runs, %8 s · created %9</span>")
            .arg(r.converged ? span(tr("converged"), kPass) : span(tr("not converged"), kFail),
                 r.identifiable ? span(tr("identifiable"), kPass) : span(tr("not identifiable"), kFail),
                 !r.acceptanceDefined ? tr("no criteria")
                 : r.accepted         ? span(tr("passed"), kPass)
                                      : span(tr("FAILED"), kFail),
                 decision, qs(r.method).toHtmlEscaped(), QString::number(r.iterations))
            .arg(r.evaluations)
            .arg(r.seconds, 0, 'g', 3)
            .arg(qs(r.createdAt)) +
        (r.trigger.empty() ? QString()
                           : tr("<br><span style=\"color:#666\">Started from %1</span>")
                                 .arg(qs(r.trigger).toHtmlEscaped())));

    for (FitChart *chart : m_charts)
        chart->deleteLater();
    m_charts.clear();
    for (const cal::ReviewSeries &s : r.series) {
        auto *chart = new FitChart(m_chartBox);
        chart->setSeries(s, r.start);
        chart->setMinimumHeight(r.series.size() > 1 ? 260 : 200);
        m_chartLayout->addWidget(chart, 1);
        m_charts.push_back(chart);
    }
    fillParameters(r);
    fillMetrics(r);
    fillCorrelation(r);
    fillSensitivity(r);
}

void ReviewView::fillSensitivity(const cal::ReviewData &r)
{
    for (TornadoChart *chart : m_tornados)
        chart->deleteLater();
    m_tornados.clear();
    m_sensitivity->setRowCount(0);
    m_sensitivityHint->setText(
        r.sensitivity.empty()
            ? tr("No sensitivity analysis for this asset yet: choose a method below and press Sensitivity "
                 "(local at the calibrated values, Morris screening or Sobol indices over the bounds).")
            : tr("The response is each fitted output's mean over the calibration and hold-out windows."));
    int at = 1; // after the hint
    for (const cal::ReviewSensitivity &s : r.sensitivity) {
        auto *chart = new TornadoChart(m_tornadoBox);
        chart->setSensitivity(s);
        chart->setToolTip(
            tr("%1 model runs (%2 failed), %3 s").arg(s.runs).arg(s.failed).arg(s.seconds, 0, 'g', 3));
        m_tornadoLayout->insertWidget(at++, chart);
        m_tornados.push_back(chart);
        for (std::size_t i = 0; i < s.bars.size(); ++i) {
            addRow(m_sensitivity,
                   {qs(s.bars[i].first), qs(s.output), qs(s.method), qs(s.measure), num(s.bars[i].second)});
            if (i < s.second.size())
                addRow(m_sensitivity,
                       {qs(s.bars[i].first), qs(s.output), qs(s.method), tr("first"), num(s.second[i])});
        }
    }
}

void ReviewView::fillParameters(const cal::ReviewData &r)
{
    m_parameters->setRowCount(0);
    const auto pairs = cal::stronglyCorrelated(r);
    for (std::size_t j = 0; j < r.parameters.size(); ++j) {
        const cal::ReviewParameter &p = r.parameters[j];
        QStringList notes;
        if (p.atBound)
            notes << tr("at a bound: the optimum may lie outside");
        if (!p.informed)
            notes << tr("not informed by the data");
        for (const auto &[a, b] : pairs)
            if (a == j || b == j)
                notes << tr("|ρ| > 0.95 with %1").arg(qs(r.parameters[a == j ? b : a].name));
        const double change = p.before != 0 ? (p.after - p.before) / std::abs(p.before) : NAN;
        addRow(m_parameters,
               {qs(p.name), num(p.before, 6), num(p.after, 6), percent(change, 3), num(p.stderror, 3),
                percent(p.after != 0 ? p.stderror / std::abs(p.after) : NAN, 2),
                QString("%1 … %2").arg(num(p.ci95[0], 5), num(p.ci95[1], 5)),
                QString("%1 … %2").arg(num(p.lower), num(p.upper)), notes.join("; ")},
               notes.isEmpty() ? QColor() : kWarn, notes.isEmpty() ? -1 : 8);
    }
}

void ReviewView::fillMetrics(const cal::ReviewData &r)
{
    m_metrics->setRowCount(0);
    for (const cal::ReviewMetrics &m : r.metrics) {
        const cal::FitMetrics &a = m.after, &b = m.before;
        addRow(m_metrics, {qs(m.output), m.holdout ? tr("hold-out") : tr("calibration"), QString::number(a.n),
                           num(a.rmse), percent(a.nrmse), num(a.mae), num(a.bias), num(a.maxError), num(a.r2),
                           std::isfinite(a.mape) ? QString::number(a.mape, 'g', 3) + " %" : QString("—"),
                           a.coverage >= 0 ? percent(a.coverage) : QString("—"), num(a.lag1, 3)});
        if (b.n == 0)
            continue;
        const int row = m_metrics->rowCount() - 1;
        const double before[] = {double(b.n), b.rmse, b.nrmse, b.mae, b.bias, b.maxError, b.r2, b.mape};
        for (int c = 2; c < 10; ++c)
            m_metrics->item(row, c)->setToolTip(
                tr("before calibration: %1").arg(c == 4 ? percent(before[c - 2]) : num(before[c - 2])));
    }
    m_criteria->setRowCount(0);
    for (const cal::ReviewCriterion &c : r.criteria)
        addRow(m_criteria,
               {qs(c.text), qs(c.output), num(c.value), c.passed ? tr("PASS") : tr("FAIL"), qs(c.note)},
               c.passed ? kPass : kFail, 3);
}

void ReviewView::fillCorrelation(const cal::ReviewData &r)
{
    std::vector<std::string> names;
    for (const auto &p : r.parameters)
        names.push_back(p.name);
    m_correlation->setMatrix(names, r.correlation);
    QStringList lines;
    for (const auto &[a, b] : cal::stronglyCorrelated(r))
        lines << span(tr("%1 and %2: |ρ| = %3 — the data cannot tell them apart")
                          .arg(qs(r.parameters[a].name), qs(r.parameters[b].name))
                          .arg(std::abs(r.correlation[a * r.parameters.size() + b]), 0, 'f', 3),
                      kWarn);
    for (const auto &w : r.warnings)
        lines << qs(w).toHtmlEscaped();
    if (std::isfinite(r.conditionNumber))
        lines << tr("Condition number of JᵀJ: %1").arg(r.conditionNumber, 0, 'g', 3);
    m_identifiability->setText(lines.isEmpty() ? tr("No identifiability warnings.") : lines.join("<br>"));
}

} // namespace twin::ui
