#include "twin/model/lifecycle/Release.h"

#include "twin/model/lifecycle/ModelPart.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>

namespace twin::model::lifecycle {

using nlohmann::json;

namespace {
constexpr const char *kPrefix = "release:";

const std::regex &versionPattern()
{
    static const std::regex pattern(
        R"(^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?$)");
    return pattern;
}

// Pre-release identifiers compared as semver says: numeric ones numerically and below alphanumeric ones,
// a shorter list below a longer one it begins.
int comparePre(const std::string &a, const std::string &b)
{
    auto split = [](const std::string &s) {
        std::vector<std::string> out(1);
        for (char c : s) {
            if (c == '.')
                out.emplace_back();
            else
                out.back().push_back(c);
        }
        return out;
    };
    const auto x = split(a), y = split(b);
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
        const bool nx = std::all_of(x[i].begin(), x[i].end(), ::isdigit),
                   ny = std::all_of(y[i].begin(), y[i].end(), ::isdigit);
        if (nx && ny && x[i] != y[i])
            return x[i].size() != y[i].size() ? (x[i].size() < y[i].size() ? -1 : 1) : (x[i] < y[i] ? -1 : 1);
        if (nx != ny)
            return nx ? -1 : 1;
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return x.size() == y.size() ? 0 : (x.size() < y.size() ? -1 : 1);
}

// The hash of a release's record: everything but the model (whose own hash is among it).
std::string recordHash(const Release &r)
{
    return sha256Hex(json{
        {"version", r.version},
        {"notes", r.notes},
        {"author", r.author},
        {"time", r.time},
        {"hash", r.hash},
        {"auditHead",
         r.auditHead}}.dump());
}

Release fromJson(const json &j)
{
    Release r;
    r.version = j.value("version", std::string());
    r.notes = j.value("notes", std::string());
    r.author = j.value("author", std::string());
    r.time = j.value("time", TimeNs(0));
    r.hash = j.value("hash", std::string());
    r.auditHead = j.value("auditHead", std::string());
    return r;
}
} // namespace

bool isVersion(const std::string &text)
{
    return std::regex_match(text, versionPattern());
}

int compareVersions(const std::string &a, const std::string &b, bool *valid)
{
    std::smatch x, y;
    const bool ok = std::regex_match(a, x, versionPattern()) && std::regex_match(b, y, versionPattern());
    if (valid)
        *valid = ok;
    if (!ok)
        return a.compare(b) < 0 ? -1 : a == b ? 0 : 1;
    for (int i = 1; i <= 3; ++i) {
        const std::string p = x[i], q = y[i];
        if (p != q)
            return p.size() != q.size() ? (p.size() < q.size() ? -1 : 1) : (p < q ? -1 : 1);
    }
    const std::string p = x[4], q = y[4];
    if (p.empty() || q.empty())
        return p.empty() == q.empty() ? 0 : (p.empty() ? 1 : -1); // a pre-release is below its release
    return comparePre(p, q);
}

std::vector<Release> listReleases(const Meta &meta)
{
    std::vector<Release> out;
    for (auto it = meta.lower_bound(kPrefix); it != meta.end() && it->first.rfind(kPrefix, 0) == 0; ++it) {
        const json j = json::parse(it->second, nullptr, false);
        if (j.is_object())
            out.push_back(fromJson(j));
    }
    std::sort(out.begin(), out.end(),
              [](const Release &a, const Release &b) { return compareVersions(a.version, b.version) < 0; });
    return out;
}

Result<Release> createRelease(ProjectData &data, const std::string &version, const std::string &notes,
                              TimeNs time, const std::string &author)
{
    if (!isVersion(version))
        return Error{"\"" + version + "\" is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0)"};
    const auto earlier = listReleases(data.meta);
    if (!earlier.empty() && compareVersions(version, earlier.back().version) <= 0)
        return Error{"release " + version + " must be above the latest release, " + earlier.back().version};
    if (notes.find_first_not_of(" \t\r\n") == std::string::npos)
        return Error{"release " + version +
                     ": the release notes are empty (what changed, expected behaviour "
                     "change, rollback plan)"};
    const std::string model = modelPartJson(data);
    Release r{version, notes, author, time, sha256Hex(model), {}};
    appendAudit(data.meta, "release", "release " + version + " (" + r.hash.substr(0, 19) + "…)", time,
                author);
    r.auditHead = auditHead(data.meta);
    data.meta[kPrefix + version] = json{{"version", r.version},    {"notes", r.notes},
                                        {"author", r.author},      {"time", r.time},
                                        {"hash", r.hash},          {"auditHead", r.auditHead},
                                        {"record", recordHash(r)}, {"model", json::parse(model)}}
                                       .dump();
    return r;
}

Result<ProjectData> releaseModel(const Meta &meta, const std::string &version)
{
    const auto it = meta.find(kPrefix + version);
    if (it == meta.end()) {
        std::string known;
        for (const Release &r : listReleases(meta))
            known += (known.empty() ? "" : ", ") + r.version;
        return Error{"no release " + version +
                     (known.empty() ? " (the project has none)" : " (releases: " + known + ")")};
    }
    const json j = json::parse(it->second, nullptr, false);
    if (!j.is_object() || !j.contains("model"))
        return Error{"release " + version + " is unreadable"};
    const std::string model = j.at("model").dump();
    if (sha256Hex(model) != j.value("hash", std::string()))
        return Error{"release " + version +
                     " does not match its content hash: it was changed after it was made"};
    if (recordHash(fromJson(j)) != j.value("record", std::string()))
        return Error{"release " + version +
                     ": its notes, author, time or version were changed after it was made"};
    return modelPartFromJson(model);
}

Result<ProjectData> rolledBack(const ProjectData &current, const std::string &version, TimeNs time,
                               const std::string &user)
{
    auto model = releaseModel(current.meta, version);
    if (!model)
        return Error{model.error()};
    ProjectData out = std::move(model.value());
    for (const auto &[key, value] : current.meta)
        if (!isModelMeta(key))
            out.meta[key] = value;
    out.history = current.history;
    appendAudit(out.meta, "rollback", "rolled back to release " + version, time, user);
    return out;
}

} // namespace twin::model::lifecycle
