#pragma once
// Releases: the model part of a project (ModelPart.h) frozen under a semantic version with release notes,
// author, time and content hash, kept in the project meta ("release:<version>") and never changed. Any
// release can be read back (its hash checked) and the working copy rolled back to one; both releases and
// rollbacks are recorded in the audit trail.
#include "twin/model/lifecycle/AuditLog.h"
#include "twin/model/project/Project.h"

#include <string>
#include <vector>

namespace twin::model::lifecycle {

struct Release
{
    std::string version; // semantic version: MAJOR.MINOR.PATCH[-prerelease]
    std::string notes;   // what changed, expected behaviour change, rollback plan
    std::string author;
    TimeNs time = 0;
    std::string hash;      // of the model part ("sha256:…")
    std::string auditHead; // the audit trail's newest entry when it was made
};

// -1, 0, 1 as a is below, equal to or above b in semantic-version order; false in `valid` when either is
// not a semantic version.
int compareVersions(const std::string &a, const std::string &b, bool *valid = nullptr);
bool isVersion(const std::string &text);

// Freezes the model part of `data` as `version` (above every earlier release) and records it in the audit
// trail; `data.meta` gets both. Errors: not a semantic version, not above the latest, empty notes.
Result<Release> createRelease(ProjectData &data, const std::string &version, const std::string &notes,
                              TimeNs time, const std::string &author = osUser());
std::vector<Release> listReleases(const Meta &meta); // oldest version first
// The release's model part; an error when there is no such release or its content no longer matches its
// hash (the file was edited).
Result<ProjectData> releaseModel(const Meta &meta, const std::string &version);
// `current` with its model part replaced by the release's (history, releases, audit trail and connection
// settings kept) and the rollback recorded in the audit trail.
Result<ProjectData> rolledBack(const ProjectData &current, const std::string &version, TimeNs time,
                               const std::string &user = osUser());

} // namespace twin::model::lifecycle
