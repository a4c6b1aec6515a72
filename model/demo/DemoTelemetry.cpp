#include "twin/model/demo/DemoTelemetry.h"

#include "twin/model/project/Project.h"
#include "twin/model/telemetry/QualityPipeline.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <vector>

namespace twin::model {
namespace {
const std::string kStation = "Riverside site/Pump station PS-1";
const std::string kNs = "dtmi:twinworks:demo:";

// Deterministic noise: a hash of (column, second) mapped to [-1, 1].
double noise(size_t column, int second)
{
    std::uint64_t x = (std::uint64_t(column) << 32) ^ std::uint64_t(second) * 0x9E3779B97F4A7C15ULL;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return double(x % 20001) / 10000.0 - 1.0;
}

// Skid 2's episode, in minutes from the start.
constexpr double kCavitationStart = 40, kCavitationEnd = 62, kOverheatStart = 50, kTrip = 63, kRestart = 80;

struct PumpState
{
    double flow, pressure, current, winding;
};

// Demand follows a slow daily-like swing; skid 3 takes over extra load for 45 minutes.
double demandAt(int skid, int second)
{
    const double minute = second / 60.0;
    const double swing = 1.0 + 0.08 * std::sin(second / 1400.0 + skid);
    return skid == 3 && minute >= 30 && minute < 75 ? swing * 1.12 : swing;
}

constexpr double kRatedCurrent = 92.0; // A at demand 1

// Motor M-103's winding: the motor-cooling model (resources/fmus/motor-cooling) with the plant's fouled
// cooler, driven by the motor's current second by second (inputs held over each second, as the FMU's exact
// step assumes), starting in steady state.
double fouledWindingStep(double T, int second)
{
    const double current = kRatedCurrent * demandAt(3, second);
    const double steady = kDemoMotorAmbient + kDemoFouledRth * 3.0 * kDemoMotorRw * current * current;
    return steady + (T - steady) * std::exp(-1.0 / kDemoFouledTau);
}

double fouledWinding(int second)
{
    static const std::vector<double> recorded = [] {
        const double i0 = kRatedCurrent * demandAt(3, 0);
        std::vector<double> T{kDemoMotorAmbient + kDemoFouledRth * 3.0 * kDemoMotorRw * i0 * i0};
        for (int k = 0; k + 1 < kDemoTelemetrySeconds; ++k)
            T.push_back(fouledWindingStep(T.back(), k));
        return T;
    }();
    if (second < int(recorded.size()))
        return recorded[std::size_t(std::max(0, second))];
    double T = recorded.back(); // past the recording's length: go on from its end
    for (int k = int(recorded.size()) - 1; k < second; ++k)
        T = fouledWindingStep(T, k);
    return T;
}

PumpState pumpAt(int skid, int second)
{
    const double minute = second / 60.0;
    PumpState s{0, 0.2, 0, 25};
    if (skid == 4) // standby pump, off the whole time
        return s;
    const double demand = demandAt(skid, second);
    s.flow = 270.0 * demand;
    s.pressure = 4.4 - 0.15 * (demand - 1.0) * 10.0;
    s.current = kRatedCurrent * demand;
    s.winding = 68.0 + 6.0 * (demand - 1.0) * 10.0;
    if (skid == 3) { // a worn impeller: runs, but low on head; its motor's cooler is fouled
        s.pressure -= 0.9;
        s.flow *= 0.9;
        s.winding = fouledWinding(second);
    }
    if (skid == 2) {
        if (minute >= kCavitationStart && minute < kCavitationEnd) {
            const double k = std::min(1.0, (minute - kCavitationStart) / 3.0);
            s.pressure -= 3.3 * k; // suction starved: discharge pressure collapses
            s.flow *= 1.0 - 0.25 * k;
            s.current *= 1.0 + 0.18 * k;
        }
        if (minute >= kOverheatStart && minute < kTrip)
            s.winding += std::min(80.0, (minute - kOverheatStart) * 7.0);
        if (minute >= kTrip && minute < kRestart) {
            const double cooled = (minute - kTrip) * 4.0;
            s = {0, 0.2, 0, std::max(30.0, 148.0 - cooled)};
        }
    }
    return s;
}
} // namespace

std::vector<DemoTelemetryColumn> demoTelemetryColumns()
{
    std::vector<DemoTelemetryColumn> columns;
    for (int i = 1; i <= 4; ++i) {
        const std::string n = std::to_string(i);
        const std::string skid = kStation + "/Skid " + n;
        columns.push_back({"P10" + n + "_flow_m3h", skid + "/Pump P-10" + n, "flow", "cubicMetrePerHour"});
        columns.push_back({"P10" + n + "_pressure_bar", skid + "/Pump P-10" + n, "dischargePressure", "bar"});
        columns.push_back({"M10" + n + "_current_A", skid + "/Motor M-10" + n, "current", "ampere"});
        columns.push_back(
            {"M10" + n + "_winding_degC", skid + "/Motor M-10" + n, "windingTemperature", "degreeCelsius"});
    }
    columns.push_back({"LT1_level_m", kStation + "/Storage tank T-1", "level", "metre"});
    columns.push_back({"LT2_level_m", kStation + "/Storage tank T-2", "level", "metre"});
    return columns;
}

double demoTelemetryValue(size_t column, int second)
{
    if (column < 16) {
        const PumpState s = pumpAt(int(column / 4) + 1, second);
        const double values[4] = {s.flow, s.pressure, s.current, s.winding};
        const double spread[4] = {2.5, 0.04, 0.8, 0.3};
        const double v = values[column % 4];
        return v == 0 ? 0 : v + spread[column % 4] * noise(column, second);
    }
    // Tank levels: filled by their pumps, drawn down by demand.
    const double base = column == 16 ? 3.2 : 4.1;
    return base + 0.6 * std::sin(second / 2000.0 + double(column)) + 0.01 * noise(column, second);
}

Status writeDemoTelemetryCsv(const std::string &path, int seconds)
{
    std::unique_ptr<FILE, int (*)(FILE *)> file(std::fopen(path.c_str(), "w"), std::fclose);
    if (!file)
        return Error{path + ": cannot write"};
    const auto columns = demoTelemetryColumns();
    std::fputs("timestamp", file.get());
    for (const auto &c : columns)
        std::fprintf(file.get(), ",%s", c.column.c_str());
    std::fputc('\n', file.get());
    const std::time_t start = std::time_t(kDemoTelemetryStart / kNsPerSecond);
    for (int second = 0; second < seconds; ++second) {
        const std::time_t t = start + second;
        std::tm tm{};
        gmtime_r(&t, &tm);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        std::fputs(stamp, file.get());
        for (size_t c = 0; c < columns.size(); ++c)
            std::fprintf(file.get(), ",%.4f", demoTelemetryValue(c, second));
        std::fputc('\n', file.get());
    }
    if (std::fflush(file.get()) != 0)
        return Error{path + ": write failed"};
    return okStatus();
}

std::string demoTelemetryMappingJson()
{
    nlohmann::json j{{"delimiter", ","}, {"timestamp", {{"column", "timestamp"}, {"format", "iso8601"}}}};
    j["columns"] = nlohmann::json::array();
    for (const auto &c : demoTelemetryColumns())
        j["columns"].push_back(
            {{"column", c.column}, {"asset", c.assetPath}, {"telemetry", c.telemetry}, {"unit", c.unit}});
    return j.dump(2);
}

Status fillDemoHistory(Project &project, int seconds)
{
    if (!project.history)
        project.history = std::make_shared<TimeSeriesStore>();
    StoreSink sink(*project.history);
    QualityPipeline pipeline(&sink);
    std::map<std::string, AssetId> byPath;
    for (AssetId id : project.graph.allIds())
        byPath[project.graph.path(id)] = id;
    const auto columns = demoTelemetryColumns();
    std::vector<std::size_t> signals;
    for (const auto &c : columns) {
        auto it = byPath.find(c.assetPath);
        if (it == byPath.end())
            return Error{"demo telemetry: no asset " + c.assetPath};
        SignalQualityConfig config;
        for (const auto *t : project.types.telemetry(project.graph.find(it->second)->typeId))
            if (t->name == c.telemetry) {
                config.min = t->minimum;
                config.max = t->maximum;
            }
        config.expectedPeriod = kNsPerSecond;
        project.history->addSignal({it->second, c.telemetry}, c.unit);
        signals.push_back(pipeline.addSignal({it->second, c.telemetry}, config));
    }
    for (int second = 0; second < seconds; ++second) {
        const TimeNs t = kDemoTelemetryStart + TimeNs(second) * kNsPerSecond;
        for (size_t c = 0; c < columns.size(); ++c)
            pipeline.push(signals[c], Sample{t, t, demoTelemetryValue(c, second), QualityGood});
    }
    pipeline.flush();
    return okStatus();
}

std::vector<RuleSet> demoRuleSets()
{
    RuleSet pump;
    pump.typeId = kNs + "Pump;1";
    pump.states = {"Off", "Running", "Degraded", "Fault"};
    pump.initialState = "Off";
    pump.transitions = {
        {"Off", "Running", "flow > 20", 5},
        {"*", "Off", "flow < 5", 10},
        {"Running", "Degraded", "dischargePressure < 3 && flow > 20", 30},
        {"Degraded", "Running", "dischargePressure > 3.3", 30}, // hysteresis: in below 3.0, out above 3.3
        {"Degraded", "Fault", "dischargePressure < 1.5", 60},
        {"Fault", "Running", "dischargePressure > 3.3 && flow > 20", 60},
    };
    AlarmRule low;
    low.name = "Low discharge pressure";
    low.severity = AlarmSeverity::Major;
    low.condition = "dischargePressure < 2 && flow > 20";
    low.clearCondition = "dischargePressure > 2.5 || flow < 5";
    low.minDurationS = 20;
    low.message = "Discharge pressure below 2 bar while pumping: check suction (cavitation)";
    pump.alarms = {low};

    RuleSet motor;
    motor.typeId = kNs + "Motor;1";
    motor.states = {"Off", "Running", "Fault"};
    motor.initialState = "Off";
    motor.transitions = {
        {"Off", "Running", "current > 10", 5},
        {"Running", "Off", "current < 2", 10},
        {"Running", "Fault", "windingTemperature > 130", 30},
        {"Fault", "Off", "current < 2 && windingTemperature < 90", 60},
    };
    AlarmRule hot;
    hot.name = "Winding over temperature";
    hot.severity = AlarmSeverity::Critical;
    hot.condition = "windingTemperature > 120";
    hot.clearCondition = "windingTemperature < 100";
    hot.minDurationS = 10;
    hot.message = "Motor winding above 120 °C (insulation class F limit 155 °C)";
    motor.alarms = {hot};
    return {pump, motor};
}

} // namespace twin::model
