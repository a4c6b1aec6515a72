#pragma once
// Binding of an asset type to a simulation model: which backend plugin and model simulate
// assets of the type, with what backend config, and how model variables map to the twin's properties and
// telemetry. Stored in the project as meta "binding:<typeId>" (JSON, see bindingToJson).
//
// Twin references ("twin" of a VariableBinding):
//   "speed"            a property or telemetry of the bound asset itself
//   "feeds/level"      ... of the first asset the bound asset points to through relationship "feeds"
//   "^drives/current"  ... of the first asset whose relationship "drives" points to the bound asset
// Direction In: the twin value (latest telemetry at the scenario start, else the current property value) is
// converted to the model unit and set before initialize (parameters, inputs, state start values). Out: the
// model output is converted to the twin unit and stored as a scenario series of that telemetry.
//
// Threads: plain data and free functions, no shared state. std only (the SDK header is std only too).
#include "twin/model/project/Project.h"
#include "twin/model/validate/ProjectLint.h"
#include "twin/util/Result.h"

#include "twin/sdk/Simulator.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace twin::model::scenario {

struct VariableBinding
{
    enum class Direction
    {
        In, // twin -> model (parameter, input or state start value)
        Out // model output -> twin telemetry
    };
    std::string model; // model variable, e.g. "pump.speed"
    std::string twin;  // twin reference, see above
    Direction direction = Direction::In;
    std::string modelUnit; // unit of the model variable (DTDL name); empty: the model's or unitless
    bool operator==(const VariableBinding &) const = default;
};

struct SimulationBinding
{
    std::string typeId;        // asset type DTMI
    std::string pluginId;      // e.g. "twin.sim-ode"
    std::string modelId;       // e.g. "pumpstation"
    std::string config = "{}"; // backend config JSON object
    std::vector<VariableBinding> variables;
    bool operator==(const SimulationBinding &) const = default;

    const VariableBinding *findTwin(const std::string &twin) const;
    const VariableBinding *findModel(const std::string &model) const;
};

std::string bindingToJson(const SimulationBinding &binding);
Result<SimulationBinding> bindingFromJson(const std::string &json);

// Relative resource paths in backend configs (e.g. FMI {"fmu": "fmus/motor-cooling.fmu"}), resolved like
// relative meshes: the first existing file among
//   1. <projectDir>/<path>                        (when the caller knows the project's folder)
//   2. <pluginDir>/../share/twinworks/<path>       (build tree: build/plugins -> build/share/twinworks)
//   3. <pluginDir>/../../../share/twinworks/<path> (install: <prefix>/lib/twinworks/plugins ->
//   <prefix>/share)
// Absolute paths, empty paths and paths found nowhere come back unchanged (the backend then names the path it
// was given in its error). Found paths come back absolute, so the worker process may run in any folder.
std::string resolveResourcePath(const std::string &path, const std::string &pluginDir,
                                const std::string &projectDir = {});
// The binding's backend config with its "fmu" (FMI) and "ssp" (SSP package) entries resolved as above (other
// entries untouched); the config unchanged when it is not a JSON object or has neither.
std::string resolvedBackendConfig(const SimulationBinding &binding, const std::string &pluginDir,
                                  const std::string &projectDir = {});

// Project storage: meta "binding:<typeId>".
void setBinding(Project &project, const SimulationBinding &binding);
void removeBinding(Project &project, const std::string &typeId);
std::optional<SimulationBinding> findBinding(const Project &project, const std::string &typeId);
// The binding for an asset: its own type's, else the nearest ancestor type's.
std::optional<SimulationBinding> bindingForAsset(const Project &project, AssetId asset);
std::vector<SimulationBinding> allBindings(const Project &project); // readable ones only

// What a twin reference resolves to on one asset instance.
struct TwinTarget
{
    AssetId asset = kNoAsset;
    std::string name; // property or telemetry name on `asset`
    bool isTelemetry = false;
    std::string unit; // the twin unit (descriptor unit; may be empty)
};
Result<TwinTarget> resolveTwin(const Project &project, AssetId asset, const std::string &reference);

// The twin-side unit and kind a reference names on a type (no instance needed); error when the name is not
// on the type (or the relationship is unknown).
struct TwinMember
{
    bool isTelemetry = false;
    std::string unit;
};
Result<TwinMember> resolveTwinOnType(const Project &project, const std::string &typeId,
                                     const std::string &reference);

// The model's variables for a binding, or nullopt with `why` when they cannot be read (plugin missing...).
using ModelVariablesLookup =
    std::function<std::optional<std::vector<sdk::VariableInfo>>(const SimulationBinding &, std::string &why)>;

// Checks one binding: the type exists, every twin reference is on the type, every model variable is in the
// model (when `lookup` is given and answers), Out bindings name model outputs and twin telemetry, units are
// compatible (twin unit vs model unit, through Units.h). `where` of findings is "binding:<typeId>".
std::vector<LintFinding> validateBinding(const Project &project, const SimulationBinding &binding,
                                         const ModelVariablesLookup &lookup = {});
// All bindings of the project (unreadable binding JSON is an error finding).
std::vector<LintFinding> lintBindings(const Project &project, const ModelVariablesLookup &lookup = {});

} // namespace twin::model::scenario
