#pragma once
// The review of one calibration evidence record, as a domain expert works through it before signing off:
// a verdict line (fit, identifiability, acceptance, decision), then tabs — "Fit": each fitted output as an
// interactive overlay (observed, calibrated, before, 95 % band, windows) over its residuals; "Parameters":
// before -> after with standard error, 95 % interval, bounds and warnings; "Metrics and acceptance": every
// metric per output and window kind, before and after, and each acceptance criterion with its verdict;
// "Correlation": the heat map with the identifiability warnings; "Sensitivity": a tornado per method and
// output with the table of every measure (when a sensitivity analysis was run for the asset); "Report": the
// printable report (the HTML that Export writes).
#include "twin/model/calibration/EvidenceReview.h"

#include <QWidget>

#include <vector>

class QLabel;
class QTableWidget;
class QTabWidget;
class QTextBrowser;
class QVBoxLayout;

namespace twin::ui {

class CorrelationMap;
class FitChart;
class TornadoChart;

class ReviewView : public QWidget
{
    Q_OBJECT
public:
    explicit ReviewView(QWidget *parent = nullptr);
    // Shows a record read by reviewFromRecord (the report tab is filled by the caller, see report()).
    void showReview(const model::calibration::ReviewData &review);
    // No record, or one that cannot be read: the text in the verdict line, the tabs emptied.
    void showMessage(const QString &html);
    // Only the Sensitivity tab (an asset with a sensitivity analysis and no calibration record yet).
    void showSensitivity(const model::calibration::ReviewData &review) { fillSensitivity(review); }

    QTabWidget *tabs() const { return m_tabs; }
    QLabel *verdict() const { return m_verdict; }
    const std::vector<FitChart *> &fitCharts() const { return m_charts; }
    QTableWidget *parameterTable() const { return m_parameters; }
    QTableWidget *metricsTable() const { return m_metrics; }
    QTableWidget *criteriaTable() const { return m_criteria; }
    CorrelationMap *correlationMap() const { return m_correlation; }
    QLabel *identifiability() const { return m_identifiability; }
    const std::vector<TornadoChart *> &tornadoCharts() const { return m_tornados; }
    QTableWidget *sensitivityTable() const { return m_sensitivity; }
    QTextBrowser *report() const { return m_report; }

private:
    void fillParameters(const model::calibration::ReviewData &review);
    void fillMetrics(const model::calibration::ReviewData &review);
    void fillCorrelation(const model::calibration::ReviewData &review);
    void fillSensitivity(const model::calibration::ReviewData &review);

    QLabel *m_verdict;
    QTabWidget *m_tabs;
    QWidget *m_chartBox;
    QVBoxLayout *m_chartLayout;
    std::vector<FitChart *> m_charts;
    QTableWidget *m_parameters, *m_metrics, *m_criteria;
    CorrelationMap *m_correlation;
    QLabel *m_identifiability;
    QWidget *m_tornadoBox;
    QVBoxLayout *m_tornadoLayout;
    std::vector<TornadoChart *> m_tornados;
    QTableWidget *m_sensitivity;
    QLabel *m_sensitivityHint;
    QTextBrowser *m_report;
};

} // namespace twin::ui
