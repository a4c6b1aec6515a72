#include "twin/model/shadow/Shadow.h"

#include "twin/model/calibration/ProjectCalibration.h"
#include "twin/model/project/Project.h"
#include "twin/model/simrunner/SimulationRunner.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <algorithm>
#include <cmath>

namespace twin::model::shadow {

namespace {

TimeNs toNs(TimeNs origin, double seconds)
{
    return origin + TimeNs(std::llround(seconds * double(kNsPerSecond)));
}

// Linear interpolation in a run's rows (column c) at model time t; the first or last row outside them.
double sampleAt(const std::vector<std::vector<double>> &rows, std::size_t c, double t)
{
    const auto after = std::lower_bound(rows.begin(), rows.end(), t,
                                        [](const std::vector<double> &row, double v) { return row[0] < v; });
    if (after == rows.begin())
        return rows.front()[c];
    if (after == rows.end())
        return rows.back()[c];
    const auto &b = *after, &a = *(after - 1);
    if (!(b[0] > a[0]))
        return b[c];
    return a[c] + (b[c] - a[c]) * (t - a[0]) / (b[0] - a[0]);
}

} // namespace

double ShadowOutput::rmse() const
{
    double sum = 0;
    for (double r : residual)
        sum += r * r;
    return residual.empty() ? 0 : std::sqrt(sum / double(residual.size()));
}

double ShadowOutput::bias() const
{
    double sum = 0;
    for (double r : residual)
        sum += r;
    return residual.empty() ? 0 : sum / double(residual.size());
}

struct ShadowSession::Impl
{
    ShadowRequest request;
    calibration::CalibrationPlan plan;
    std::unique_ptr<sim::SimulationRunner> runner;
    double position = 0; // model seconds from the window's start reached so far
    double horizon = 0;
    std::vector<std::uint8_t> state; // what the last chunk saved
    bool started = false;
    std::size_t chunks = 0;
    std::vector<std::size_t> next; // per output: its first observation not yet compared
    std::vector<ShadowOutput> outputs;
    std::vector<std::string> warnings;

    Status runChunk(double to);
};

Status ShadowSession::Impl::runChunk(double to)
{
    sim::SimulationJob job = plan.problem.job;
    job.label = plan.scenario.assetPath;
    job.start = position;
    job.stop = to;
    job.saveStateAt = to;
    if (started)
        job.restoreState = state;
    const sim::SimulationResult run = runner->run(job);
    const std::string where = plan.scenario.assetPath + ", model time " + std::to_string(position) + " s: ";
    if (!run.ok())
        return Error{where + std::string(sim::outcomeName(run.outcome)) +
                     (run.message.empty() ? "" : ": " + run.message)};
    if (run.savedState.empty())
        return Error{where + "the model saved no state to continue from"};
    for (const std::string &w : run.warnings)
        if (std::find(warnings.begin(), warnings.end(), w) == warnings.end())
            warnings.push_back(w);
    if (run.rows.empty())
        return Error{where + "the run gave no rows"};
    std::vector<std::size_t> columns; // every output's column first: an error leaves the outputs untouched
    for (const calibration::FitOutput &o : plan.problem.outputs) {
        const auto column = std::find(run.columns.begin(), run.columns.end(), o.variable);
        if (column == run.columns.end())
            return Error{where + "the run has no output \"" + o.variable + "\""};
        columns.push_back(std::size_t(column - run.columns.begin()));
    }
    for (std::size_t k = 0; k < plan.problem.outputs.size(); ++k) {
        const calibration::FitOutput &o = plan.problem.outputs[k];
        const std::size_t c = columns[k];
        const UnitConversion &toTwin = plan.outputs[k].toTwin;
        ShadowOutput &out = outputs[k];
        for (std::size_t &i = next[k]; i < o.time.size() && o.time[i] <= to + 1e-9; ++i) {
            if (o.useOf(i) == calibration::Use::Excluded)
                continue;
            const double simulated = toTwin.apply(sampleAt(run.rows, c, o.time[i]));
            const double observed = toTwin.apply(o.observed[i]);
            out.time.push_back(toNs(request.window.from, o.time[i]));
            out.observed.push_back(observed);
            out.simulated.push_back(simulated);
            out.residual.push_back(observed - simulated);
        }
    }
    state = run.savedState;
    started = true;
    position = to;
    ++chunks;
    return okStatus();
}

ShadowSession::ShadowSession(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ShadowSession::~ShadowSession() = default;

Result<std::unique_ptr<ShadowSession>> ShadowSession::open(const Project &project,
                                                           const ShadowRequest &request)
{
    if (!(request.window.to > request.window.from))
        return Error{"shadow of " + request.asset + ": the window is empty"};
    if (!(request.chunkSeconds > 0))
        return Error{"shadow of " + request.asset + ": the chunk must be longer than 0 s"};
    calibration::CalibrationDefinition d;
    d.asset = request.asset;
    d.windows = {request.window};
    d.step = request.step;
    auto plan = calibration::planModelData(project, d, request.pluginDir, request.projectDir);
    if (!plan)
        return Error{"shadow of " + plan.error()};
    auto impl = std::make_unique<Impl>();
    impl->request = request;
    impl->plan = std::move(*plan);
    impl->horizon = impl->plan.problem.job.stop;
    impl->warnings = impl->plan.warnings;
    impl->runner = std::make_unique<sim::SimulationRunner>(
        request.workerPath.empty() ? sim::SimulationRunner::defaultWorkerPath() : request.workerPath);
    impl->runner->setReuse(true);
    impl->next.assign(impl->plan.problem.outputs.size(), 0);
    for (const auto &map : impl->plan.outputs) {
        ShadowOutput out;
        out.twin = map.column;
        out.asset = map.asset;
        out.telemetry = map.telemetry;
        out.unit = map.twinUnit;
        impl->outputs.push_back(std::move(out));
    }
    return std::unique_ptr<ShadowSession>(new ShadowSession(std::move(impl)));
}

Status ShadowSession::advanceTo(TimeNs t)
{
    Impl &s = *m_impl;
    const double target = std::min(s.horizon, double(t - s.request.window.from) / double(kNsPerSecond));
    // Chunks end on the communication grid, so that every chunk steps as an unbroken run would.
    const double step = s.plan.problem.job.step;
    const double chunk = std::max(step, std::round(s.request.chunkSeconds / step) * step);
    while (s.position < target - 1e-9) {
        double to = std::min(target, s.position + chunk);
        if (to < s.horizon - 1e-9)
            to = std::max(s.position + step, std::floor(to / step + 1e-9) * step);
        if (Status ok = s.runChunk(std::min(to, s.horizon)); !ok)
            return ok;
    }
    return okStatus();
}

TimeNs ShadowSession::position() const
{
    return toNs(m_impl->request.window.from, m_impl->position);
}

TimeNs ShadowSession::end() const
{
    return toNs(m_impl->request.window.from, m_impl->horizon);
}

std::size_t ShadowSession::chunks() const
{
    return m_impl->chunks;
}

const std::vector<ShadowOutput> &ShadowSession::outputs() const
{
    return m_impl->outputs;
}

const std::vector<std::string> &ShadowSession::warnings() const
{
    return m_impl->warnings;
}

std::size_t storeShadow(TimeSeriesStore &store, const std::vector<ShadowOutput> &outputs)
{
    std::size_t added = 0;
    for (const ShadowOutput &o : outputs)
        for (const auto &[suffix, values] :
             {std::pair{"_shadow", &o.simulated}, std::pair{"_residual", &o.residual}}) {
            const SignalId id = store.addSignal({o.asset, o.telemetry + suffix}, o.unit);
            const SignalStats held = store.stats(id);
            std::vector<Sample> samples;
            for (std::size_t i = 0; i < o.time.size(); ++i)
                if (held.count == 0 || o.time[i] > held.last) {
                    Sample s;
                    s.sourceTime = o.time[i];
                    s.value = (*values)[i];
                    samples.push_back(s);
                }
            store.append(id, samples);
            added += samples.size();
        }
    return added;
}

} // namespace twin::model::shadow
