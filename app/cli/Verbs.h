#pragma once
#include "CliOutput.h"

#include "twin/model/validate/ProjectLint.h"

#include <string>
#include <vector>

namespace twin::cli {

using Args = std::vector<std::string>;

Report verbDemo(const Args &args);
Report verbInfo(const Args &args);
Report verbValidate(const Args &args);
Report verbImportDtdl(const Args &args);
Report verbExportDtdl(const Args &args);
Report verbIngest(const Args &args);
Report verbReplay(const Args &args);
Report verbMqtt(const Args &args);
Report verbFmuInfo(const Args &args); // FmuVerbs.cpp
Report verbFmuRun(const Args &args);
Report verbSspInfo(const Args &args); // SspVerbs.cpp
Report verbSspRun(const Args &args);
Report verbScenarios(const Args &args); // ScenarioVerbs.cpp
Report verbSimulate(const Args &args);
Report verbSweep(const Args &args);
Report verbCalibrate(const Args &args);   // CalibrateVerbs.cpp
Report verbSensitivity(const Args &args); // SensitivityVerb.cpp
Report verbDetect(const Args &args);      // DetectVerb.cpp
Report verbHealth(const Args &args);      // HealthVerb.cpp
Report verbForecast(const Args &args);    // ForecastVerb.cpp
Report verbShadow(const Args &args);      // ShadowVerb.cpp
Report verbRelease(const Args &args);     // LifecycleVerbs.cpp
Report verbReleases(const Args &args);
Report verbDiff(const Args &args);
Report verbRollback(const Args &args);
Report verbAudit(const Args &args);
// Model variable lists from the simulation plugins, for binding lint (ScenarioVerbs.cpp).
model::BindingModelLookup bindingModelLookup(const std::string &pluginDir = {});

// Finds "--name value" in args and removes both; empty when absent.
std::string takeOption(Args &args, const std::string &name);
bool takeFlag(Args &args, const std::string &name);

} // namespace twin::cli
