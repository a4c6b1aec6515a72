// One simulation job in this process (see RunLoop_p.h): load, parameters and inputs, initialize, optional
// state restore, then fixed communication steps with the inputs interpolated at each step's start.
#include "RunLoop_p.h"

#include "twin/util/Hex.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

namespace twin::model::sim::detail {

namespace {

std::atomic<bool> g_cancel{false};
std::atomic<sdk::Simulator *> g_simulator{nullptr};

std::string number(double v)
{
    char text[40];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

// Linear interpolation in the input table, held constant outside it. The interval is found once per time for
// every column, going on from the last one (a run's times only grow).
class InputCursor
{
public:
    explicit InputCursor(const InputTable &table) : m_time(table.time) {}
    void seek(double t)
    {
        m_t = t;
        if (m_i > 0 && m_i <= m_time.size() && t < m_time[m_i - 1])
            m_i = 0; // went back: search again
        if (m_i == 0)
            m_i = std::size_t(std::upper_bound(m_time.begin(), m_time.end(), t) - m_time.begin());
        while (m_i < m_time.size() && m_time[m_i] <= t)
            ++m_i;
    }
    // The row whose value holds at the time sought: the last time at or before it (the first row before the
    // table's start).
    std::size_t held() const { return m_i == 0 ? 0 : std::min(m_i, m_time.size()) - 1; }
    double value(const std::vector<double> &values) const
    {
        if (m_time.empty() || values.empty())
            return 0;
        if (m_t <= m_time.front())
            return values.front();
        if (m_t >= m_time.back())
            return values.back();
        const std::size_t i = m_i; // the first time after m_t
        const double t0 = m_time[i - 1], t1 = m_time[i], v0 = values[i - 1], v1 = values[i];
        if (!(t1 > t0) || v0 == v1) // a held value needs no division (it shows in the step of a fast model)
            return v1;
        return v0 + (v1 - v0) * (m_t - t0) / (t1 - t0);
    }

private:
    const std::vector<double> &m_time;
    std::size_t m_i = 0;
    double m_t = 0;
};

class Run
{
public:
    Run(const SimulationJob &job, WorkerBeacon &beacon, RunOutput &output, double wallSeconds)
        : m_job(job), m_label(job.label.empty() ? "the model" : job.label), m_beacon(beacon),
          m_output(output), m_wallSeconds(wallSeconds)
    {
    }
    RunEnd run(PluginHost &host, std::string &hostDir);

private:
    // Phase and time only, for what a crash report names; the step's mark has beaten already.
    void note(WorkerPhase phase, double time)
    {
        m_beacon.phase.store(std::int32_t(phase), std::memory_order_relaxed);
        m_beacon.time.store(time, std::memory_order_relaxed);
    }
    void mark(WorkerPhase phase, double time)
    {
        m_beacon.phase.store(std::int32_t(phase), std::memory_order_relaxed);
        m_beacon.time.store(time, std::memory_order_relaxed);
        // Only this thread writes the count: a plain store, not a locked read-modify-write (this runs twice a
        // step, and a step of a fast model takes a hundred nanoseconds).
        m_beacon.beats.store(m_beacon.beats.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    }
    RunEnd end(const char *outcome, std::string message, double reached)
    {
        m_output.flush();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_modelStarted).count();
        return {outcome, std::move(message), reached, seconds, m_oncePerProcess};
    }
    bool overTime() // the clock read every 32 steps: steps can take microseconds
    {
        return m_wallSeconds > 0 && (++m_sinceClock & 31) == 0 &&
               std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count() >
                   m_wallSeconds;
    }
    bool read(sdk::Simulator &sim, double t, std::string &error);
    // Sets the text inputs whose held value at the cursor's time changed; false with `error` when refused.
    bool setTextInputs(sdk::Simulator &sim, std::string &error);
    bool saveIfDue(sdk::Simulator &sim, double t, std::string &error);
    RunEnd steps(sdk::Simulator &sim);

    const SimulationJob &m_job;
    const std::string m_label;
    WorkerBeacon &m_beacon;
    RunOutput &m_output;
    const double m_wallSeconds;
    const std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_modelStarted = m_started;
    bool m_oncePerProcess = false;
    unsigned m_sinceClock = 0;
    InputCursor m_inputs{m_job.inputs};
    std::vector<std::string> m_outputs;
    std::vector<double> m_values;
    std::vector<std::pair<std::string, bool>> m_textOutputs; // name, Binary (read as bytes, written as hex)
    std::vector<std::string> m_text;
    struct TextInput
    {
        std::size_t column = 0; // in m_job.inputs.textColumns
        bool binary = false;
        const std::string *last = nullptr; // the value set last (not owned: in the job's table)
    };
    std::vector<TextInput> m_textInputs;
};

bool Run::read(sdk::Simulator &sim, double t, std::string &error)
{
    note(WorkerPhase::Reading, t);
    for (std::size_t i = 0; i < m_outputs.size(); ++i) {
        if (const sdk::Status got = sim.getReal(m_outputs[i], m_values[i]); !got) {
            error = got.message();
            return false;
        }
        if (std::isnan(m_values[i])) {
            error = m_label + ": output \"" + m_outputs[i] + "\" is NaN at t=" + number(t);
            m_output.row(t, m_values);
            return false;
        }
    }
    // A text output that cannot be read is left empty with a warning (once): the numbers, which runs were
    // made for before text was read at all, still come.
    for (std::size_t i = 0; i < m_textOutputs.size(); ++i) {
        const auto &[name, binary] = m_textOutputs[i];
        std::vector<std::uint8_t> bytes;
        const sdk::Status got = binary ? sim.getBinary(name, bytes) : sim.getString(name, m_text[i]);
        if (!got) {
            m_output.warning(m_label + ": output \"" + name + "\" cannot be read (" + got.message() +
                             "); its column is left empty");
            m_text[i].clear();
        } else if (binary) {
            m_text[i] = toHex(bytes);
        }
    }
    m_output.row(t, m_values);
    if (!m_textOutputs.empty())
        m_output.textRow(m_text);
    return true;
}

bool Run::setTextInputs(sdk::Simulator &sim, std::string &error)
{
    const std::size_t row = m_inputs.held();
    for (TextInput &in : m_textInputs) {
        const auto &[name, values] = m_job.inputs.textColumns[in.column];
        if (row >= values.size() || (in.last && *in.last == values[row]))
            continue;
        const std::string &value = values[row];
        sdk::Status set = sdk::Status::ok();
        if (in.binary) {
            std::vector<std::uint8_t> bytes;
            if (!fromHex(value, bytes)) {
                error = m_label + ": input \"" + name + "\" is a Binary variable: \"" + value +
                        "\" is not hex digits";
                return false;
            }
            set = sim.setBinary(name, bytes);
        } else {
            set = sim.setString(name, value);
        }
        if (!set) {
            error = set.message();
            return false;
        }
        in.last = &value;
    }
    return true;
}

// The model's state at the job's saveStateAt, once.
bool Run::saveIfDue(sdk::Simulator &sim, double t, std::string &error)
{
    const std::optional<double> &at = m_job.saveStateAt;
    if (!at || std::fabs(t - *at) > 1e-9 * std::max(1.0, std::fabs(t)))
        return true;
    std::vector<std::uint8_t> state;
    if (const sdk::Status saved = sim.saveState(state); !saved) {
        error = m_label + ": cannot save the state at t=" + number(t) + ": " + saved.message();
        return false;
    }
    m_output.state(t, state);
    return true;
}

RunEnd Run::run(PluginHost &host, std::string &hostDir)
{
    const double start = m_job.start;
    mark(WorkerPhase::Loading, start);
    // The plugin is looked for once per worker process, not once per job (only its own file when it is
    // named after its id).
    if (m_job.pluginDir != hostDir || !host.find(m_job.pluginId)) {
        if (const Status found = host.scanFor(m_job.pluginDir, m_job.pluginId); !found)
            return end("error", found.error(), start);
        hostDir = m_job.pluginDir;
    }
    auto created = host.createSimulator(m_job.pluginId); // the first one in a process loads the plugin
    if (!created)
        return end("error", created.error(), start);
    m_modelStarted = std::chrono::steady_clock::now();
    sdk::Simulator &sim = *created.value();
    g_simulator.store(&sim);
    struct ForgetSimulator
    {
        ~ForgetSimulator() { g_simulator.store(nullptr); }
    } forget; // destroyed before the simulator
    // The model list (for every output when the job names none) only when needed: backends build or unpack
    // models to list them, which would cost every run of a calibration.
    m_outputs = m_job.outputs;
    std::vector<sdk::ModelInfo> models;
    if (m_outputs.empty() || !m_job.textOutputs.empty() || !m_job.inputs.textColumns.empty())
        models = sim.models(m_job.config);
    if (const sdk::Status loaded = sim.load(m_job.modelId, m_job.config); !loaded)
        return end("error", loaded.message(), start);
    m_oncePerProcess = sdk::hasCapability(sim.capabilities(), sdk::SimCapability::OncePerProcess);
    const bool everyOutput = m_outputs.empty();
    for (const auto &m : models)
        if (m.id == m_job.modelId || (m_job.modelId.empty() && models.size() == 1))
            for (const auto &v : m.variables) {
                const bool named = std::find(m_job.textOutputs.begin(), m_job.textOutputs.end(), v.name) !=
                                   m_job.textOutputs.end();
                if (!sdk::isNumber(v.type) &&
                    (named || (everyOutput && v.causality == sdk::Causality::Output)))
                    m_textOutputs.emplace_back(v.name, v.type == sdk::ValueType::Binary);
                else if (everyOutput && v.causality == sdk::Causality::Output)
                    m_outputs.push_back(v.name);
            }
    for (std::size_t c = 0; c < m_job.inputs.textColumns.size(); ++c) {
        const std::string &name = m_job.inputs.textColumns[c].first;
        const sdk::VariableInfo *found = nullptr;
        for (const auto &m : models)
            if (m.id == m_job.modelId || (m_job.modelId.empty() && models.size() == 1))
                for (const auto &v : m.variables)
                    if (v.name == name)
                        found = &v;
        if (!found || sdk::isNumber(found->type))
            return end("error",
                       m_label + ": input \"" + name + "\" has text values but is " +
                           (found ? std::string("a number") : std::string("not a variable of the model")),
                       start);
        m_textInputs.push_back({c, found->type == sdk::ValueType::Binary, nullptr});
    }
    for (const std::string &name : m_job.textOutputs)
        if (std::none_of(m_textOutputs.begin(), m_textOutputs.end(),
                         [&](const auto &o) { return o.first == name; }))
            return end("error", m_label + ": no String or Binary variable \"" + name + "\"", start);
    mark(WorkerPhase::Initializing, start);
    for (const auto &[name, value] : m_job.parameters)
        if (const sdk::Status set = sim.setReal(name, value); !set)
            return end("error", set.message(), start);
    for (const auto &[name, value] : m_job.textParameters)
        if (const sdk::Status set = sim.setString(name, value); !set)
            return end("error", set.message(), start);
    for (const auto &[name, value] : m_job.binaryParameters)
        if (const sdk::Status set = sim.setBinary(name, value); !set)
            return end("error", set.message(), start);
    m_inputs.seek(start);
    for (const auto &[name, values] : m_job.inputs.columns)
        if (const sdk::Status set = sim.setReal(name, m_inputs.value(values)); !set)
            return end("error", set.message(), start);
    if (std::string error; !setTextInputs(sim, error))
        return end("error", error, start);
    if (const sdk::Status init = sim.initialize(start); !init)
        return end("error", init.message(), start);
    if (!m_job.restoreState.empty())
        if (const sdk::Status restored = sim.restoreState(m_job.restoreState); !restored)
            return end("error", m_label + ": cannot continue from the saved state: " + restored.message(),
                       start);
    m_output.columns(m_outputs);
    m_values.assign(m_outputs.size(), 0);
    if (!m_textOutputs.empty()) {
        std::vector<std::string> names;
        for (const auto &o : m_textOutputs)
            names.push_back(o.first);
        m_output.textColumns(names);
        m_text.assign(names.size(), {});
    }
    std::string error;
    if (!read(sim, start, error) || !saveIfDue(sim, start, error))
        return end("error", error, start);
    return steps(sim);
}

RunEnd Run::steps(sdk::Simulator &sim)
{
    const double start = m_job.start, stop = m_job.stop, step = m_job.step;
    const long long count = std::max(0LL, (long long)std::ceil((stop - start) / step - 1e-9));
    double t = start;
    std::string error;
    for (long long i = 1; i <= count;) {
        if (g_cancel.load())
            return end("cancelled", m_label + ": cancelled at t=" + number(t), t);
        if (overTime())
            return end("timedout",
                       m_label + ": over the wall-time limit of " + number(m_wallSeconds) +
                           " s at t=" + number(t),
                       t);
        const double target = std::min(stop, start + double(i) * step);
        m_inputs.seek(t);
        for (const auto &[name, column] : m_job.inputs.columns)
            if (const sdk::Status set = sim.setReal(name, m_inputs.value(column)); !set)
                return end("error", set.message(), t);
        if (!m_textInputs.empty() && !setTextInputs(sim, error))
            return end("error", error, t);
        mark(WorkerPhase::Stepping, t);
        double reached = t;
        std::string message;
        const sdk::StepResult result = sim.step(target - t, reached, message);
        if (result == sdk::StepResult::Cancelled)
            return end("cancelled", m_label + ": cancelled at t=" + number(t), t);
        if (result == sdk::StepResult::Error)
            return end("error", message.empty() ? m_label + ": step failed" : message, t);
        if (result == sdk::StepResult::Discard) {
            read(sim, reached, error);
            return end("discarded", message, reached);
        }
        if (!message.empty())
            m_output.warning(message);
        if (!(reached > t))
            return end("error", m_label + ": the step from t=" + number(t) + " made no progress", t);
        t = reached >= target - 1e-12 * std::max(1.0, std::fabs(target)) ? target : reached;
        if (t == target)
            ++i; // an early return (t < target) steps again towards the same grid point
        if (!read(sim, t, error) || (t == target && m_job.saveStateAt && !saveIfDue(sim, t, error)))
            return end("error", error, t);
    }
    mark(WorkerPhase::Terminating, t);
    sim.terminate();
    RunEnd done = end("completed", "", t);
    mark(WorkerPhase::Finished, t);
    return done;
}

} // namespace

RunEnd runJob(const SimulationJob &job, PluginHost &host, std::string &hostDir, WorkerBeacon &beacon,
              RunOutput &output, double wallSeconds)
{
    return Run(job, beacon, output, wallSeconds).run(host, hostDir);
}

void requestCancel()
{
    g_cancel.store(true);
    if (sdk::Simulator *s = g_simulator.load())
        s->cancelRequested.store(true);
}

void clearCancel()
{
    g_cancel.store(false);
}

bool cancelRequested()
{
    return g_cancel.load();
}

} // namespace twin::model::sim::detail
