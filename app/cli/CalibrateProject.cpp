// twinctl calibrate p.twin --asset PATH: calibrates an asset's bound model against the twin's own history,
// from the definition stored in the project (options replace its parts), records the evidence in the
// project, and with --apply approves it (the fitted values become the asset's parameters).
#include "CalibrateSupport.h"
#include "FmuSupport.h"

#include "twin/model/calibration/CalibrationJson.h"
#include "twin/model/calibration/CalibrationRun.h"
#include "twin/model/calibration/Evidence.h"
#include "twin/model/calibration/ProjectSensitivity.h"
#include "twin/model/calibration/Report.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/scenario/Scenario.h"

#ifdef TWIN_CLI_HAS_GUI
#include "twin/ui/calibration/ReportPdf.h"
#endif

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace twin::cli {

namespace {
namespace cal = model::calibration;
using nlohmann::json;

model::TimeNs now()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::vector<std::string> splitList(const std::string &text)
{
    std::vector<std::string> out;
    std::string rest = text;
    for (std::size_t at; (at = rest.find(',')) != std::string::npos; rest = rest.substr(at + 1))
        out.push_back(rest.substr(0, at));
    out.push_back(rest);
    return out;
}

struct Request
{
    std::string project, asset, plugins, out, report, reviewer, reason;
    bool save = false, apply = false, noRecord = false;
    int bandSamples = 200;
};

// The stored definition with the command line's parts in place of its own.
Result<cal::CalibrationDefinition> takeDefinition(Args &args, const model::Project &project, const Request &q,
                                                  const RunOptions &run)
{
    cal::CalibrationDefinition d;
    if (auto stored = project.meta.find(cal::definitionKey(q.asset)); stored != project.meta.end()) {
        auto parsed = cal::definitionFromJson(stored->second);
        if (!parsed)
            return Error{q.project + ": meta " + stored->first + ": " + parsed.error()};
        d = parsed.value();
    } else if (auto ofType = cal::definitionForAsset(project, q.asset)) {
        d = *ofType; // the calibration of every asset of its type
    }
    d.asset = q.asset;
    std::vector<std::string> windows, holdouts, params, criteria;
    for (auto [name, list] : {std::pair{"--window", &windows}, std::pair{"--holdout", &holdouts},
                              std::pair{"--param", &params}, std::pair{"--accept", &criteria}})
        for (std::string v; !(v = takeOption(args, name)).empty();)
            list->push_back(v);
    if (!windows.empty())
        d.windows.clear();
    if (!holdouts.empty())
        d.holdout.clear();
    for (auto [texts, list] : {std::pair{&windows, &d.windows}, std::pair{&holdouts, &d.holdout}})
        for (const auto &text : *texts) {
            auto w = cal::parseWindow(text);
            if (!w)
                return Error{w.error()};
            list->push_back(*w);
        }
    if (!params.empty())
        d.parameters.clear();
    for (const auto &text : params) {
        auto p = cal::parseParameterSpec(text);
        if (!p)
            return Error{p.error()};
        d.parameters.push_back(*p);
    }
    if (!criteria.empty())
        d.acceptance.clear();
    for (const auto &text : criteria) {
        auto c = cal::parseCriterion(text);
        if (!c)
            return Error{c.error()};
        d.acceptance.push_back(*c);
    }
    if (const std::string fit = takeOption(args, "--fit"); !fit.empty()) {
        d.outputs.clear();
        for (const auto &twin : splitList(fit))
            d.outputs.push_back({twin, {}, 1, cal::Loss::Squared});
    }
    if (const std::string inputs = takeOption(args, "--inputs"); !inputs.empty())
        d.inputs = splitList(inputs);
    if (run.methodGiven)
        d.method = cal::methodName(run.options.method);
    if (run.seedGiven)
        d.seed = run.options.seed;
    if (d.windows.empty())
        return Error{"no calibration window for " + q.asset +
                     " (give --window FROM/TO or store a definition)"};
    if (d.parameters.empty())
        return Error{"no free parameter for " + q.asset + " (give --param NAME=LO:HI[:START])"};
    return d;
}

Status writeText(const std::string &path, const std::string &text)
{
    std::ofstream file(path);
    file << text << "\n";
    return file ? okStatus() : Status(Error{path + ": cannot write"});
}

} // namespace

Status writeReport(const std::string &recordJson, const std::string &path)
{
    auto html = cal::reportHtml(recordJson);
    if (!html)
        return Error{html.error()};
    const bool pdf = path.size() > 4 && path.compare(path.size() - 4, 4, ".pdf") == 0;
    if (!pdf)
        return writeText(path, *html);
#ifdef TWIN_CLI_HAS_GUI
    return ui::writeReportPdf(*html, path);
#else
    return Error{path + ": PDF reports need the workbench build (TWIN_BUILD_GUI); write .html instead"};
#endif
}

namespace {
void addAcceptance(Report &r, const cal::AcceptanceOutcome &a)
{
    for (const auto &c : a.criteria)
        r.messages.push_back("  " + std::string(c.passed ? "PASS " : "FAIL ") + c.criterion.describe() +
                             " [" + c.output + "]: " + fixed(c.value, 4) +
                             (c.note.empty() ? "" : " (" + c.note + ")"));
    if (a.defined())
        r.messages.push_back(a.passed ? "acceptance: passed" : "acceptance: FAILED");
}
} // namespace

const char *projectCalibrateUsage()
{
    return "usage: twinctl calibrate p.twin --asset PATH|--type DTMI [--window FROM/TO]... [--holdout "
           "FROM/TO]...\n"
           "         [--param NAME=LO:HI[:START]]... [--fit TWIN[,TWIN...]] [--inputs TWIN[,TWIN...]]\n"
           "         [--accept METRIC<=VALUE[:OUTPUT][@holdout|@calibration]]... [--method lm|global] "
           "[--seed N]\n"
           "         [--workers N] [--timeout S] [--plugins DIR] [--band DRAWS] [--save] [--no-record]\n"
           "         [--apply [--reviewer NAME] [--reason TEXT]] [--out fit.json] [--report r.html|r.pdf]\n"
           "  Calibrates the asset's bound model against the project's history: the definition stored in "
           "the\n"
           "  project (meta calibration:PATH), with any option given replacing that part of it (--save "
           "stores\n"
           "  the result; an asset without its own takes its type's, meta calibration-type:DTMI; --type runs "
           "every\n"
           "  asset of a type). Windows are UTC times (ISO 8601). A 95 % prediction band (200 parameter "
           "draws by\n"
           "  default, --band 0: none) gives the coverage metric. Every run is kept in the project as "
           "evidence\n"
           "  (unless --no-record); --apply approves it and makes the fitted values the asset's parameters, "
           "only\n"
           "  when the fit converged, is identifiable and passes its acceptance criteria. Exit 0 when it\n"
           "  converged, is identifiable and passes acceptance, 1 otherwise, 2 on bad input.";
}

// --type T: every asset of the type (or extending it), one after the other, each with its own evidence.
Report calibrateType(Args args, const std::string &typeId)
{
    model::Project project;
    if (Status s = model::loadProject(args.front(), project); !s)
        return badInput(s.error());
    const auto assets = cal::assetsOfType(project, typeId);
    if (assets.empty())
        return badInput(args.front() + ": no asset of type '" + typeId + "'");
    Report all;
    all.verb = "calibrate";
    json details = json::object();
    std::size_t passed = 0;
    for (const auto &asset : assets) {
        Args one = args;
        one.insert(one.end(), {"--asset", asset});
        const Report r = calibrateProject(one);
        all.messages.push_back("== " + asset + (r.ok ? "" : ": " + r.error));
        all.messages.insert(all.messages.end(), r.messages.begin(), r.messages.end());
        details[asset] = r.extraJson.empty() ? json(r.error) : json::parse(r.extraJson, nullptr, false);
        passed += r.ok;
        all.badInput = all.badInput || r.badInput;
    }
    all.ok = passed == assets.size();
    all.error = std::to_string(assets.size() - passed) + " of " + std::to_string(assets.size()) +
                " assets of " + typeId + " did not calibrate within their criteria";
    all.messages.push_back(std::to_string(passed) + " of " + std::to_string(assets.size()) + " passed");
    all.fields = {{"assets", std::to_string(assets.size())}, {"passed", std::to_string(passed)}};
    all.extraJson = details.dump();
    return all;
}

Report calibrateProject(Args args)
{
    if (const std::string type = takeOption(args, "--type"); !type.empty()) {
        if (std::find(args.begin(), args.end(), "--asset") != args.end())
            return badInput("--type and --asset exclude each other");
        return calibrateType(args, type);
    }
    Request q;
    q.project = args.front();
    args.erase(args.begin());
    RunOptions run;
    if (Status s = takeRunOptions(args, run); !s)
        return badInput(s.error());
    q.asset = takeOption(args, "--asset");
    q.plugins = takeOption(args, "--plugins");
    q.out = takeOption(args, "--out");
    q.report = takeOption(args, "--report");
    q.reviewer = takeOption(args, "--reviewer");
    q.reason = takeOption(args, "--reason");
    q.save = takeFlag(args, "--save");
    q.apply = takeFlag(args, "--apply");
    q.noRecord = takeFlag(args, "--no-record");
    if (const std::string band = takeOption(args, "--band"); !band.empty()) {
        double n = 0;
        if (!parseNumber(band, n) || n < 0 || n > 100000 || n != std::floor(n))
            return badInput("--band " + band + ": expected a number of draws (0: no band)");
        q.bandSamples = int(n);
    }
    if (q.asset.empty())
        return badInput(std::string("--asset PATH is required\n") + projectCalibrateUsage());
    // The worker process starts now and loads while the project is read and the fit planned.
    auto ahead = cal::WorkerEvaluator::startAhead(run.limits);
    model::Project project;
    if (Status s = model::loadProject(q.project, project); !s)
        return badInput(s.error());
    if (model::scenario::findAssetByPath(project, q.asset) == model::kNoAsset)
        return badInput(q.project + ": no asset '" + q.asset + "'");
    auto definition = takeDefinition(args, project, q, run);
    if (!definition)
        return badInput(definition.error());
    if (!args.empty())
        return badInput("unexpected argument '" + args.front() + "'\n" + projectCalibrateUsage());
    if (q.apply && q.noRecord)
        return badInput("--apply needs the evidence record (drop --no-record)");

    const std::string projectDir = std::filesystem::absolute(q.project).parent_path().string();
    auto plan = cal::planCalibration(project, *definition, pluginDirectoryOr(q.plugins), projectDir);
    if (!plan)
        return badInput(plan.error());
    cal::WorkerEvaluator evaluator(plan->problem, run.workers, run.limits,
                                   model::sim::SimulationRunner::defaultWorkerPath(), std::move(ahead));
    auto calibration = cal::runCalibration(*plan, evaluator, run.options, {q.bandSamples});
    if (!calibration)
        return fail("calibrate", calibration.error());
    const cal::CalibrationResult *result = &calibration->result;
    const cal::AcceptanceOutcome &acceptance = calibration->acceptance;

    Report r = describeResult(*result, q.out);
    for (const auto &[twin, c] : plan->counts)
        r.messages.insert(r.messages.begin() + 1,
                          "  data " + twin + ": " + std::to_string(c.fitted) + " fitted, " +
                              std::to_string(c.holdout) + " hold-out, " + std::to_string(c.badQuality) +
                              " excluded for bad quality (" + plan->dataHash.substr(0, 19) + "...)");
    addAcceptance(r, acceptance);
    r.ok = r.ok && acceptance.passed;
    if (r.ok || !acceptance.passed)
        r.error = !acceptance.passed && result->converged && result->identifiable
                      ? "the calibration does not pass its acceptance criteria"
                      : r.error;

    if (calibration->band)
        r.messages.push_back("  95 % prediction band from " + std::to_string(calibration->band->samples) +
                             " parameter draws");
    else
        r.messages.push_back("  " + calibration->bandProblem);
    const std::string record = cal::evidenceJson(*plan, *calibration, now());
    std::string evidenceKey;
    if (!q.noRecord) {
        const cal::MetaChange added = cal::newEvidence(project, q.asset, record);
        evidenceKey = added.key;
        cal::applyChanges(project, {added});
        r.fields.emplace_back("evidence", jsonString(evidenceKey));
        r.messages.push_back("evidence recorded as " + evidenceKey);
    }
    if (q.save)
        cal::setDefinition(project, *definition);
    if (q.apply) {
        if (!r.ok) {
            r.messages.push_back("not applied: " + r.error);
        } else {
            const char *user = std::getenv("USER");
            cal::SignOff signOff{
                cal::Decision::Approved, q.reviewer.empty() ? (user ? user : "twinctl") : q.reviewer,
                q.reason.empty() ? "twinctl calibrate --apply: converged and passed acceptance" : q.reason,
                now()};
            auto changes = cal::signOffChanges(project, evidenceKey, signOff);
            if (!changes)
                return fail("calibrate", changes.error());
            cal::applyChanges(project, *changes);
            r.messages.push_back("approved by " + signOff.reviewer +
                                 "; the fitted values are now the parameters of " + q.asset);
            r.fields.emplace_back("applied", "true");
        }
    }
    if (!q.noRecord || q.save)
        if (Status s = model::saveProject(model::captureProject(project), q.project); !s)
            return fail("calibrate", s.error());
    // The record as stored (with the decision when --apply approved it).
    json details = json::parse(evidenceKey.empty() ? record : project.meta.at(evidenceKey));
    details["evidence"] = evidenceKey;
    if (!q.report.empty()) {
        if (Status s = writeReport(cal::withSensitivity(project, q.asset, details.dump()), q.report); !s)
            return fail("calibrate", s.error());
        r.messages.push_back("report written to " + q.report);
    }
    r.extraJson = details.dump();
    if (!q.out.empty()) {
        json out = json::parse(cal::resultJson(*result));
        out["acceptance"] = details["acceptance"];
        out["data"] = details["data"];
        out["evidence"] = evidenceKey;
        if (Status s = writeText(q.out, out.dump(2)); !s)
            return fail("calibrate", s.error());
    }
    return r;
}

} // namespace twin::cli
