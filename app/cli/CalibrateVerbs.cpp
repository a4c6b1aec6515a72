// twinctl calibrate --fmu: fits an FMU's parameters to observed data straight from files. The observed CSV
// has time first and then columns named after model variables (the format fmu-run writes); the model runs in
// worker processes through the FMI plugin, finite differences in parallel.
#include "CalibrateSupport.h"
#include "FmuSupport.h"

#include "twin/formats/CsvReader.h"
#include "twin/model/calibration/CalibrationDefinition.h"
#include "twin/model/calibration/CalibrationJson.h"
#include "twin/model/calibration/Calibrator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace twin::cli {

namespace {

namespace fs = std::filesystem;
namespace cal = model::calibration;
using nlohmann::json;

const char *kUsage =
    "   or: twinctl calibrate --fmu model.fmu --data observed.csv --param NAME=LO:HI[:START]...\n"
    "         [--fit VAR[,VAR...]] [--inputs in.csv] [--start T --stop T --step H] [--set NAME=VALUE]...\n"
    "         [--window FROM/TO]... [--holdout FROM/TO]... [--method lm|global] [--seed N]\n"
    "         [--workers N] [--timeout S] [--plugins DIR] [--out fit.json]\n"
    "  Fits the free parameters (--param) so the FMU's outputs match the observed CSV (time first, then "
    "columns\n"
    "  named after model variables). --fit defaults to every model output in the CSV; start, stop and step\n"
    "  default to the data's first time, last time and spacing. Windows are model times; without --window "
    "every\n"
    "  observation outside the hold-out windows is fitted. Exit 0 when the fit converged and is "
    "identifiable,\n"
    "  1 otherwise, 2 on bad input.";

struct Window
{
    double from = 0, to = 0;
};

bool parseWindow(const std::string &text, Window &w)
{
    const auto slash = text.find('/');
    return slash != std::string::npos && parseNumber(text.substr(0, slash), w.from) &&
           parseNumber(text.substr(slash + 1), w.to) && w.from < w.to;
}

struct Observed
{
    std::vector<std::string> columns; // after time
    std::vector<double> time;
    std::vector<std::vector<double>> values; // per column; NaN where missing
};

Result<Observed> readObserved(const std::string &path)
{
    model::CsvOptions options;
    options.header = model::CsvOptions::Header::Yes;
    auto reader = model::CsvReader::open(path, options);
    if (!reader)
        return Error{reader.error()};
    if (reader->header().size() < 2)
        return Error{path + ": needs a time column and at least one observed variable"};
    Observed out;
    out.columns.assign(reader->header().begin() + 1, reader->header().end());
    out.values.resize(out.columns.size());
    std::string problem;
    const Status read = reader->read([&](const model::CsvRow &row) {
        double t = 0;
        if (model::parseNumber(row[0], t) != model::NumberStatus::Ok) {
            problem = reader->where(row.line, 0) + ": time '" + std::string(row[0]) + "' is not a number";
            return false;
        }
        if (!out.time.empty() && t < out.time.back()) {
            problem = reader->where(row.line, 0) + ": time goes backwards";
            return false;
        }
        out.time.push_back(t);
        for (std::size_t c = 0; c < out.columns.size(); ++c) {
            double v = std::nan("");
            if (model::parseNumber(row[c + 1], v) == model::NumberStatus::Invalid) {
                problem = reader->where(row.line, int(c + 1)) + ": '" + std::string(row[c + 1]) +
                          "' is not a number";
                return false;
            }
            out.values[c].push_back(v);
        }
        return true;
    });
    if (!problem.empty())
        return Error{problem};
    if (!read)
        return Error{read.error()};
    if (out.time.size() < 2)
        return Error{path + ": needs at least two data rows"};
    return out;
}

double medianSpacing(const std::vector<double> &time)
{
    std::vector<double> d;
    for (std::size_t i = 1; i < time.size(); ++i)
        if (time[i] > time[i - 1])
            d.push_back(time[i] - time[i - 1]);
    if (d.empty())
        return 0;
    std::nth_element(d.begin(), d.begin() + std::ptrdiff_t(d.size() / 2), d.end());
    return d[d.size() / 2];
}

std::vector<std::string> namesWith(const sdk::ModelInfo &info, sdk::Causality causality)
{
    std::vector<std::string> names;
    for (const auto &v : info.variables)
        if (v.causality == causality)
            names.push_back(v.name);
    return names;
}

bool inAny(const std::vector<Window> &windows, double t)
{
    return std::any_of(windows.begin(), windows.end(),
                       [t](const Window &w) { return t >= w.from && t <= w.to; });
}

struct Request
{
    std::string fmu, data, inputs, fit, out, plugins;
    std::vector<std::string> sets, params, windows, holdouts;
    std::string start, stop, step;
};

Request takeRequest(Args &args)
{
    Request q;
    q.fmu = takeOption(args, "--fmu");
    q.data = takeOption(args, "--data");
    q.inputs = takeOption(args, "--inputs");
    q.fit = takeOption(args, "--fit");
    q.out = takeOption(args, "--out");
    q.plugins = takeOption(args, "--plugins");
    q.start = takeOption(args, "--start");
    q.stop = takeOption(args, "--stop");
    q.step = takeOption(args, "--step");
    for (auto [name, list] : {std::pair{"--set", &q.sets}, std::pair{"--param", &q.params},
                              std::pair{"--window", &q.windows}, std::pair{"--holdout", &q.holdouts}})
        for (std::string v; !(v = takeOption(args, name)).empty();)
            list->push_back(v);
    return q;
}

// The problem from the request; errors are the user's (exit 2).
Result<cal::CalibrationProblem> buildProblem(const Request &q, const sdk::ModelInfo &model,
                                             const Observed &data)
{
    cal::CalibrationProblem problem;
    model::sim::SimulationJob &job = problem.job;
    job.pluginDir = pluginDirectoryOr(q.plugins);
    job.pluginId = "twin.sim-fmi";
    job.modelId = model.id;
    job.config = json{{"fmu", fs::absolute(q.fmu).string()}}.dump();
    job.label = fs::path(q.fmu).filename().string();
    job.stepName = "doStep";
    job.start = data.time.front();
    job.stop = data.time.back();
    job.step = medianSpacing(data.time);
    for (auto [text, target] :
         {std::pair{&q.start, &job.start}, std::pair{&q.stop, &job.stop}, std::pair{&q.step, &job.step}})
        if (!text->empty() && !parseNumber(*text, *target))
            return Error{"'" + *text + "' is not a number"};
    for (const auto &s : q.sets) {
        const auto eq = s.find('=');
        double v = 0;
        if (eq == std::string::npos || !parseNumber(s.substr(eq + 1), v))
            return Error{"--set " + s + ": expected NAME=NUMBER"};
        job.parameters.emplace_back(s.substr(0, eq), v);
    }
    if (!q.inputs.empty()) {
        std::string error;
        if (!readInputs(q.inputs, job.inputs, error))
            return Error{error};
    }
    for (const auto &text : q.params) {
        auto spec = cal::parseParameterSpec(text);
        if (!spec)
            return Error{spec.error()};
        cal::FreeParameter p{spec->name, spec->lower, spec->upper, 0, {}, {}};
        if (spec->start) {
            p.start = *spec->start;
        } else {
            const auto it = std::find_if(model.variables.begin(), model.variables.end(),
                                         [&](const sdk::VariableInfo &v) { return v.name == p.name; });
            const bool modelStartInside =
                it != model.variables.end() && it->start >= p.lower && it->start <= p.upper;
            p.start = modelStartInside ? it->start : 0.5 * (p.lower + p.upper);
        }
        problem.parameters.push_back(p);
    }
    return problem;
}

Status addOutputs(const Request &q, const sdk::ModelInfo &model, const Observed &data,
                  cal::CalibrationProblem &problem)
{
    const std::vector<std::string> outputs = namesWith(model, sdk::Causality::Output);
    std::vector<std::string> fit;
    if (!q.fit.empty()) {
        std::string rest = q.fit;
        for (std::size_t at; (at = rest.find(',')) != std::string::npos; rest = rest.substr(at + 1))
            fit.push_back(rest.substr(0, at));
        fit.push_back(rest);
    } else {
        for (const auto &c : data.columns)
            if (std::find(outputs.begin(), outputs.end(), c) != outputs.end())
                fit.push_back(c);
        if (fit.empty())
            return Error{q.data + ": no column is named after an output of the model (outputs: " +
                         json(outputs).dump() + ")"};
    }
    std::vector<Window> windows, holdouts;
    for (auto [texts, list] : {std::pair{&q.windows, &windows}, std::pair{&q.holdouts, &holdouts}})
        for (const auto &text : *texts) {
            Window w;
            if (!parseWindow(text, w))
                return Error{"window '" + text + "': expected FROM/TO with FROM < TO"};
            list->push_back(w);
        }
    for (const auto &name : fit) {
        const auto col = std::find(data.columns.begin(), data.columns.end(), name);
        if (col == data.columns.end())
            return Error{q.data + ": no column '" + name + "' to fit"};
        cal::FitOutput o;
        o.variable = name;
        const auto &values = data.values[std::size_t(col - data.columns.begin())];
        for (std::size_t i = 0; i < data.time.size(); ++i) {
            const double t = data.time[i];
            if (t < problem.job.start || t > problem.job.stop)
                continue;
            o.time.push_back(t);
            o.observed.push_back(values[i]);
            o.use.push_back(!std::isfinite(values[i])              ? cal::Use::Excluded
                            : inAny(holdouts, t)                   ? cal::Use::Holdout
                            : windows.empty() || inAny(windows, t) ? cal::Use::Fit
                                                                   : cal::Use::Excluded);
        }
        problem.outputs.push_back(std::move(o));
    }
    return validateProblem(problem, namesWith(model, sdk::Causality::Parameter), outputs);
}

} // namespace

std::string fixed(double v, int digits)
{
    char text[48];
    std::snprintf(text, sizeof text, "%.*g", digits, v);
    return text;
}

Report badInput(std::string error)
{
    Report r = fail("calibrate", std::move(error));
    r.badInput = true;
    return r;
}

Status takeRunOptions(Args &args, RunOptions &run)
{
    const std::string method = takeOption(args, "--method"), seed = takeOption(args, "--seed"),
                      workers = takeOption(args, "--workers"), timeout = takeOption(args, "--timeout");
    if (!method.empty() && method != "lm" && method != "global")
        return Error{"--method " + method + ": expected lm or global"};
    if (!method.empty())
        run.options.method = method == "global" ? cal::Method::Global : cal::Method::LevenbergMarquardt;
    run.methodGiven = !method.empty();
    double number = 0;
    if (!seed.empty() && !(parseNumber(seed, number) && number >= 0 && number <= 4294967295.0))
        return Error{"--seed " + seed + ": expected a non-negative whole number"};
    if (!seed.empty())
        run.options.seed = unsigned(number);
    run.seedGiven = !seed.empty();
    run.workers = int(std::max(1u, std::thread::hardware_concurrency()));
    if (!workers.empty() && !(parseNumber(workers, number) && number >= 1))
        return Error{"--workers " + workers + ": expected a number >= 1"};
    if (!workers.empty())
        run.workers = int(number);
    if (!timeout.empty() && !(parseNumber(timeout, number) && number > 0))
        return Error{"--timeout " + timeout + ": expected seconds > 0"};
    if (!timeout.empty())
        run.limits.answerSeconds = number;
    return okStatus();
}

Report describeResult(const cal::CalibrationResult &result, const std::string &out)
{
    Report r;
    r.verb = "calibrate";
    r.ok = result.converged && result.identifiable;
    r.error = !result.identifiable ? "the parameters are not identifiable from these data (see warnings)"
                                   : "the fit did not converge: " + result.message;
    r.extraJson = cal::resultJson(result);
    r.fields = {{"converged", json(result.converged).dump()},
                {"identifiable", json(result.identifiable).dump()},
                {"evaluations", std::to_string(result.evaluations)},
                {"seconds", json(result.seconds).dump()}};
    if (!out.empty())
        r.fields.emplace_back("out", jsonString(out));
    r.messages.push_back(std::string(result.converged ? "converged" : "not converged") + " (" +
                         result.method + ", " + std::to_string(result.iterations) + " iterations, " +
                         std::to_string(result.evaluations) + " model runs, " + fixed(result.seconds, 3) +
                         " s): " + result.message);
    for (const auto &p : result.parameters)
        r.messages.push_back("  " + p.name + " = " + fixed(p.value) + " +- " + fixed(p.stderror, 3) +
                             "  (95 %: " + fixed(p.ci95[0]) + " .. " + fixed(p.ci95[1]) + "; start " +
                             fixed(p.start) + ")" + (p.atBound ? " AT BOUND" : ""));
    for (const auto &o : result.outputs)
        r.messages.push_back("  " + o.variable + ": RMSE " + fixed(o.calibration.rmse, 4) + ", NRMSE " +
                             fixed(100 * o.calibration.nrmse, 3) + " %, R2 " + fixed(o.calibration.r2, 5) +
                             (o.holdout.n ? ", hold-out RMSE " + fixed(o.holdout.rmse, 4) : std::string()));
    for (const auto &w : result.warnings)
        r.messages.push_back("  warning: " + w);
    if (!out.empty())
        r.messages.push_back("written to " + out);
    return r;
}

Report verbCalibrate(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h")) {
        Report r;
        r.verb = "calibrate";
        r.messages.push_back(projectCalibrateUsage());
        r.messages.push_back(kUsage);
        return r;
    }
    if (!args.empty() && args.front().rfind("--", 0) != 0)
        return calibrateProject(args);
    RunOptions run;
    if (Status s = takeRunOptions(args, run); !s)
        return badInput(s.error());
    const Request q = takeRequest(args);
    if (!args.empty() || q.fmu.empty() || q.data.empty() || q.params.empty())
        return badInput(std::string(projectCalibrateUsage()) + "\n" + kUsage);
    // The worker process starts now, with the FMI plugin, and loads while the FMU and the data are read.
    auto ahead =
        cal::WorkerEvaluator::startAhead(run.limits, model::sim::SimulationRunner::defaultWorkerPath(),
                                         pluginDirectoryOr(q.plugins), "twin.sim-fmi");
    const auto model = describeFmu(pluginDirectoryOr(q.plugins), q.fmu);
    if (!model)
        return badInput(model.error());
    const auto data = readObserved(q.data);
    if (!data)
        return badInput(data.error());
    auto problem = buildProblem(q, *model, *data);
    if (!problem)
        return badInput(problem.error());
    if (auto s = addOutputs(q, *model, *data, *problem); !s)
        return badInput(s.error());

    cal::WorkerEvaluator evaluator(*problem, run.workers, run.limits,
                                   ::twin::model::sim::SimulationRunner::defaultWorkerPath(),
                                   std::move(ahead));
    const auto result = cal::calibrate(*problem, evaluator, run.options);
    if (!result)
        return fail("calibrate", result.error());
    if (!q.out.empty()) {
        std::ofstream file(q.out);
        file << cal::resultJson(*result) << "\n";
        if (!file)
            return fail("calibrate", q.out + ": cannot write");
    }
    return describeResult(*result, q.out);
}

} // namespace twin::cli
