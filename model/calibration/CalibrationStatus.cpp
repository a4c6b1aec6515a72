#include "twin/model/calibration/CalibrationStatus.h"

#include "twin/model/calibration/CalibrationDefinition.h"
#include "twin/model/calibration/Evidence.h"
#include "twin/model/scenario/Scenario.h"

#include <algorithm>

namespace twin::model::calibration {

namespace {

CalibrationStatus ownStatus(const Project &project, const std::string &path)
{
    CalibrationStatus s;
    s.own = true;
    const auto keys = evidenceKeys(project, path);
    if (keys.empty()) {
        s.level = CalibrationLevel::NotRun;
        s.text = "calibration defined, not run";
        ++s.notRun;
        return s;
    }
    const EvidenceSummary e = summarizeEvidence(project.meta.at(keys.back()));
    const std::string number = keys.back().substr(keys.back().rfind('#'));
    const std::string &status = e.decision;
    const bool fitOk = e.fitOk, accepted = e.accepted;
    const std::string verdict = !fitOk     ? "the fit did not converge or is not identifiable"
                                : accepted ? "passes acceptance"
                                           : "fails acceptance";
    if (status == "rejected" || !fitOk || !accepted) {
        s.level = CalibrationLevel::Failed;
        ++s.failed;
    } else if (status == "approved") {
        s.level = CalibrationLevel::Approved;
        ++s.approved;
    } else {
        s.level = CalibrationLevel::Pending;
        ++s.pending;
    }
    s.text = "calibration " + number + ": " + verdict + ", " +
             (status == "pending" ? std::string("waiting for sign-off") : status + " by " + e.reviewer);
    return s;
}

void rollUp(const Project &project, AssetId id, std::unordered_map<AssetId, CalibrationStatus> &out)
{
    const Asset *asset = project.graph.find(id);
    if (!asset)
        return;
    CalibrationStatus total;
    bool any = false;
    if (auto it = out.find(id); it != out.end()) {
        total = it->second;
        any = true;
    }
    const CalibrationStatus own = total;
    for (AssetId child : asset->children) {
        rollUp(project, child, out);
        const auto it = out.find(child);
        if (it == out.end())
            continue;
        const CalibrationStatus &c = it->second;
        if (!any)
            total = {c.level, {}, 0, 0, 0, 0, false};
        any = true;
        total.level = std::max(total.level, c.level);
        total.approved += c.approved;
        total.notRun += c.notRun;
        total.pending += c.pending;
        total.failed += c.failed;
    }
    if (!any)
        return;
    const int all = total.approved + total.notRun + total.pending + total.failed;
    if (all != own.approved + own.notRun + own.pending + own.failed || own.text.empty())
        total.text = (own.text.empty() ? std::string() : own.text + "; ") +
                     "calibrations below: " + std::to_string(total.approved) + " approved, " +
                     std::to_string(total.pending) + " pending, " + std::to_string(total.failed) +
                     " failing, " + std::to_string(total.notRun) + " not run";
    out[id] = total;
}
} // namespace

std::unordered_map<AssetId, CalibrationStatus> calibrationStatus(const Project &project)
{
    std::unordered_map<AssetId, CalibrationStatus> out;
    for (const auto &path : calibratedAssets(project))
        if (const AssetId id = scenario::findAssetByPath(project, path); id != kNoAsset)
            out[id] = ownStatus(project, path);
    // Records of assets whose definition is gone still count.
    for (auto it = project.meta.lower_bound("calibration-evidence:");
         it != project.meta.end() && it->first.rfind("calibration-evidence:", 0) == 0; ++it) {
        const std::string path = it->first.substr(21, it->first.rfind('#') - 21);
        if (const AssetId id = scenario::findAssetByPath(project, path); id != kNoAsset && !out.count(id))
            out[id] = ownStatus(project, path);
    }
    // Assets covered by a calibration of their type.
    const std::string typePrefix = "calibration-type:";
    for (auto it = project.meta.lower_bound(typePrefix);
         it != project.meta.end() && it->first.rfind(typePrefix, 0) == 0; ++it)
        for (const auto &path : assetsOfType(project, it->first.substr(typePrefix.size())))
            if (const AssetId id = scenario::findAssetByPath(project, path); id != kNoAsset && !out.count(id))
                out[id] = ownStatus(project, path);
    for (AssetId root : project.graph.children(kNoAsset))
        rollUp(project, root, out);
    return out;
}

} // namespace twin::model::calibration
