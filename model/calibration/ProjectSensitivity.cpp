#include "twin/model/calibration/ProjectSensitivity.h"

#include "twin/model/calibration/Evidence.h"
#include "twin/model/calibration/Sensitivity.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <map>
#include <mutex>

namespace twin::model::calibration {

namespace {
using nlohmann::json;

json number(double v)
{
    return std::isfinite(v) ? json(v) : json();
}

// Mean of each output over its scored observations, in twin units; NaN when the run failed.
std::vector<double> responses(const CalibrationPlan &plan, const Evaluation &e)
{
    std::vector<double> out(plan.problem.outputs.size(), NAN);
    if (!e.ok)
        return out;
    for (std::size_t k = 0; k < out.size() && k < e.outputs.size(); ++k) {
        const FitOutput &o = plan.problem.outputs[k];
        double sum = 0;
        std::size_t n = 0;
        for (std::size_t i = 0; i < o.time.size() && i < e.outputs[k].size(); ++i)
            if (o.useOf(i) != Use::Excluded && std::isfinite(e.outputs[k][i])) {
                sum += e.outputs[k][i];
                ++n;
            }
        out[k] = n ? plan.outputs[k].toTwin.apply(sum / double(n)) : NAN;
    }
    return out;
}

// Simulates each point once for all outputs: later outputs reuse the runs of the first.
class DesignCache
{
public:
    DesignCache(const CalibrationPlan &plan, ModelEvaluator &evaluator) : m_plan(plan), m_evaluator(evaluator)
    {
    }
    BatchModel modelOf(std::size_t output)
    {
        return [this, output](const std::vector<std::vector<double>> &points) {
            std::vector<std::vector<double>> missing;
            for (const auto &p : points)
                if (!m_cache.count(p))
                    missing.push_back(p);
            if (!missing.empty()) {
                const auto runs = m_evaluator.evaluate(missing);
                for (std::size_t i = 0; i < missing.size(); ++i) {
                    if (runs[i].fatal && m_fatal.empty())
                        m_fatal = runs[i].message;
                    m_cache[missing[i]] = responses(m_plan, runs[i]);
                    ++m_runs;
                }
            }
            std::vector<double> out;
            for (const auto &p : points)
                out.push_back(m_cache[p][output]);
            return out;
        };
    }
    std::size_t runs() const { return m_runs; }
    const std::string &fatal() const { return m_fatal; }

private:
    const CalibrationPlan &m_plan;
    ModelEvaluator &m_evaluator;
    std::map<std::vector<double>, std::vector<double>> m_cache;
    std::size_t m_runs = 0;
    std::string m_fatal;
};

std::vector<SensitivityParameter> ranges(const CalibrationPlan &plan)
{
    std::vector<SensitivityParameter> out;
    for (const auto &p : plan.problem.parameters)
        out.push_back({p.name, p.lower, p.upper});
    return out;
}

Status local(const CalibrationPlan &plan, ModelEvaluator &evaluator, std::vector<double> point, json &result)
{
    const std::size_t p = plan.problem.parameters.size();
    if (point.empty())
        for (const auto &fp : plan.problem.parameters)
            point.push_back(fp.start);
    std::vector<std::vector<double>> points{point};
    std::vector<double> steps;
    for (std::size_t j = 0; j < p; ++j) {
        const auto &fp = plan.problem.parameters[j];
        double h = 1e-4 * std::max(std::abs(point[j]), 1e-3 * (fp.upper - fp.lower));
        if (point[j] + h > fp.upper)
            h = -h; // step inside the bounds
        std::vector<double> q = point;
        q[j] += h;
        points.push_back(q);
        steps.push_back(h);
    }
    const auto runs = evaluator.evaluate(points);
    for (const auto &r : runs)
        if (!r.ok)
            return Error{"local sensitivity: the model failed at the point or a step: " + r.message};
    const std::vector<double> base = responses(plan, runs[0]);
    result["point"] = json::object();
    for (std::size_t j = 0; j < p; ++j)
        result["point"][plan.problem.parameters[j].name] = point[j];
    for (std::size_t k = 0; k < plan.outputs.size(); ++k) {
        json list = json::array();
        for (std::size_t j = 0; j < p; ++j) {
            const double d = (responses(plan, runs[j + 1])[k] - base[k]) / steps[j];
            const double normalized = base[k] != 0 ? d * point[j] / base[k] : NAN;
            list.push_back({{"parameter", plan.problem.parameters[j].name},
                            {"derivative", number(d)},
                            {"normalized", number(normalized)}});
            result["rows"].push_back({{"parameter", plan.problem.parameters[j].name},
                                      {"output", plan.outputs[k].column},
                                      {"measure", "normalized"},
                                      {"value", number(normalized)}});
        }
        result["outputs"][plan.outputs[k].column] = list;
    }
    result["runs"] = points.size();
    result["failed"] = 0;
    return okStatus();
}

Status global(const CalibrationPlan &plan, ModelEvaluator &evaluator, const SensitivityRequest &request,
              json &result)
{
    DesignCache cache(plan, evaluator);
    SensitivityRuns runs;
    std::size_t failed = 0;
    for (std::size_t k = 0; k < plan.outputs.size(); ++k) {
        json list = json::array();
        const std::string &twin = plan.outputs[k].column;
        if (request.method == "morris") {
            MorrisOptions o;
            o.trajectories = request.samples > 0 ? request.samples : 20;
            o.seed = request.seed;
            auto indices = morrisScreening(ranges(plan), cache.modelOf(k), o, &runs);
            if (!cache.fatal().empty())
                return Error{"sensitivity stopped: " + cache.fatal()};
            if (!indices)
                return Error{twin + ": " + indices.error()};
            for (const auto &i : *indices) {
                list.push_back({{"parameter", i.name},
                                {"muStar", number(i.muStar)},
                                {"mu", number(i.mu)},
                                {"sigma", number(i.sigma)}});
                result["rows"].push_back({{"parameter", i.name},
                                          {"output", twin},
                                          {"measure", "mu*"},
                                          {"value", number(i.muStar)}});
            }
        } else {
            SobolOptions o;
            o.samples = request.samples > 0 ? request.samples : 256;
            o.seed = request.seed;
            auto indices = sobolIndices(ranges(plan), cache.modelOf(k), o, &runs);
            if (!cache.fatal().empty())
                return Error{"sensitivity stopped: " + cache.fatal()};
            if (!indices)
                return Error{twin + ": " + indices.error()};
            for (const auto &i : *indices) {
                list.push_back({{"parameter", i.name},
                                {"first", number(i.first)},
                                {"total", number(i.total)},
                                {"firstCi", {number(i.firstCi[0]), number(i.firstCi[1])}},
                                {"totalCi", {number(i.totalCi[0]), number(i.totalCi[1])}}});
                result["rows"].push_back({{"parameter", i.name},
                                          {"output", twin},
                                          {"measure", "first"},
                                          {"value", number(i.first)}});
                result["rows"].push_back({{"parameter", i.name},
                                          {"output", twin},
                                          {"measure", "total"},
                                          {"value", number(i.total)}});
            }
        }
        failed = std::max(failed, runs.failed);
        result["outputs"][twin] = list;
    }
    result["runs"] = cache.runs();
    result["failed"] = failed;
    return okStatus();
}
} // namespace

Result<std::string> projectSensitivity(const CalibrationPlan &plan, ModelEvaluator &evaluator,
                                       const SensitivityRequest &request, const std::vector<double> &point)
{
    if (request.method != "local" && request.method != "morris" && request.method != "sobol")
        return Error{"sensitivity method \"" + request.method + "\" is not local, morris or sobol"};
    if (!point.empty() && point.size() != plan.problem.parameters.size())
        return Error{"sensitivity: the point has " + std::to_string(point.size()) + " values for " +
                     std::to_string(plan.problem.parameters.size()) + " parameters"};
    const auto started = std::chrono::steady_clock::now();
    json result = {{"method", request.method},
                   {"asset", plan.definition.asset},
                   {"outputs", json::object()},
                   {"rows", json::array()},
                   {"seed", request.seed}};
    const Status ok = request.method == "local" ? local(plan, evaluator, point, result)
                                                : global(plan, evaluator, request, result);
    if (!ok)
        return Error{ok.error()};
    if (evaluator.cancelled())
        return Error{"cancelled"};
    result["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result.dump();
}

std::string sensitivityKey(const std::string &assetPath)
{
    return "calibration-sensitivity:" + assetPath;
}

MetaChange storeSensitivity(const Project &project, const std::string &assetPath,
                            const std::string &resultJson)
{
    json all = json::object();
    if (auto it = project.meta.find(sensitivityKey(assetPath)); it != project.meta.end()) {
        all = json::parse(it->second, nullptr, false);
        if (!all.is_object())
            all = json::object();
    }
    const json result = json::parse(resultJson, nullptr, false);
    if (result.is_object() && result.contains("method"))
        all[result["method"].get<std::string>()] = result;
    return {sensitivityKey(assetPath), all.dump()};
}

std::string withSensitivity(const Project &project, const std::string &assetPath,
                            const std::string &recordJson)
{
    const auto it = project.meta.find(sensitivityKey(assetPath));
    if (it == project.meta.end())
        return recordJson;
    json record = json::parse(recordJson, nullptr, false);
    const json all = json::parse(it->second, nullptr, false);
    if (!record.is_object() || !all.is_object())
        return recordJson;
    json rows = json::array();
    for (const auto &[method, result] : all.items())
        if (result.is_object() && result.contains("rows"))
            for (const auto &r : result["rows"])
                rows.push_back(r);
    record["sensitivity"] = {{"rows", rows}, {"results", all}};
    return record.dump();
}

} // namespace twin::model::calibration
