// The fit that runs in the worker (WorkerFit.h): the request the caller sends, the handler in the worker and
// the reply. Request: the job's "extension" {"calibrationFit": {segments, parameters, outputs, sigmas,
// options, runWallSeconds}}, the outputs' series in the job's attachment. Reply ('P' frame): u32 length of a
// JSON header, the header (the solver's outcome and the shape of the last runs), then the last runs'
// simulated values as doubles.
#include "twin/model/calibration/WorkerFit.h"

#include "twin/model/calibration/Calibrator.h"
#include "twin/model/calibration/Residuals_p.h"
#include "twin/model/calibration/RunSampler_p.h"
#include "twin/model/calibration/Solvers_p.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <stdexcept>

namespace twin::model::calibration {

namespace {

using nlohmann::json;

// Long series travel beside the request as raw bytes (the job's attachment); the request names each by
// {"at": byte offset, "n": count}. Parsing thousands of numbers, or a long string, as JSON costs more than
// the fit of a fast model.
template <typename T> json attach(std::string &bytes, const std::vector<T> &values)
{
    const json where = {{"at", bytes.size()}, {"n", values.size()}};
    bytes.append(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(T));
    return where;
}

template <typename T> std::vector<T> attached(const std::string &bytes, const json &where)
{
    const auto at = where.at("at").get<std::size_t>(), n = where.at("n").get<std::size_t>();
    if (at > bytes.size() || n > (bytes.size() - at) / sizeof(T))
        throw std::invalid_argument("a series lies outside the job's attachment");
    std::vector<T> values(n);
    std::memcpy(values.data(), bytes.data() + at, n * sizeof(T));
    return values;
}

json requestJson(const CalibrationProblem &problem, const std::vector<double> &sigmas,
                 const CalibrationOptions &options, double runWallSeconds, std::string &attachment)
{
    json segments = json::array();
    for (const Segment &s : problem.segments)
        segments.push_back({{"start", s.start}, {"stop", s.stop}, {"parameters", s.parameters}});
    json parameters = json::array();
    for (const FreeParameter &p : problem.parameters) {
        json one = {{"name", p.name}, {"lower", p.lower}, {"upper", p.upper}, {"start", p.start}};
        if (p.priorMean && p.priorSd) {
            one["priorMean"] = *p.priorMean;
            one["priorSd"] = *p.priorSd;
        }
        parameters.push_back(std::move(one));
    }
    json outputs = json::array();
    for (const FitOutput &o : problem.outputs) {
        std::vector<std::uint8_t> use;
        for (Use u : o.use)
            use.push_back(std::uint8_t(u));
        outputs.push_back({{"variable", o.variable},
                           {"time", attach(attachment, o.time)},
                           {"observed", attach(attachment, o.observed)},
                           {"use", attach(attachment, use)},
                           {"sigma", o.sigma},
                           {"weight", o.weight},
                           {"loss", int(o.loss)},
                           {"lossScale", o.lossScale}});
    }
    return {{"calibrationFit",
             {{"segments", segments},
              {"parameters", parameters},
              {"outputs", outputs},
              {"sigmas", sigmas},
              {"options",
               {{"method", int(options.method)},
                {"maxIterations", options.maxIterations},
                {"seed", options.seed},
                {"globalEvaluations", options.globalEvaluations},
                {"localStarts", options.localStarts}}},
              {"runWallSeconds", runWallSeconds}}}};
}

CalibrationProblem problemFromRequest(const json &fit, const sim::SimulationJob &job)
{
    CalibrationProblem problem;
    problem.job = job;
    problem.job.attachment.clear(); // the runs need neither: every run copies the job
    problem.job.extension.clear();
    for (const json &s : fit.at("segments"))
        problem.segments.push_back({s.at("start").get<double>(), s.at("stop").get<double>(),
                                    s.at("parameters").get<std::vector<std::pair<std::string, double>>>()});
    for (const json &p : fit.at("parameters")) {
        FreeParameter one{p.at("name").get<std::string>(),
                          p.at("lower").get<double>(),
                          p.at("upper").get<double>(),
                          p.at("start").get<double>(),
                          {},
                          {}};
        if (p.contains("priorSd")) {
            one.priorMean = p.at("priorMean").get<double>();
            one.priorSd = p.at("priorSd").get<double>();
        }
        problem.parameters.push_back(std::move(one));
    }
    for (const json &o : fit.at("outputs")) {
        FitOutput one;
        one.variable = o.at("variable").get<std::string>();
        one.time = attached<double>(job.attachment, o.at("time"));
        one.observed = attached<double>(job.attachment, o.at("observed"));
        for (std::uint8_t u : attached<std::uint8_t>(job.attachment, o.at("use")))
            one.use.push_back(Use(u));
        one.sigma = o.at("sigma").get<double>();
        one.weight = o.at("weight").get<double>();
        one.loss = Loss(o.at("loss").get<int>());
        one.lossScale = o.at("lossScale").get<double>();
        problem.outputs.push_back(std::move(one));
    }
    return problem;
}

// Runs the problem's jobs in the worker's own process; remembers the last runs it made.
class InWorkerEvaluator final : public ModelEvaluator
{
public:
    InWorkerEvaluator(const CalibrationProblem &problem, sim::WorkerContext &context, double wallSeconds,
                      std::size_t keep)
        : m_problem(problem), m_context(context), m_wallSeconds(wallSeconds), m_keep(keep)
    {
    }
    std::vector<Evaluation> evaluate(const std::vector<std::vector<double>> &points) override
    {
        std::vector<Evaluation> out;
        for (const auto &point : points) {
            if (m_context.cancelled()) {
                out.push_back({false, true, "cancelled", {}});
                continue;
            }
            // Rows sampled as they come (no rows kept); a failed run gives its outcome, as joinSegments
            // would.
            const std::vector<sim::SimulationJob> jobs = jobsFor(m_problem, point);
            detail::RunSampler sampler(m_problem, jobs.front().outputs);
            const auto row = [&](double t, const std::vector<double> &values) { sampler.row(t, values); };
            std::optional<Evaluation> failed;
            for (const sim::SimulationJob &job : jobs)
                if (const sim::SimulationResult run = m_context.run(job, m_wallSeconds, row); !run.ok()) {
                    failed = toEvaluation(m_problem, run);
                    break;
                }
            out.push_back(failed ? std::move(*failed) : sampler.finish());
            ++m_evaluations;
            m_last.emplace_back(point, out.back());
            if (m_last.size() > m_keep)
                m_last.pop_front();
        }
        return out;
    }
    const std::deque<std::pair<std::vector<double>, Evaluation>> &last() const { return m_last; }

private:
    const CalibrationProblem &m_problem;
    sim::WorkerContext &m_context;
    double m_wallSeconds;
    std::size_t m_keep;
    std::deque<std::pair<std::vector<double>, Evaluation>> m_last;
};

std::string encodeReply(const WorkerFit &fit)
{
    json runs = json::array();
    std::vector<double> values;
    for (const auto &[point, e] : fit.lastRuns) {
        std::vector<std::size_t> sizes;
        for (const auto &o : e.outputs) {
            sizes.push_back(o.size());
            values.insert(values.end(), o.begin(), o.end());
        }
        runs.push_back(
            {{"point", point}, {"ok", e.ok}, {"fatal", e.fatal}, {"message", e.message}, {"sizes", sizes}});
    }
    const json header = {{"startFailed", fit.startFailed},
                         {"fatal", fit.fatal},
                         {"failure", fit.failure},
                         {"x", fit.x},
                         {"converged", fit.converged},
                         {"stopped", fit.stopped},
                         {"iterations", fit.iterations},
                         {"initialCost", fit.initialCost},
                         {"message", fit.message},
                         {"evaluations", fit.evaluations},
                         {"runs", runs}};
    const std::string text = header.dump(-1, ' ', false, json::error_handler_t::replace);
    std::string reply(4, '\0');
    const auto n = std::uint32_t(text.size());
    std::memcpy(reply.data(), &n, 4);
    reply += text;
    reply.append(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(double));
    return reply;
}

std::optional<WorkerFit> decodeReply(const std::string &reply)
{
    std::uint32_t n = 0;
    if (reply.size() < 4)
        return std::nullopt;
    std::memcpy(&n, reply.data(), 4);
    if (reply.size() < 4 + std::size_t(n))
        return std::nullopt;
    const json header = json::parse(reply.substr(4, n), nullptr, false);
    if (!header.is_object())
        return std::nullopt;
    WorkerFit fit;
    try {
        fit.startFailed = header.at("startFailed").get<bool>();
        fit.fatal = header.at("fatal").get<bool>();
        fit.failure = header.at("failure").get<std::string>();
        fit.x = header.at("x").get<std::vector<double>>();
        fit.converged = header.at("converged").get<bool>();
        fit.stopped = header.at("stopped").get<bool>();
        fit.iterations = header.at("iterations").get<int>();
        fit.initialCost = header.at("initialCost").get<double>();
        fit.message = header.at("message").get<std::string>();
        fit.evaluations = header.at("evaluations").get<std::size_t>();
        const char *values = reply.data() + 4 + n;
        std::size_t left = (reply.size() - 4 - n) / sizeof(double);
        for (const json &run : header.at("runs")) {
            Evaluation e{run.at("ok").get<bool>(),
                         run.at("fatal").get<bool>(),
                         run.at("message").get<std::string>(),
                         {}};
            for (std::size_t size : run.at("sizes").get<std::vector<std::size_t>>()) {
                if (size > left)
                    return std::nullopt;
                std::vector<double> &o = e.outputs.emplace_back(size);
                std::memcpy(o.data(), values, size * sizeof(double));
                values += size * sizeof(double);
                left -= size;
            }
            fit.lastRuns.emplace_back(run.at("point").get<std::vector<double>>(), std::move(e));
        }
    } catch (const json::exception &) {
        return std::nullopt;
    }
    return fit;
}

} // namespace

std::string serveWorkerFit(const json &extension, const sim::SimulationJob &job, sim::WorkerContext &context,
                           std::string &reply)
{
    const auto request = extension.find("calibrationFit");
    if (request == extension.end())
        return "the fit worker got a job it does not know";
    const CalibrationProblem problem = problemFromRequest(*request, job);
    const std::vector<double> sigmas = request->at("sigmas").get<std::vector<double>>();
    const json &o = request->at("options");
    CalibrationOptions options;
    options.method = Method(o.at("method").get<int>());
    options.maxIterations = o.at("maxIterations").get<int>();
    options.seed = o.at("seed").get<unsigned>();
    options.globalEvaluations = o.at("globalEvaluations").get<int>();
    options.localStarts = o.at("localStarts").get<int>();
    options.progress = [&](const CalibrationProgress &p) {
        context.send(json{{"type", "progress"},
                          {"iteration", p.iteration},
                          {"cost", p.cost},
                          {"evaluations", p.evaluations}}
                         .dump());
        return !context.cancelled();
    };
    // Twice a Jacobian's runs: those at the optimum are among them however the solver ended.
    InWorkerEvaluator evaluator(problem, context, request->at("runWallSeconds").get<double>(),
                                2 * (problem.parameters.size() + 2));
    detail::Residuals residuals(problem, sigmas, evaluator);
    std::vector<double> start;
    for (const auto &p : problem.parameters)
        start.push_back(p.start);
    WorkerFit fit;
    if (!residuals.evaluate(start)) {
        fit.startFailed = true;
        fit.fatal = residuals.fatal();
        fit.failure = residuals.failure();
    } else {
        const detail::SolveOutcome solved = options.method == Method::Global
                                                ? detail::solveGlobal(residuals, problem, options, start)
                                                : detail::solveLocal(residuals, problem, options, start);
        fit.x = solved.x;
        fit.converged = solved.converged;
        fit.stopped = solved.stopped;
        fit.iterations = solved.iterations;
        fit.initialCost = solved.initialCost;
        fit.message = solved.message;
        if (!residuals.fatal() && !solved.stopped)
            (void)residuals.evaluateWithJacobian(solved.x); // usually known already
        fit.fatal = residuals.fatal();
        fit.failure = residuals.failure();
        fit.stopped = fit.stopped || context.cancelled();
    }
    fit.evaluations = evaluator.evaluations();
    // Only the runs the caller's Jacobian at x will ask for: x itself and the points one step from it in one
    // coordinate (a run it asks for that is not here is simply run again).
    for (const auto &[point, e] : evaluator.last()) {
        std::size_t differ = 0;
        for (std::size_t j = 0; j < point.size() && j < fit.x.size(); ++j)
            differ += point[j] != fit.x[j];
        if (point.size() == fit.x.size() && differ <= 1)
            fit.lastRuns.emplace_back(point, e);
    }
    reply = encodeReply(fit);
    return {};
}

WorkerFit WorkerEvaluator::fitInWorker(const std::vector<double> &sigmas, const CalibrationOptions &options)
{
    WorkerFit failed;
    failed.fatal = true;
    if (m_fitWorkerPath.empty()) {
        failed.failure = "no fit worker (twin-fitworker) beside " + m_workerPath;
        return failed;
    }
    sim::SimulationJob job = m_problem.job;
    job.extension = requestJson(m_problem, sigmas, options, m_limits.wallSeconds, job.attachment).dump();
    // The whole fit is one job: the run limit applies to each model run inside it; a hang is still caught
    // by the answer limit (every model call beats the beacon).
    sim::RunLimits limits = m_limits;
    limits.wallSeconds = std::numeric_limits<double>::max();
    sim::SimulationRunner &fitRunner = runner(0);
    auto message = [&](const std::string &text) {
        const json m = json::parse(text, nullptr, false);
        if (!options.progress || !m.is_object() || m.value("type", "") != "progress")
            return;
        CalibrationProgress p{m.value("iteration", 0), m.value("cost", 0.0),
                              m.value("evaluations", std::size_t(0))};
        if (!options.progress(p))
            fitRunner.cancel();
    };
    const sim::SimulationResult run = fitRunner.run(job, limits, {}, message);
    if (!run.ok()) {
        failed.failure =
            std::string(sim::outcomeName(run.outcome)) + (run.message.empty() ? "" : ": ") + run.message;
        failed.stopped = run.outcome == sim::RunOutcome::Cancelled;
        return failed;
    }
    std::optional<WorkerFit> fit = decodeReply(run.reply);
    if (!fit) {
        failed.failure = "the fit worker sent a malformed reply";
        return failed;
    }
    m_evaluations += fit->evaluations;
    m_known = fit->lastRuns;
    return std::move(*fit);
}

void warmUpFitWorker()
{
    constexpr std::size_t kPages = 16
                                   << 20; // bytes: more than the buffers of a fit of a few thousand residuals
    if (void *pages = std::malloc(kPages)) {
        std::memset(pages, 1, kPages);
        asm volatile("" : : "r"(pages) : "memory"); // the pages are written, not optimized away
        std::free(pages);
    }
    // y = a exp(-t / b) + c with a small ripple for noise, fitted from a start away from (2, 10, 0.5).
    CalibrationProblem problem;
    problem.job.start = 0;
    problem.job.stop = 60;
    problem.job.step = 1;
    problem.parameters = {{"a", 0.1, 10, 1, {}, {}}, {"b", 1, 100, 5, {}, {}}, {"c", -5, 5, 0, {}, {}}};
    FitOutput y;
    y.variable = "y";
    for (int t = 1; t <= 60; ++t) {
        y.time.push_back(t);
        y.observed.push_back(2 * std::exp(-t / 10.0) + 0.5 + 0.01 * std::sin(7.0 * t));
    }
    problem.outputs.push_back(y);
    FunctionEvaluator model([&](const std::vector<double> &p) {
        Evaluation e;
        e.ok = true;
        e.outputs.emplace_back();
        for (double t : problem.outputs[0].time)
            e.outputs[0].push_back(p[0] * std::exp(-t / p[1]) + p[2]);
        return e;
    });
    (void)calibrate(problem, model);
}

} // namespace twin::model::calibration
