#include "CliOutput.h"

#include "twin/model/pluginhost/PluginHost.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace twin::cli {

std::string jsonString(const std::string &text)
{
    return nlohmann::json(text).dump();
}

int emitReport(const Report &report, bool json)
{
    if (json) {
        nlohmann::json out{{"ok", report.ok}, {"verb", report.verb}};
        for (const auto &[k, v] : report.fields)
            out[k] = nlohmann::json::parse(v, nullptr, false);
        if (!report.extraJson.empty())
            out["details"] = nlohmann::json::parse(report.extraJson, nullptr, false);
        if (!report.ok)
            out["error"] = report.error;
        std::printf("%s\n", out.dump(2).c_str());
    } else {
        for (const auto &line : report.messages)
            std::printf("%s\n", line.c_str());
    }
    if (!report.ok)
        std::fprintf(stderr, "twinctl %s: error: %s\n", report.verb.c_str(), report.error.c_str());
    return report.ok ? 0 : report.badInput ? 2 : 1;
}

Report fail(const char *verb, std::string error)
{
    Report r;
    r.verb = verb;
    r.ok = false;
    r.error = std::move(error);
    return r;
}

Report badInput(const char *verb, std::string error)
{
    Report r = fail(verb, std::move(error));
    r.badInput = true;
    return r;
}

Report usageReport(const char *verb, const char *usage)
{
    Report r;
    r.verb = verb;
    r.messages.push_back(usage);
    return r;
}

std::string pluginDirectoryOr(const std::string &given)
{
    return given.empty() ? model::PluginHost::defaultDirectory() : given;
}

} // namespace twin::cli
