#include "Verbs.h"
#include "VerbHelp.h"

#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/dtdl/DtdlExporter.h"
#include "twin/model/dtdl/DtdlImporter.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/validate/ProjectLint.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace twin::cli {
using namespace twin::model;

std::string takeOption(Args &args, const std::string &name)
{
    auto it = std::find(args.begin(), args.end(), name);
    if (it == args.end() || it + 1 == args.end())
        return {};
    std::string value = *(it + 1);
    args.erase(it, it + 2);
    return value;
}

bool takeFlag(Args &args, const std::string &name)
{
    auto it = std::find(args.begin(), args.end(), name);
    if (it == args.end())
        return false;
    args.erase(it);
    return true;
}

namespace {
} // namespace

Report verbDemo(const Args &argsIn)
{
    Args args = argsIn;
    const std::string out = takeOption(args, "--out");
    const std::string telemetry = takeOption(args, "--telemetry");
    const std::string mapping = takeOption(args, "--mapping");
    const bool noHistory = takeFlag(args, "--no-history");
    if (out.empty())
        return badInput("demo", verbUsage("demo"));
    Project project;
    if (auto s = buildDemoTwin(project); !s)
        return fail("demo", s.error());
    if (noHistory)
        project.history.reset();
    if (!telemetry.empty())
        if (auto s = writeDemoTelemetryCsv(telemetry); !s)
            return fail("demo", s.error());
    if (!mapping.empty()) {
        std::FILE *f = std::fopen(mapping.c_str(), "w");
        const std::string text = demoTelemetryMappingJson();
        if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0)
            return fail("demo", mapping + ": cannot write");
    }
    if (auto s = saveProject(captureProject(project), out); !s)
        return fail("demo", s.error());
    Report r;
    r.verb = "demo";
    r.fields = {{"path", jsonString(out)}, {"assets", std::to_string(project.graph.assetCount())}};
    r.messages = {"wrote demo project " + out + " (" + std::to_string(project.graph.assetCount()) +
                  " assets)"};
    return r;
}

Report verbInfo(const Args &args)
{
    if (args.empty())
        return badInput("info", verbUsage("info"));
    Project project;
    if (auto s = loadProject(args[0], project); !s)
        return fail("info", s.error());
    size_t roots = project.graph.roots().size();
    Report r;
    r.verb = "info";
    const auto types = project.types.size(), assets = project.graph.assetCount(),
               rels = project.graph.relationships().size();
    r.fields = {{"path", jsonString(args[0])},
                {"name", jsonString(project.meta.count("name") ? project.meta.at("name") : "")},
                {"types", std::to_string(types)},
                {"assets", std::to_string(assets)},
                {"roots", std::to_string(roots)},
                {"relationships", std::to_string(rels)}};
    r.messages = {args[0] + ": " + std::to_string(types) + " types, " + std::to_string(assets) + " assets (" +
                  std::to_string(roots) + " roots), " + std::to_string(rels) + " relationships"};
    return r;
}

Report verbValidate(const Args &args)
{
    if (args.empty())
        return badInput("validate", verbUsage("validate"));
    Project project;
    if (auto s = loadProject(args[0], project); !s)
        return fail("validate", s.error());
    const auto findings = lintProject(project, bindingModelLookup());
    nlohmann::json list = nlohmann::json::array();
    Report r;
    r.verb = "validate";
    int errors = 0;
    for (const auto &f : findings) {
        const bool error = f.severity == LintFinding::Severity::Error;
        errors += error;
        list.push_back({{"severity", error ? "error" : "warning"},
                        {"where", f.where},
                        {"rule", f.rule},
                        {"message", f.message}});
        r.messages.push_back(std::string(error ? "error" : "warning") + ": " + f.where + ": " + f.rule +
                             ": " + f.message);
    }
    r.fields = {{"errors", std::to_string(errors)},
                {"warnings", std::to_string(findings.size() - errors)},
                {"findings", list.dump()}};
    r.messages.push_back(args[0] + ": " + std::to_string(errors) + " errors, " +
                         std::to_string(findings.size() - errors) + " warnings");
    if (errors) {
        r.ok = false;
        r.error = std::to_string(errors) + " validation errors";
    }
    return r;
}

Report verbImportDtdl(const Args &argsIn)
{
    Args args = argsIn;
    const std::string projectPath = takeOption(args, "--project");
    dtdl::ImportOptions options;
    options.strict = takeFlag(args, "--strict");
    if (projectPath.empty() || args.empty())
        return badInput("import-dtdl", verbHelp("import-dtdl"));
    Project project;
    if (std::filesystem::exists(projectPath))
        if (auto s = loadProject(projectPath, project); !s)
            return fail("import-dtdl", s.error());
    auto result = dtdl::importPaths(args, options);
    Report r;
    r.verb = "import-dtdl";
    for (const auto &w : result.warnings)
        r.messages.push_back("warning: " + w.toString());
    nlohmann::json errors = nlohmann::json::array();
    for (const auto &e : result.errors) {
        errors.push_back(e.toString());
        r.messages.push_back("error: " + e.toString());
    }
    if (!result.ok()) {
        r.ok = false;
        r.error = std::to_string(result.errors.size()) + " errors in the DTDL input; project not changed";
        r.fields = {{"errors", errors.dump()}};
        return r;
    }
    const size_t before = project.types.size();
    for (auto &type : result.types)
        project.types.add(std::move(type));
    if (auto s = saveProject(captureProject(project), projectPath); !s)
        return fail("import-dtdl", s.error());
    r.fields = {{"project", jsonString(projectPath)},
                {"imported", std::to_string(result.types.size())},
                {"added", std::to_string(project.types.size() - before)},
                {"types", std::to_string(project.types.size())},
                {"warnings", std::to_string(result.warnings.size())},
                {"unresolved", nlohmann::json(result.unresolvedReferences).dump()}};
    r.messages.push_back("imported " + std::to_string(result.types.size()) + " interfaces into " +
                         projectPath + " (" + std::to_string(project.types.size()) + " types in all)");
    return r;
}

Report verbExportDtdl(const Args &given)
{
    Args args = given;
    const std::string versionText = takeOption(args, "--dtdl-version");
    const int version = versionText.empty() ? 3 : std::atoi(versionText.c_str());
    if (args.size() < 2 || (version != 3 && version != 4))
        return badInput("export-dtdl", verbUsage("export-dtdl"));
    Project project;
    if (auto s = loadProject(args[0], project); !s)
        return fail("export-dtdl", s.error());
    if (auto s = dtdl::exportDtdl(project.types, args[1], version); !s)
        return fail("export-dtdl", s.error());
    Report r;
    r.verb = "export-dtdl";
    r.fields = {{"directory", jsonString(args[1])},
                {"interfaces", std::to_string(project.types.size())},
                {"dtdlVersion", std::to_string(version)}};
    r.messages = {"exported " + std::to_string(project.types.size()) + " interfaces to " + args[1] +
                  " as DTDL v" + std::to_string(version)};
    return r;
}

} // namespace twin::cli
