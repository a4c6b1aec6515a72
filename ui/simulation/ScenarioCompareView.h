#pragma once
// The "Compare" dock: pick two or more scenarios that have run (and optionally the observed
// telemetry of the same signal); an overlay plot of one output (a PlotWidget over a private store: each
// scenario's stored series shifted onto the first scenario's start, one colour and legend entry per scenario)
// and a KPI table (rows KPIs, columns scenarios, with the difference to the first column). Exports the plot
// as PNG or SVG and the table as CSV.
//
// Threads: GUI thread only.
#include "twin/formats/Sample.h"

#include <QStringList>
#include <QWidget>
#include <memory>

class QCheckBox;
class QComboBox;
class QListWidget;
class QTableWidget;

namespace twin::model {
class TimeSeriesStore;
}

namespace twin::ui {

class PlotWidget;
class ProjectDocument;

class ScenarioCompareView : public QWidget
{
    Q_OBJECT
public:
    explicit ScenarioCompareView(ProjectDocument &document, QWidget *parent = nullptr);
    ~ScenarioCompareView() override;

    QListWidget *scenarioList() const { return m_scenarios; } // checkable: scenarios with a stored run
    QComboBox *outputCombo() const { return m_output; }
    QCheckBox *observedCheck() const { return m_observed; }
    PlotWidget *plot() const { return m_plot; }
    QTableWidget *kpiTable() const { return m_kpis; } // Qt::UserRole: the value (double) when evaluated

    // Ticks exactly these scenarios (in this order of columns: the first is the reference).
    void setSelectedScenarios(const QStringList &names);
    QStringList selectedScenarios() const;
    void setOutput(const QString &telemetry); // e.g. "flow"
    // Re-reads scenarios, run records and the history.
    void refresh();

    // Exports; each returns an error text or empty.
    QString exportPng(const QString &path);
    QString exportSvg(const QString &path);
    QString exportKpiCsv(const QString &path) const;
    QString kpiCsv() const;

private:
    void rebuildList();
    void rebuildOutputs();
    void updateView();
    void updatePlot();
    void updateKpis();
    QString chooseFile(const QString &filter, const QString &suffix);

    ProjectDocument &m_document;
    QListWidget *m_scenarios; // Owned (child), as the widgets below.
    QComboBox *m_output;
    QCheckBox *m_observed;
    PlotWidget *m_plot;
    QTableWidget *m_kpis;
    std::shared_ptr<model::TimeSeriesStore> m_store; // the overlay's series (shifted copies)
    QStringList m_order;                             // ticked scenarios in the order they were ticked
    bool m_updating = false;
};

} // namespace twin::ui
