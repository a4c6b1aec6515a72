#pragma once
// Calibration evidence kept in the project: one record per calibration run, never overwritten by a later
// one. A record holds the definition, the data provenance (windows, SHA-256 of every sample used, counts of
// fitted / hold-out / bad-quality samples per output), the model (plugin, model and their versions) and the
// software version, the result (parameters with intervals, correlation, metrics, warnings), the observed and
// simulated series, the acceptance verdict, and the sign-off decision (pending until an expert approves or
// rejects it, with name, reason and time). Approving applies the fitted values as the asset's calibrated
// parameters (scenario/AssetParameters.h), so what-ifs use them.
//
// Stored as meta "calibration-evidence:<asset path>#<number>" (numbers count up per asset, zero-padded).
// Edits come back as MetaChanges so the workbench can make them one undo step and twinctl can apply them.
#include "twin/model/calibration/Acceptance.h"
#include "twin/model/calibration/CalibrationRun.h"

#include <optional>
#include <string>
#include <vector>

namespace twin::model {
class UndoStack;
}

namespace twin::model::calibration {

struct MetaChange
{
    std::string key;
    std::optional<std::string> value; // nullopt: remove
};
void applyChanges(Project &project, const std::vector<MetaChange> &changes);
// The same as one undoable step named `text` (the workbench): MetaEntryCommands in one macro; undo and redo
// restore `selection`.
Status pushChanges(UndoStack &stack, Project &project, const std::vector<MetaChange> &changes,
                   const std::string &text, const std::vector<AssetId> &selection = {});

// The running software's version ("0.1.0").
const char *softwareVersion();

// A new record (decision "pending") of a run. `createdAt`: now, UTC. With a band the series carry its
// bounds; with the model before calibration, its simulated values ("initial") and metrics.
std::string evidenceJson(const CalibrationPlan &plan, const CalibrationRun &run, TimeNs createdAt);
// Keys of an asset's records, oldest first.
std::vector<std::string> evidenceKeys(const Project &project, const std::string &assetPath);
// The change that stores `recordJson` as the asset's next record (a new key; nothing is overwritten).
MetaChange newEvidence(const Project &project, const std::string &assetPath, const std::string &recordJson);

// The few fields of a record a list shows.
struct EvidenceSummary
{
    std::string createdAt, decision = "pending", reviewer;
    bool fitOk = false;    // converged and identifiable
    bool accepted = false; // passed its acceptance criteria (true without criteria)
};
EvidenceSummary summarizeEvidence(const std::string &recordJson);

enum class Decision
{
    Approved,
    Rejected
};
struct SignOff
{
    Decision decision = Decision::Approved;
    std::string reviewer, reason;
    TimeNs at = 0;
};
// The changes that record a decision on a pending record and, on approval, set the asset's calibrated
// parameters to the record's fitted values. Errors: no such record, already decided, no reviewer or reason.
Result<std::vector<MetaChange>> signOffChanges(const Project &project, const std::string &evidenceKey,
                                               const SignOff &signOff);

} // namespace twin::model::calibration
