// twinctl release / releases / diff / rollback / audit: the model's versions, what changed between them,
// going back to one, and the audit trail (model/lifecycle/).
#include "Verbs.h"

#include "twin/formats/TimeText.h"
#include "twin/model/lifecycle/AuditLog.h"
#include "twin/model/lifecycle/ModelPart.h"
#include "twin/model/lifecycle/Release.h"
#include "twin/model/lifecycle/SemanticDiff.h"
#include "twin/model/project/ProjectFile.h"

#include <chrono>
#include <fstream>
#include <sstream>

namespace twin::cli {

namespace lc = model::lifecycle;

namespace {

const char *kReleaseUsage =
    "usage: twinctl release p.twin --version X.Y.Z --notes notes.md [--author NAME] [--json]\n"
    "  Freezes the project's model part (types, assets, relationships, rules, bindings, mappings, "
    "scenarios,\n"
    "  detectors, calibrations and parameters; not the telemetry history) as an immutable release with the\n"
    "  semantic version, the release notes (what changed, expected behaviour change, rollback plan; a "
    "file),\n"
    "  author (default: the OS user), time and content hash, recorded in the audit trail. The version must "
    "be\n"
    "  above the latest release. Exit 0 done, 2 bad input.";
const char *kReleasesUsage = "usage: twinctl releases p.twin [--json]\n"
                             "  The project's releases, oldest version first: version, time, author, content "
                             "hash, the notes' first line.";
const char *kDiffUsage =
    "usage: twinctl diff p.twin A [B] [--json]\n"
    "  What changed from release A to release B (default: the working copy): types (contents added, "
    "removed,\n"
    "  changed: schema, unit, writability), assets (added, removed, renamed, moved, retyped, property "
    "values,\n"
    "  placement), relationships, rules, bindings, mappings, scenarios, detectors, calibrations, parameters "
    "—\n"
    "  to the JSON path of each changed value. One line per change (+ added, - removed, ~ changed); --json\n"
    "  gives them as objects. Exit 0 (also when there are changes), 2 bad input.";
const char *kRollbackUsage =
    "usage: twinctl rollback p.twin VERSION [--json]\n"
    "  Replaces the working copy's model part with the release's (the telemetry history, releases and audit\n"
    "  trail stay) and records the rollback in the audit trail. Exit 0 done, 2 bad input.";
const char *kAuditUsage =
    "usage: twinctl audit p.twin [--kind KIND] [--json]\n"
    "  The audit trail (time, user, kind, summary) and its check: every entry is hash-chained to the one\n"
    "  before, so an edited, removed or reordered entry is found. Exit 0 intact, 1 broken, 2 bad input.";

model::TimeNs nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Report saved(Report r, const model::ProjectData &data, const std::string &path)
{
    if (auto s = model::saveProject(data, path); !s)
        return fail(r.verb.c_str(), s.error());
    return r;
}

} // namespace

Report verbRelease(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("release", kReleaseUsage);
    const std::string version = takeOption(args, "--version"), notesFile = takeOption(args, "--notes"),
                      author = takeOption(args, "--author");
    if (args.size() != 1 || version.empty() || notesFile.empty())
        return badInput("release", kReleaseUsage);
    std::ifstream in(notesFile, std::ios::binary);
    if (!in)
        return badInput("release", "--notes: cannot read " + notesFile);
    std::ostringstream notes;
    notes << in.rdbuf();
    auto data = model::loadProjectData(args[0]);
    if (!data)
        return badInput("release", data.error());
    auto made =
        lc::createRelease(*data, version, notes.str(), nowNs(), author.empty() ? lc::osUser() : author);
    if (!made)
        return badInput("release", args[0] + ": " + made.error());
    Report r;
    r.verb = "release";
    r.messages.push_back("released " + made->version + " (" + made->hash + ") by " + made->author);
    r.fields = {{"version", jsonString(made->version)},
                {"hash", jsonString(made->hash)},
                {"author", jsonString(made->author)}};
    return saved(r, *data, args[0]);
}

Report verbReleases(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("releases", kReleasesUsage);
    if (args.size() != 1)
        return badInput("releases", kReleasesUsage);
    auto data = model::loadProjectData(args[0]);
    if (!data)
        return badInput("releases", data.error());
    Report r;
    r.verb = "releases";
    std::string list;
    for (const lc::Release &rel : lc::listReleases(data->meta)) {
        const std::string firstLine = rel.notes.substr(0, rel.notes.find('\n'));
        r.messages.push_back(rel.version + "  " + model::isoUtc(rel.time) + "  " + rel.author + "  " +
                             rel.hash.substr(0, 19) + "…  " + firstLine);
        list += std::string(list.empty() ? "" : ",") + "{\"version\":" + jsonString(rel.version) +
                ",\"time\":" + jsonString(model::isoUtc(rel.time)) + ",\"author\":" + jsonString(rel.author) +
                ",\"hash\":" + jsonString(rel.hash) + ",\"notes\":" + jsonString(rel.notes) + "}";
    }
    if (r.messages.empty())
        r.messages.push_back("no releases");
    r.extraJson = "[" + list + "]";
    return r;
}

Report verbDiff(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("diff", kDiffUsage);
    if (args.size() != 2 && args.size() != 3)
        return badInput("diff", kDiffUsage);
    auto data = model::loadProjectData(args[0]);
    if (!data)
        return badInput("diff", data.error());
    auto from = lc::releaseModel(data->meta, args[1]);
    if (!from)
        return badInput("diff", args[0] + ": " + from.error());
    model::ProjectData to = *data;
    if (args.size() == 3) {
        auto release = lc::releaseModel(data->meta, args[2]);
        if (!release)
            return badInput("diff", args[0] + ": " + release.error());
        to = std::move(release.value());
    }
    const auto changes = lc::semanticDiff(*from, to);
    Report r;
    r.verb = "diff";
    std::istringstream lines(lc::diffText(changes));
    for (std::string line; std::getline(lines, line);)
        r.messages.push_back(line);
    if (changes.empty())
        r.messages.push_back("no changes");
    r.fields = {{"from", jsonString(args[1])},
                {"to", jsonString(args.size() == 3 ? args[2] : std::string("working copy"))},
                {"changes", std::to_string(changes.size())}};
    r.extraJson = lc::diffJson(changes);
    return r;
}

Report verbRollback(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("rollback", kRollbackUsage);
    if (args.size() != 2)
        return badInput("rollback", kRollbackUsage);
    auto data = model::loadProjectData(args[0]);
    if (!data)
        return badInput("rollback", data.error());
    auto rolled = lc::rolledBack(*data, args[1], nowNs());
    if (!rolled)
        return badInput("rollback", args[0] + ": " + rolled.error());
    const auto changes = lc::semanticDiff(*data, *rolled);
    Report r;
    r.verb = "rollback";
    r.messages.push_back("rolled back to " + args[1] + ": " + std::to_string(changes.size()) + " changes");
    r.fields = {{"version", jsonString(args[1])}, {"changes", std::to_string(changes.size())}};
    return saved(r, *rolled, args[0]);
}

Report verbAudit(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("audit", kAuditUsage);
    const std::string kind = takeOption(args, "--kind");
    if (args.size() != 1)
        return badInput("audit", kAuditUsage);
    auto data = model::loadProjectData(args[0]);
    if (!data)
        return badInput("audit", data.error());
    Report r;
    r.verb = "audit";
    std::string list;
    for (const lc::AuditEntry &e : lc::auditEntries(data->meta)) {
        if (!kind.empty() && e.kind != kind)
            continue;
        r.messages.push_back(std::to_string(e.sequence) + "  " + model::isoUtc(e.time) + "  " + e.user +
                             "  " + e.kind + "  " + e.summary);
        list += std::string(list.empty() ? "" : ",") + "{\"sequence\":" + std::to_string(e.sequence) +
                ",\"time\":" + jsonString(model::isoUtc(e.time)) + ",\"user\":" + jsonString(e.user) +
                ",\"kind\":" + jsonString(e.kind) + ",\"summary\":" + jsonString(e.summary) +
                ",\"hash\":" + jsonString(e.hash) + "}";
    }
    r.extraJson = "[" + list + "]";
    const auto check = lc::verifyAudit(data->meta);
    r.fields = {{"intact", check ? "true" : "false"}};
    if (!check) {
        r.ok = false;
        r.error = args[0] + ": audit trail broken: " + check.error();
    } else {
        r.messages.push_back("audit trail intact");
    }
    return r;
}

} // namespace twin::cli
