#pragma once
// Where each asset stands with calibration, for badges in the tree: an asset's own status comes from its
// newest evidence record (or its definition when it was never run); a parent's is the worst of its own and
// its descendants', with counts, so a failing motor shows on its skid, station and site.
#include "twin/model/project/Project.h"

#include <string>
#include <unordered_map>

namespace twin::model::calibration {

enum class CalibrationLevel
{
    Approved = 0, // the newest record is approved and passed its acceptance criteria
    NotRun,       // a definition, no record yet
    Pending,      // the newest record waits for sign-off
    Failed,       // the newest record failed acceptance (or did not converge) or was rejected
};

struct CalibrationStatus
{
    CalibrationLevel level = CalibrationLevel::NotRun;
    std::string text;                                      // one line for a tooltip
    int approved = 0, notRun = 0, pending = 0, failed = 0; // this asset and its descendants
    bool own = false; // the asset has a calibration of its own (else only assets below it do)
};

// Assets with a calibration (their own or below them); others are absent.
std::unordered_map<AssetId, CalibrationStatus> calibrationStatus(const Project &project);

} // namespace twin::model::calibration
