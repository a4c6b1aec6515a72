#pragma once
// Model and instance lint for `twinctl validate` and the GUI's problems view.
#include "twin/model/project/Project.h"

#include "twin/sdk/Simulator.h"

#include <functional>
#include <optional>
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

// Model variable lists for simulation-binding lint (scenario/Binding.h: missing model variables, units).
// Given by callers that can load plugins (twinctl validate); without it those checks are skipped. nullopt +
// `why`: the model could not be described (a warning).
using BindingModelLookup = std::function<std::optional<std::vector<sdk::VariableInfo>>(
    const std::string &pluginId, const std::string &modelId, const std::string &config, std::string &why)>;

std::vector<LintFinding> lintProject(const Project &project, const BindingModelLookup &models = {});

} // namespace twin::model
