#include "twin/model/demo/DemoTwin.h"

#include "twin/model/calibration/CalibrationDefinition.h"
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/dtdl/DtdlImporter.h"
#include "twin/model/project/StartAsset.h"
#include "twin/model/scenario/Binding.h"
#include "twin/model/scenario/Scenario.h"

#include <cmath>

namespace twin::model {
namespace {
const std::string kNs = "dtmi:twinworks:demo:";
std::string dtmi(const char *name)
{
    return kNs + name + ";1";
}

struct Builder
{
    Project &project;
    AssetId add(AssetId parent, const std::string &name, const char *type, std::array<float, 3> pos,
                std::map<std::string, Value> props = {}, std::array<float, 3> scale = {1, 1, 1},
                std::array<float, 3> rot = {0, 0, 0})
    {
        Asset a;
        a.id = project.graph.newId();
        a.parent = parent;
        a.name = name;
        a.typeId = dtmi(type);
        a.properties = std::move(props);
        a.placement.position = pos;
        a.placement.scale = scale;
        a.placement.rotation = rot;
        expectOk(project.graph.insertAsset(a), "demo asset");
        return a.id;
    }
    void relate(AssetId source, const char *name, AssetId target, std::map<std::string, Value> props = {})
    {
        expectOk(project.graph.addRelationship({0, name, source, target, std::move(props)}),
                 "demo relationship");
    }
};

void setTelemetryRange(Project &project, const char *type, const char *telemetry, double lo, double hi)
{
    AssetType copy = *project.types.find(dtmi(type));
    for (auto &t : copy.telemetry)
        if (t.name == telemetry) {
            t.minimum = lo;
            t.maximum = hi;
        }
    project.types.add(std::move(copy));
}

void setRange(Project &project, const char *type, const char *property, double lo, double hi)
{
    AssetType copy = *project.types.find(dtmi(type));
    for (auto &p : copy.properties)
        if (p.name == property) {
            p.minimum = lo;
            p.maximum = hi;
        }
    project.types.add(std::move(copy));
}
} // namespace

std::string meshForType(const Project &project, const std::string &typeId)
{
    if (auto it = project.meta.find("mesh:" + typeId); it != project.meta.end())
        return it->second;
    for (const auto &base : project.types.ancestors(typeId))
        if (auto it = project.meta.find("mesh:" + base); it != project.meta.end())
            return it->second;
    return "cube";
}

void setMeshForType(Project &project, const std::string &typeId, const std::string &mesh)
{
    project.meta["mesh:" + typeId] = mesh;
}

Status buildDemoTwin(Project &project)
{
    auto imported = dtdl::importDocuments({{"pump-station.dtdl.json", demoModelDtdl()}});
    if (!imported.ok())
        return Error{"demo model: " + imported.errors.front().toString()};
    for (auto &type : imported.types)
        project.types.add(std::move(type));
    setRange(project, "Pump", "speed", 0, 3600);
    setRange(project, "Valve", "opening", 0, 100);
    setRange(project, "Valve", "nominalDiameter", 15, 1200);
    setRange(project, "Pump", "ratedFlow", 0, 5000);
    setRange(project, "Tank", "volume", 0, 100000);
    setTelemetryRange(project, "Pump", "flow", 0, 600);
    setTelemetryRange(project, "Pump", "dischargePressure", 0, 16);
    setTelemetryRange(project, "Motor", "current", 0, 250);
    setTelemetryRange(project, "Motor", "windingTemperature", -20, 180);
    setTelemetryRange(project, "Tank", "level", 0, 6.5);
    project.meta["name"] = "Riverside pump station (demo)";
    // The workbench opens on the motor whose fouled cooler the demo's story is about.
    project.meta[kStartAssetMeta] = "Riverside site/Pump station PS-1/Skid 3/Motor M-103";
    setMeshForType(project, dtmi("Site"), "none");
    setMeshForType(project, dtmi("Station"), "none");
    setMeshForType(project, dtmi("Skid"), "cube");
    setMeshForType(project, dtmi("Pump"), "cylinder");
    // Our own meshes (tools/make_demo_meshes.py), relative: resolved against the project's folder, then the
    // bundled resources. Modelled in metres: placement scale 1 is true size.
    setMeshForType(project, dtmi("Motor"), "file:meshes/motor.stl");
    setMeshForType(project, dtmi("Valve"), "file:meshes/valve.ply");
    setMeshForType(project, dtmi("Pipe"), "cylinder");
    setMeshForType(project, dtmi("Tank"), "cylinder");
    setMeshForType(project, dtmi("Sensor"), "sphere");

    Builder b{project};
    const AssetId site =
        b.add(kNoAsset, "Riverside site", "Site", {0, 0, 0}, {{"address", std::string("1 River Rd")}});
    const AssetId station = b.add(site, "Pump station PS-1", "Station", {0, 0, 0},
                                  {{"capacity", 1200.0}, {"tag", std::string("PS-1")}});
    const AssetId tankA = b.add(station, "Storage tank T-1", "Tank", {-4, 3, -8},
                                {{"volume", 500.0}, {"height", 6.0}, {"tag", std::string("T-1")}}, {4, 6, 4});
    const AssetId tankB = b.add(station, "Storage tank T-2", "Tank", {8, 3, -8},
                                {{"volume", 500.0}, {"height", 6.0}, {"tag", std::string("T-2")}}, {4, 6, 4});
    const AssetId levelA = b.add(tankA, "Level LT-1", "LevelSensor", {-4, 6.4f, -8}, {}, {0.3f, 0.3f, 0.3f});
    const AssetId levelB = b.add(tankB, "Level LT-2", "LevelSensor", {8, 6.4f, -8}, {}, {0.3f, 0.3f, 0.3f});
    b.relate(levelA, "observes", tankA);
    b.relate(levelB, "observes", tankB);
    const AssetId header = b.add(station, "Discharge header", "Pipe", {2, 1.2f, -3},
                                 {{"length", 16.0}, {"diameter", 300.0}}, {0.35f, 16, 0.35f}, {0, 0, 90});
    const char *states[] = {"Running", "Running", "Degraded", "Off"};
    for (int i = 0; i < 4; ++i) {
        const std::string n = std::to_string(i + 1);
        const float x = -4.5f + 4.0f * float(i);
        const AssetId skid = b.add(station, "Skid " + n, "Skid", {x, 0.1f, 0},
                                   {{"tag", std::string("SK-" + n)}}, {3, 0.2f, 2});
        const AssetId pump = b.add(skid, "Pump P-10" + n, "Pump", {x - 0.5f, 0.7f, 0},
                                   {{"tag", std::string("P-10" + n)},
                                    {"state", std::string(states[i])},
                                    {"ratedFlow", 300.0},
                                    {"ratedHead", 45.0},
                                    {"speed", 1480.0},
                                    {"manufacturer", std::string("Grundfos")},
                                    {"serialNumber", std::string("GF-2291-" + n)}},
                                   {0.8f, 0.8f, 0.8f}, {90, 0, 0});
        // The motor mesh: shaft axis at its origin, feet 0.3 m below it, shaft towards -x (the pump).
        const AssetId motor = b.add(skid, "Motor M-10" + n, "Motor", {x + 0.8f, 0.5f, 0},
                                    {{"tag", std::string("M-10" + n)},
                                     {"state", std::string(states[i])},
                                     {"ratedPower", 55.0},
                                     {"voltage", 400.0}});
        const AssetId suctionValve = b.add(
            skid, "Suction valve V-1" + n + "1", "Valve", {x - 0.5f, 0.7f, 1.6f},
            {{"kind", std::string("gate")}, {"opening", 100.0}, {"nominalDiameter", std::int64_t(200)}});
        const AssetId dischargeValve = b.add(
            skid, "Check valve V-1" + n + "2", "Valve", {x - 0.5f, 1.2f, -1.6f},
            {{"kind", std::string("check")}, {"opening", 100.0}, {"nominalDiameter", std::int64_t(150)}},
            {0.75f, 0.75f, 0.75f}); // the valve mesh is DN200 at scale 1
        const AssetId suction = b.add(skid, "Suction pipe " + n, "Pipe", {x - 0.5f, 0.7f, 3.0f},
                                      {{"length", 3.0}, {"diameter", 200.0}}, {0.25f, 3, 0.25f}, {90, 0, 0});
        const AssetId discharge =
            b.add(skid, "Discharge pipe " + n, "Pipe", {x - 0.5f, 1.2f, -2.3f},
                  {{"length", 1.4f}, {"diameter", 150.0}}, {0.2f, 1.4f, 0.2f}, {90, 0, 0});
        const AssetId pt = b.add(skid, "Pressure PT-10" + n, "PressureSensor", {x - 0.5f, 1.7f, -1.2f}, {},
                                 {0.2f, 0.2f, 0.2f});
        const AssetId ft =
            b.add(skid, "Flow FT-10" + n, "FlowSensor", {x - 0.5f, 1.5f, -2.6f}, {}, {0.2f, 0.2f, 0.2f});
        const AssetId tt = b.add(skid, "Winding temp TT-10" + n, "TemperatureSensor", {x + 0.8f, 0.94f, 0},
                                 {}, {0.18f, 0.18f, 0.18f});
        b.relate(motor, "drives", pump);
        b.relate(pump, "feeds", i < 2 ? tankA : tankB, {{"lineSize", 150.0}});
        b.relate(pump, "connectedTo", discharge);
        b.relate(discharge, "connectsTo", header);
        b.relate(suction, "connectsTo", suctionValve);
        b.relate(discharge, "connectsTo", dischargeValve);
        b.relate(pt, "observes", pump);
        b.relate(ft, "observes", discharge);
        b.relate(tt, "observes", motor);
    }
    for (const RuleSet &rules : demoRuleSets())
        setProjectRuleSet(project, rules);
    b.relate(station, "contains", tankA);
    b.relate(station, "contains", tankB);
    addDemoSimulation(project);
    return fillDemoHistory(project);
}

// --- Simulation bindings and what-if scenarios -------------------------------------------------
void addDemoSimulation(Project &project)
{
    using namespace scenario;
    using D = VariableBinding::Direction;
    SimulationBinding pump{dtmi("Pump"),
                           "twin.sim-ode",
                           "pumpstation",
                           R"({"solver": "dopri5", "rtol": 1e-6})",
                           {{"pump.speed", "speed", D::In, "revolutionPerMinute"},
                            {"tank.level", "feeds/level", D::In, "metre"},
                            {"pump.Q", "flow", D::Out, "cubicMetrePerSecond"},
                            {"tank.level", "feeds/level", D::Out, "metre"},
                            {"motor.I", "^drives/current", D::Out, "ampere"},
                            {"motor.T", "^drives/windingTemperature", D::Out, "degreeCelsius"}}};
    setBinding(project, pump);
    // Maintenance crews for the station's pumps (rates per hour: model time in hours).
    setBinding(project, {dtmi("Station"),
                         "twin.sim-des",
                         "maintenance",
                         R"({"N": 4, "lambdaF": 0.002, "muR": 0.02, "k": 1})",
                         {}});

    const std::vector<Kpi> pumpKpis = {{"energy", "integral(pump.P) / 3.6e6", "kWh"},
                                       {"meanFlow", "mean(flow)", "m3/h"},
                                       {"maxLevel", "max(feeds/level)", "m"},
                                       {"timeAbove2.5m", "timeAbove(feeds/level, 2.5)", "s"}};
    const std::string p101 = "Riverside site/Pump station PS-1/Skid 1/Pump P-101";
    ScenarioDefinition base{"baseline", "Pump P-101 as it runs now", {p101}, {}, 600, 1, 1, {}, pumpKpis};
    setScenario(project, base);
    ScenarioDefinition slow = base;
    slow.name = "speed-1200";
    slow.description = "Pump P-101 slowed to 1200 rpm";
    slow.overrides = {
        {"speed", Override::Kind::Constant, 1200, 0, {}, 0, 0, 0, {}, {}, "revolutionPerMinute"}};
    setScenario(project, slow);
    ScenarioDefinition valve = base;
    valve.name = "valve-50";
    valve.description = "Discharge valve of P-101 throttled to 50 % after one minute";
    valve.overrides = {{"valve.command", Override::Kind::Step, 50, 60, 100, 0, 0, 0, {}, {}, "percent"}};
    setScenario(project, valve);

    const std::vector<Kpi> crewKpis = {{"availability", "final(availability)", ""},
                                       {"pumpHoursDown", "integral(down)", "h"},
                                       {"crewUtilization", "final(crewUtilization)", ""}};
    ScenarioDefinition crews{"crews-1",
                             "Station PS-1, one repair crew",
                             {"Riverside site/Pump station PS-1"},
                             {},
                             87600,
                             24,
                             7,
                             {},
                             crewKpis};
    setScenario(project, crews);
    crews.name = "crews-2";
    crews.description = "Station PS-1, two repair crews";
    Override twoCrews;
    twoCrews.target = "k";
    twoCrews.value = 2;
    crews.overrides = {twoCrews};
    setScenario(project, crews);

    // Motor winding temperature on the FMI backend: our own FMU (resources/fmus/motor-cooling), a first-order
    // thermal model started from the motor's latest winding temperature. The relative path resolves against
    // the project's folder, then <prefix>/share/twinworks (resolveResourcePath, scenario/Binding.h).
    setBinding(project, {dtmi("Motor"),
                         "twin.sim-fmi",
                         "motor_cooling",
                         R"({"fmu": "fmus/motor-cooling.fmu"})",
                         {{"T0", "windingTemperature", D::In, "degreeCelsius"},
                          {"I", "current", D::In, "ampere"},
                          {"T", "windingTemperature", D::Out, "degreeCelsius"}}});
    const std::vector<Kpi> thermalKpis = {{"finalT", "final(T)", "degC"},
                                          {"maxT", "max(T)", "degC"},
                                          {"timeAbove120C", "timeAbove(T, 120)", "s"}};
    const std::string m101 = "Riverside site/Pump station PS-1/Skid 1/Motor M-101";
    ScenarioDefinition cooldown{
        "cooldown-fmu",
        "Motor M-101 tripped: no losses, the winding cools from its current temperature",
        {m101},
        {},
        3600,
        10,
        1,
        {{"P_loss", Override::Kind::Constant, 0, 0, {}, 0, 0, 0, {}, {}, "watt"},
         {"current", Override::Kind::Constant, 0, 0, {}, 0, 0, 0, {}, {}, "ampere"}},
        thermalKpis};
    setScenario(project, cooldown);
    ScenarioDefinition overload = cooldown;
    overload.name = "overload-fmu";
    overload.description = "Motor M-101 overloaded: its current steps to 170 A after 5 minutes";
    overload.overrides = {{"current", Override::Kind::Step, 170, 300, {}, 0, 0, 0, {}, {}, "ampere"}};
    setScenario(project, overload);
    addDemoCalibration(project);
}

// Motor M-103's cooler is fouled (DemoTelemetry.h): its winding runs hotter than the FMU's defaults say.
// Calibrate the thermal resistance and time constant (and the start temperature) on the first hour (which
// holds a load step up) and check on the second hour (a load step down) against acceptance criteria.
void addDemoCalibration(Project &project)
{
    using namespace calibration;
    CalibrationDefinition d;
    d.asset = "Riverside site/Pump station PS-1/Skid 3/Motor M-103";
    // The winding temperature at the window's start is a noisy measurement: fitted too, or its error would
    // bias the time constant.
    d.parameters = {{"R_th", 0.005, 0.2, std::nullopt, std::nullopt, std::nullopt},
                    {"tau", 100, 6000, std::nullopt, std::nullopt, std::nullopt},
                    {"T0", 0, 200, std::nullopt, std::nullopt, std::nullopt}};
    d.outputs = {{"windingTemperature", std::nullopt, 1, Loss::Squared}};
    const TimeNs hour = 3600 * kNsPerSecond;
    d.windows = {{kDemoTelemetryStart, kDemoTelemetryStart + hour}};
    d.holdout = {{kDemoTelemetryStart + hour + kNsPerSecond, kDemoTelemetryStart + 2 * hour}};
    d.acceptance = {{"nrmse", "<=", 0.05, "", true}, {"absBias", "<=", 0.5, "", true}};
    setDefinition(project, d);
}

} // namespace twin::model
