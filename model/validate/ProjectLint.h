#pragma once
// Model and instance lint for `twinctl validate` and the GUI's problems view.
#include "project/Project.h"

#include <string>
#include <vector>

namespace twin::model {

struct LintFinding
{
    enum class Severity
    {
        Warning,
        Error
    };
    Severity severity = Severity::Error;
    std::string where; // asset path, type id or relationship
    std::string rule;  // e.g. "unknown-type", "dangling-relationship"
    std::string message;
};

std::vector<LintFinding> lintProject(const Project &project);

} // namespace twin::model
