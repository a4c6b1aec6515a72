#pragma once
// Forecasts in the plot: "Forecast 30 min" under the signal list runs the selected asset's bound model
// forward from its newest data (model/forecast/Forecast.h: parameter draws from its newest approved
// calibration, inputs held) on a background thread, over a copy of the project. The result is drawn as a
// 5-95 % band with the median for each forecast telemetry, its measured signal ticked beside it, and the
// text under the button gives the time to each alarm limit of the asset's rules
// ("windingTemperature > 110 in 37 min (5-95 %: 31-44 min, 100 of 100 runs)") and the skill against
// persistence where the history covers the horizon. Child object names (tests): plotForecast,
// plotForecastText.
#include <QObject>
#include <QString>

#include <memory>

class QLabel;
class QPushButton;

namespace twin::ui {

class PlotPanel;
class ProjectDocument;

class PlotForecast : public QObject
{
    Q_OBJECT
public:
    PlotForecast(ProjectDocument &document, PlotPanel &panel);
    ~PlotForecast() override;
    void setPluginDir(const QString &dir) { m_pluginDir = dir; }
    void setWorkerPath(const QString &path) { m_workerPath = path; }
    // Starts the forecast of the selected asset; false (with the reason in text()) when it cannot.
    bool start(double horizonSeconds = 1800);
    bool running() const { return bool(m_job); }
    QPushButton *button() const { return m_button; }
    QLabel *text() const { return m_text; }

signals:
    void finished(bool ok);
    // After a forecast: the asset and its time to each alarm limit it crosses, one short line each
    // ("windingTemperature > 110 in 37 min (31-44)"), for labels elsewhere; empty when none is crossed.
    void thresholdsForecast(qulonglong asset, const QString &lines);

private:
    struct Job;
    void done(const std::shared_ptr<Job> &job);

    ProjectDocument &m_document;
    PlotPanel &m_panel;
    QPushButton *m_button;
    QLabel *m_text;
    QString m_pluginDir, m_workerPath;
    std::shared_ptr<Job> m_job;
};

} // namespace twin::ui
