#pragma once
// The single-file project (.twin): an SQLite database. Saves are atomic (temp file + rename).
#include "twin/model/project/Project.h"

#include <functional>

namespace twin::model {

struct SaveOptions
{
    // Called with the fraction done; returning false cancels the save (the target stays as it was).
    std::function<bool(double)> progress;
};

// Writes data to path atomically. Safe to call from a worker thread with a captured ProjectData.
Status saveProject(const ProjectData &data, const std::string &path, const SaveOptions &options = {});
// Reads a project file. Errors name the file and what is wrong; nothing is changed on failure.
Result<ProjectData> loadProjectData(const std::string &path);
// Convenience: load into a fresh project.
Status loadProject(const std::string &path, Project &project);

// Autosave copy next to a project ("p.twin" -> "p.twin.autosave").
std::string autosavePath(const std::string &projectPath);
// True when an autosave exists that is newer than the project file (or the project file is gone).
bool hasNewerAutosave(const std::string &projectPath);

constexpr int kProjectFormatVersion = 1;

} // namespace twin::model
