#pragma once
// Recorded telemetry for the demo pump station, generated (deterministically) by the project:
// two hours at 1 Hz with one fault episode on skid 2 (cavitation -> low pressure -> motor overheating
// -> trip -> restart). Also the demo's rules and the CSV column mapping.
#include "twin/formats/Sample.h"
#include "twin/model/state/RuleSet.h"
#include "twin/util/Result.h"

#include <string>
#include <vector>

namespace twin::model {

struct Project;

struct DemoTelemetryColumn
{
    std::string column;    // CSV header
    std::string assetPath; // TwinGraph::path of the asset
    std::string telemetry; // telemetry name on the asset's type
    std::string unit;      // unit of the values in the file (DTDL unit name)
};

std::vector<DemoTelemetryColumn> demoTelemetryColumns();
// 2026-01-05T06:00:00Z, the start of the recording.
constexpr TimeNs kDemoTelemetryStart = 1767592800LL * kNsPerSecond;
constexpr int kDemoTelemetrySeconds = 2 * 3600;
// The plant behind Motor M-103's winding temperature: the motor-cooling FMU's equation with a fouled cooler
// (thermal resistance and time constant above the model's defaults R_th = 0.03 K/W, tau = 1200 s), so the
// default model visibly misses and a calibration has something to find. Its current follows a load step
// (minutes 30 to 75) that makes the time constant visible.
constexpr double kDemoFouledRth = 0.045; // K/W
constexpr double kDemoFouledTau = 1500;  // s
constexpr double kDemoMotorAmbient = 25; // degC
constexpr double kDemoMotorRw = 0.05;    // ohm per phase
// Writes the recording as CSV (header `timestamp` in ISO 8601 UTC, then one column per signal).
Status writeDemoTelemetryCsv(const std::string &path, int seconds = kDemoTelemetrySeconds);
// The value of one column at one second of the recording (what the CSV holds).
double demoTelemetryValue(size_t column, int second);
// The mapping file for `twinctl ingest` / the import wizard, as JSON text.
std::string demoTelemetryMappingJson();
// Fills project.history with the recording, through the data-quality pipeline (ranges from the model).
Status fillDemoHistory(Project &project, int seconds = kDemoTelemetrySeconds);
// State machines and alarms for pumps and motors.
std::vector<RuleSet> demoRuleSets();

} // namespace twin::model
