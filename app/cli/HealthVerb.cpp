// twinctl health p.twin: the twin's own health per asset, rolled up the hierarchy
// (model/health/TwinHealth.h).
#include "Verbs.h"

#include "twin/formats/TimeText.h"
#include "twin/model/health/TwinHealth.h"
#include "twin/model/project/Project.h"
#include "twin/model/project/ProjectFile.h"

#include <chrono>

namespace twin::cli {

namespace {

const char *kUsage = "usage: twinctl health p.twin [--now TIME|wall] [--json]\n"
                     "  Per asset, rolled up the hierarchy (a parent is as bad as the worst below it): data "
                     "freshness (age of\n"
                     "  the last sample against its usual period; stale after max(10 periods, 60 s)), p95 "
                     "source -> ingest lag,\n"
                     "  samples flagged bad by data quality (a warning above 5 % of the recent ones), "
                     "calibration status, and\n"
                     "  the last run of each scenario on it. The reference time is the newest sample in the "
                     "project, or --now\n"
                     "  (ISO 8601, or 'wall' for the clock). --json gives every figure. Exit 0 when all is "
                     "ok, 1 when an asset\n"
                     "  is bad or has a warning, 2 on bad input.";

} // namespace

Report verbHealth(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("health", kUsage);
    const std::string now = takeOption(args, "--now");
    if (args.size() != 1 || args[0].rfind("--", 0) == 0)
        return badInput("health", kUsage);
    model::health::HealthOptions options;
    if (now == "wall") {
        options.now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    } else if (!now.empty()) {
        const auto t = model::parseTime(now);
        if (!t)
            return badInput("health", "--now: " + t.error());
        options.now = *t;
    }
    model::Project project;
    if (auto s = model::loadProject(args[0], project); !s)
        return badInput("health", s.error());
    const auto health = model::health::twinHealth(project, options);
    Report r;
    r.verb = "health";
    r.extraJson = model::health::healthJson(health);
    int worst = 0;
    for (const auto &a : health.assets) {
        if (a.level == model::health::HealthLevel::Unknown)
            continue;
        worst = std::max(worst, int(a.own));
        std::string line = a.path + ": " + model::health::levelName(a.level);
        if (a.warning + a.bad > 0)
            line += " (" + std::to_string(a.bad) + " bad, " + std::to_string(a.warning) + " with warnings)";
        r.messages.push_back(line);
        for (const auto &why : a.reasons)
            r.messages.push_back("    " + why);
    }
    r.fields = {{"project", jsonString(args[0])},
                {"now", jsonString(health.now ? model::isoUtc(health.now) : std::string())}};
    r.ok = worst < int(model::health::HealthLevel::Warning);
    if (!r.ok)
        r.error = "some assets are not healthy";
    return r;
}

} // namespace twin::cli
