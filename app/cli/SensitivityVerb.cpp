// twinctl sensitivity p.twin --asset PATH: sensitivity of the asset's calibrated outputs to its free
// parameters (the stored calibration definition), local at the calibrated point, Morris screening or Sobol
// indices over the bounds, run on the worker processes; stored in the project for the asset's report.
#include "CalibrateSupport.h"
#include "FmuSupport.h"

#include "twin/model/calibration/Evidence.h"
#include "twin/model/calibration/ProjectSensitivity.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/scenario/AssetParameters.h"
#include "twin/model/scenario/Scenario.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace twin::cli {

namespace {
namespace cal = model::calibration;
using nlohmann::json;

const char *kUsage =
    "usage: twinctl sensitivity p.twin --asset PATH --method local|morris|sobol [--samples N] [--seed N]\n"
    "         [--workers N] [--timeout S] [--plugins DIR] [--no-record] --out s.json\n"
    "  Sensitivity of the mean of each fitted output (over the calibration and hold-out windows of the "
    "asset's\n"
    "  stored calibration) to its free parameters: local = normalized derivatives at the calibrated values\n"
    "  (else the start values); morris = elementary effects over the bounds (--samples trajectories, "
    "default\n"
    "  20); sobol = first and total order indices with bootstrap intervals (--samples N, N (p + 2) runs,\n"
    "  default 256). The result is kept in the project (unless --no-record) and shown in the asset's\n"
    "  calibration report. Exit 0 on success, 1 when the model failed, 2 on bad input.";
} // namespace

Report verbSensitivity(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("sensitivity", kUsage);
    auto bad = [](const std::string &why) { return badInput("sensitivity", why); };
    if (args.empty() || args.front().rfind("--", 0) == 0)
        return bad(kUsage);
    const std::string path = args.front();
    args.erase(args.begin());
    cal::SensitivityRequest request;
    request.method = takeOption(args, "--method"); // before the calibration's --method (lm|global)
    RunOptions run;
    if (Status s = takeRunOptions(args, run); !s)
        return bad(s.error());
    const std::string asset = takeOption(args, "--asset"), out = takeOption(args, "--out"),
                      samples = takeOption(args, "--samples"), plugins = takeOption(args, "--plugins");
    const bool noRecord = takeFlag(args, "--no-record");
    if (!args.empty())
        return bad("unexpected argument '" + args.front() + "'\n" + kUsage);
    if (asset.empty() || request.method.empty() || out.empty())
        return bad(std::string("--asset, --method and --out are required\n") + kUsage);
    double n = 0;
    if (!samples.empty() && !(parseNumber(samples, n) && n >= 2 && n <= 1e6 && n == std::floor(n)))
        return bad("--samples " + samples + ": expected a whole number >= 2");
    request.samples = int(n);
    request.seed = run.options.seed;
    model::Project project;
    if (Status s = model::loadProject(path, project); !s)
        return bad(s.error());
    const auto definition = cal::definitionForAsset(project, asset);
    if (!definition)
        return bad(path + ": no calibration defined for '" + asset +
                   "' (twinctl calibrate ... --save stores one)");
    const std::string projectDir = std::filesystem::absolute(path).parent_path().string();
    auto plan = cal::planCalibration(project, *definition, pluginDirectoryOr(plugins), projectDir);
    if (!plan)
        return bad(plan.error());
    // Local sensitivities at the calibrated values (the start values when there are none).
    std::vector<double> point;
    const auto calibrated = model::scenario::assetParameters(project, asset).values;
    for (const auto &p : plan->problem.parameters) {
        const auto it = calibrated.find(p.name);
        point.push_back(it != calibrated.end() ? std::clamp(it->second, p.lower, p.upper) : p.start);
    }
    cal::WorkerEvaluator evaluator(plan->problem, run.workers, run.limits);
    const auto result = cal::projectSensitivity(*plan, evaluator, request, point);
    if (!result)
        return result.error().find("is not local, morris or sobol") != std::string::npos
                   ? bad(result.error())
                   : fail("sensitivity", result.error());
    std::ofstream file(out);
    file << json::parse(*result).dump(2) << "\n";
    if (!file)
        return fail("sensitivity", out + ": cannot write");
    if (!noRecord) {
        cal::applyChanges(project, {cal::storeSensitivity(project, asset, *result)});
        if (Status s = model::saveProject(model::captureProject(project), path); !s)
            return fail("sensitivity", s.error());
    }
    const json j = json::parse(*result);
    Report r;
    r.verb = "sensitivity";
    r.extraJson = *result;
    r.fields = {{"runs", j["runs"].dump()}, {"seconds", j["seconds"].dump()}, {"out", jsonString(out)}};
    r.messages.push_back(request.method + " sensitivity of " + asset + ": " + j["runs"].dump() +
                         " model runs in " + fixed(j["seconds"].get<double>(), 3) + " s");
    for (const auto &row : j["rows"])
        r.messages.push_back("  " + row["output"].get<std::string>() + " / " +
                             row["parameter"].get<std::string>() + ": " + row["measure"].get<std::string>() +
                             " = " +
                             (row["value"].is_number() ? fixed(row["value"].get<double>(), 4) : "n/a"));
    r.messages.push_back("written to " + out);
    return r;
}

} // namespace twin::cli
