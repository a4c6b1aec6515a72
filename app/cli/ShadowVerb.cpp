// twinctl shadow p.twin --asset PATH --window FROM/TO: the asset's bound model run alongside its recorded
// data, chunk by chunk (model/shadow/Shadow.h); residuals per output, optionally kept in the project.
#include "VerbHelp.h"
#include "Verbs.h"

#include "twin/formats/TimeText.h"
#include "twin/model/project/Project.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/shadow/Shadow.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace twin::cli {

namespace {

bool number(const std::string &text, double &value)
{
    char *end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return !text.empty() && *end == 0 && std::isfinite(value);
}

bool writeCsv(const std::string &path, const std::vector<model::shadow::ShadowOutput> &outputs)
{
    std::ofstream out(path);
    out << "time,telemetry,observed,simulated,residual\n";
    char line[256];
    for (const auto &o : outputs)
        for (std::size_t i = 0; i < o.time.size(); ++i) {
            std::snprintf(line, sizeof line, ",%.17g,%.17g,%.17g\n", o.observed[i], o.simulated[i],
                          o.residual[i]);
            out << model::isoUtc(o.time[i]) << ',' << o.twin << line;
        }
    return bool(out.flush());
}

} // namespace

Report verbShadow(const Args &given)
{
    Args args = given;
    const std::string asset = takeOption(args, "--asset"), window = takeOption(args, "--window"),
                      chunk = takeOption(args, "--chunk"), step = takeOption(args, "--step"),
                      out = takeOption(args, "--out"), plugins = takeOption(args, "--plugins");
    const bool save = takeFlag(args, "--save");
    if (args.size() != 1 || args[0].rfind("--", 0) == 0 || asset.empty() || window.empty())
        return badInput("shadow", verbUsage("shadow"));
    model::shadow::ShadowRequest request;
    request.asset = asset;
    const auto w = model::parseWindow(window);
    if (!w)
        return badInput("shadow", "--window: " + w.error());
    request.window = *w;
    if (!chunk.empty() && (!number(chunk, request.chunkSeconds) || !(request.chunkSeconds > 0)))
        return badInput("shadow", "--chunk: seconds > 0, not '" + chunk + "'");
    if (!step.empty() && (!number(step, request.step) || !(request.step > 0)))
        return badInput("shadow", "--step: seconds > 0, not '" + step + "'");
    request.pluginDir = pluginDirectoryOr(plugins);
    request.projectDir = std::filesystem::absolute(args[0]).parent_path().string();
    model::Project project;
    if (auto s = model::loadProject(args[0], project); !s)
        return badInput("shadow", s.error());
    auto session = model::shadow::ShadowSession::open(project, request);
    if (!session)
        return badInput("shadow", session.error());
    auto &shadow = **session;
    if (Status ran = shadow.advanceTo(shadow.end()); !ran)
        return fail("shadow", ran.error());
    Report r;
    r.verb = "shadow";
    nlohmann::json outputs = nlohmann::json::array();
    for (const auto &o : shadow.outputs()) {
        char text[200];
        std::snprintf(text, sizeof text, "%s: %zu points, RMSE %.4g %s, bias %+.4g", o.twin.c_str(),
                      o.time.size(), o.rmse(), o.unit.c_str(), o.bias());
        r.messages.push_back(text);
        outputs.push_back({{"twin", o.twin},
                           {"telemetry", o.telemetry},
                           {"unit", o.unit},
                           {"points", o.time.size()},
                           {"rmse", o.rmse()},
                           {"bias", o.bias()}});
    }
    r.messages.push_back(asset + ": " + std::to_string(shadow.chunks()) + " chunks up to " +
                         model::isoUtc(shadow.position()));
    for (const auto &warning : shadow.warnings())
        r.messages.push_back("warning: " + warning);
    r.fields = {{"asset", jsonString(asset)},
                {"chunks", std::to_string(shadow.chunks())},
                {"outputs", outputs.dump()}};
    if (!out.empty()) {
        if (!writeCsv(out, shadow.outputs()))
            return fail("shadow", out + ": cannot write");
        r.messages.push_back("written to " + out);
    }
    if (save) {
        if (!project.history)
            return fail("shadow", "the project has no history to keep the residuals in");
        model::shadow::storeShadow(*project.history, shadow.outputs());
        if (Status s = model::saveProject(model::captureProject(project), args[0]); !s)
            return fail("shadow", s.error());
        r.messages.push_back("kept as <telemetry>_shadow and <telemetry>_residual in " + args[0]);
    }
    return r;
}

} // namespace twin::cli
