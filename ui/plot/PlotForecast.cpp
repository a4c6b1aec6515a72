#include "twin/ui/plot/PlotForecast.h"

#include "twin/model/forecast/Forecast.h"
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/project/Project.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/plot/PlotPanel.h"
#include "twin/ui/plot/PlotWidget.h"
#include "twin/ui/widgets/PostToGui.h"

#include <QFileInfo>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QThreadPool>

namespace twin::ui {

namespace forecast = model::forecast;

struct PlotForecast::Job
{
    model::ProjectData data;
    forecast::ForecastRequest request;
    model::AssetId asset = model::kNoAsset;
    Result<forecast::Forecast> result = Error{"not run"};
};

namespace {

QString minutes(double seconds)
{
    return seconds < 120 ? QObject::tr("%1 s").arg(seconds, 0, 'f', 0)
                         : QObject::tr("%1 min").arg(seconds / 60, 0, 'f', seconds < 600 ? 1 : 0);
}

} // namespace

PlotForecast::PlotForecast(ProjectDocument &document, PlotPanel &panel)
    : QObject(&panel), m_document(document), m_panel(panel), m_button(new QPushButton(&panel)),
      m_text(new QLabel(&panel))
{
    m_button->setObjectName("plotForecast");
    m_button->setText(tr("Forecast 30 min"));
    m_button->setToolTip(
        tr("Run the selected asset's model forward from its newest data, with the uncertainty "
           "of its approved calibration, and draw the 5-95 % band"));
    m_text->setObjectName("plotForecastText");
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    panel.addSideWidget(m_button);
    panel.addSideWidget(m_text);
    connect(m_button, &QPushButton::clicked, this, [this] { start(); });
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        m_job.reset(); // a forecast of the old project is dropped when it comes back
        m_button->setEnabled(true);
        m_panel.plot()->setBands({});
        m_text->clear();
    });
}

PlotForecast::~PlotForecast() = default;

bool PlotForecast::start(double horizonSeconds)
{
    const model::Project &project = m_document.project();
    const model::AssetId asset = m_document.selection().current();
    if (m_job) {
        m_text->setText(tr("A forecast is running."));
        return false;
    }
    if (!project.graph.find(asset)) {
        m_text->setText(tr("Select an asset with a bound model to forecast it."));
        return false;
    }
    auto job = std::make_shared<Job>();
    job->data = model::captureProject(project);
    job->asset = asset;
    job->request.asset = project.graph.path(asset);
    job->request.horizonSeconds = horizonSeconds;
    job->request.runs = 100;
    job->request.pluginDir =
        m_pluginDir.isEmpty() ? model::PluginHost::defaultDirectory() : m_pluginDir.toStdString();
    job->request.workerPath = m_workerPath.toStdString();
    const QString file = m_document.filePath();
    if (!file.isEmpty())
        job->request.projectDir = QFileInfo(file).absolutePath().toStdString();
    m_job = job;
    m_button->setEnabled(false);
    m_text->setText(tr("Forecasting %1 ...").arg(QString::fromStdString(project.graph.find(asset)->name)));
    QPointer<PlotForecast> self(this);
    QThreadPool::globalInstance()->start([job, self] {
        model::Project copy;
        if (Status restored = model::restoreProject(job->data, copy); !restored)
            job->result = Error{restored.error()};
        else
            job->result = forecast::forecastAsset(copy, job->request);
        postToGui(self, [job](PlotForecast *forecast) { forecast->done(job); });
    });
    return true;
}

void PlotForecast::done(const std::shared_ptr<Job> &job)
{
    if (job != m_job)
        return; // the project was replaced meanwhile
    m_job.reset();
    m_button->setEnabled(true);
    if (!job->result) {
        m_text->setText(tr("Forecast failed: %1").arg(QString::fromStdString(job->result.error())));
        emit finished(false);
        return;
    }
    const forecast::Forecast &f = *job->result;
    std::vector<PlotBand> bands;
    std::vector<model::SignalKey> shown;
    static const QColor kBand(148, 103, 189);
    for (const forecast::Band &b : f.bands) {
        PlotBand band;
        for (double t : f.times)
            band.time.push_back(f.start + model::TimeNs(t * double(model::kNsPerSecond)));
        band.lower = b.p05;
        band.middle = b.p50;
        band.upper = b.p95;
        band.color = kBand;
        band.label = tr("%1 forecast, 5-95 % and median").arg(QString::fromStdString(b.name));
        if (const auto &store = m_document.project().history; store)
            if (const auto id = store->findSignal({job->asset, b.name}))
                if (const auto info = store->signalInfo(*id))
                    band.unit = info->unit; // drawn in the lane of its signal's unit
        bands.push_back(std::move(band));
        shown.push_back({job->asset, b.name});
    }
    m_panel.showSignals(shown);
    m_panel.plot()->setBands(std::move(bands));
    m_panel.plot()->fitAll();
    QStringList lines, brief;
    for (const forecast::TimeToThreshold &t : f.thresholds) {
        const QString limit = QStringLiteral("%1 %2 %3")
                                  .arg(QString::fromStdString(t.telemetry), t.above ? ">" : "<")
                                  .arg(t.limit);
        if (t.crossed == 0)
            lines << tr("%1 (%2): not within the horizon in any of %3 runs")
                         .arg(limit, QString::fromStdString(t.alarm))
                         .arg(f.runs);
        else
            lines << tr("%1 (%2) in %3 (5-95 %: %4 - %5, %6 of %7 runs)")
                         .arg(limit, QString::fromStdString(t.alarm), minutes(t.p50), minutes(t.p05),
                              minutes(t.p95))
                         .arg(t.crossed)
                         .arg(f.runs);
        if (t.crossed > 0)
            brief << tr("%1 in %2 (%3-%4)").arg(limit, minutes(t.p50), minutes(t.p05), minutes(t.p95));
    }
    emit thresholdsForecast(job->asset, brief.join('\n'));
    for (const forecast::Skill &s : f.skill)
        lines << tr("%1: skill vs persistence %2 (RMSE %3 vs %4)")
                     .arg(QString::fromStdString(s.name))
                     .arg(s.lift, 0, 'f', 2)
                     .arg(s.rmseForecast, 0, 'g', 3)
                     .arg(s.rmsePersistence, 0, 'g', 3);
    lines << tr("Parameters: %1").arg(QString::fromStdString(f.parameters));
    m_text->setText(lines.join('\n'));
    emit finished(true);
}

} // namespace twin::ui
