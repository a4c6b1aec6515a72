// Scenario core: bindings and their lint, scenario JSON, runs on the demo through
// sim-ode / sim-des in worker processes, reproducibility, sweeps, Monte Carlo on 2 workers, KPIs, and a
// crashing FMU that is reported without taking the caller down.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/scenario/ScenarioRun.h"
#include "twin/model/scenario/Sweep.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace twin::model;
using namespace twin::model::scenario;

namespace {
const std::string kBin = TWIN_BINARY_DIR;
const std::string kPlugins = kBin + "/plugins";
const std::string kP101 = "Riverside site/Pump station PS-1/Skid 1/Pump P-101";
const std::string kPump = "dtmi:twinworks:demo:Pump;1";

std::unique_ptr<Project> demo()
{
    auto p = std::make_unique<Project>();
    p->history = std::make_shared<TimeSeriesStore>();
    if (auto s = buildDemoTwin(*p); !s)
        qFatal("%s", s.error().c_str());
    return p;
}

ModelVariablesLookup lookup()
{
    return [](const SimulationBinding &b, std::string &why) { return modelVariables(kPlugins, b, why); };
}

bool hasRule(const std::vector<LintFinding> &f, const std::string &rule)
{
    for (const auto &x : f)
        if (x.rule == rule && x.severity == LintFinding::Severity::Error)
            return true;
    return false;
}

ExecutorOptions options()
{
    ExecutorOptions o;
    o.pluginDir = kPlugins;
    o.workerPath = kBin + "/bin/twin-simworker";
    return o;
}

ScenarioRunResult runOne(const Project &p, const ScenarioDefinition &d)
{
    ScenarioExecutor ex(options());
    const ScenarioPlans planned = planScenarioTargets(p, d, kPlugins);
    if (planned.plans.size() != 1 || !planned.errors.empty())
        qFatal("expected one run");
    return executePlan(ex, planned.plans.front()).result;
}

double kpi(const ScenarioRunResult &r, const std::string &name)
{
    for (const auto &k : r.kpis)
        if (k.name == name)
            return k.value;
    return std::nan("");
}
} // namespace

class TstScenario : public QObject
{
    Q_OBJECT
private slots:
    void demoBindingsAreClean()
    {
        auto p = demo();
        const auto f = lintBindings(*p, lookup());
        for (const auto &x : f)
            qWarning("%s: %s: %s", x.where.c_str(), x.rule.c_str(), x.message.c_str());
        QVERIFY(f.empty());
        QVERIFY(lintProject(*p).size() == lintProject(*p, {}).size());
    }

    void bindingValidation()
    {
        auto p = demo();
        SimulationBinding b = *findBinding(*p, kPump);
        b.variables.push_back({"pump.nope", "speed", VariableBinding::Direction::In, ""});
        QVERIFY(hasRule(validateBinding(*p, b, lookup()), "binding-missing-model-variable"));
        b.variables.back() = {"pump.speed", "noSuchProperty", VariableBinding::Direction::In, ""};
        QVERIFY(hasRule(validateBinding(*p, b, lookup()), "binding-missing-twin-variable"));
        b.variables.back() = {"motor.T", "dischargePressure", VariableBinding::Direction::Out,
                              "degreeCelsius"}; // degC vs bar
        const auto f = validateBinding(*p, b, lookup());
        QVERIFY(hasRule(f, "binding-unit-mismatch"));
        setBinding(*p, b);
        QVERIFY(
            hasRule(lintProject(*p), "binding-unit-mismatch")); // lint without plugins: units from binding
        QCOMPARE(bindingFromJson(bindingToJson(b)).value(), b);
    }

    void jsonRoundTrip()
    {
        ScenarioDefinition d{"what-if", "desc", {"A/B"}, 1700000000000000000LL, 120, 0.5, 42, {}, {}};
        d.overrides.push_back({"speed", Override::Kind::Constant, 1200, 0, {}, 0, 0, 0, {}, {}, "rpm"});
        d.overrides.push_back({"valve.command", Override::Kind::Step, 0.5, 60, 1.0, 0, 0, 0, {}, {}, ""});
        d.overrides.push_back({"x", Override::Kind::Ramp, 0, 0, 2.0, 4.0, 10, 20, {}, {}, ""});
        d.overrides.push_back({"y", Override::Kind::Series, 0, 0, {}, 0, 0, 0, {0, 1, 2}, {5, 6, 4}, "bar"});
        d.kpis.push_back({"energy", "integral(pump.P)/3.6e6", "kWh"});
        auto back = scenarioFromJson(scenarioToJson(d));
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().c_str());
        QCOMPARE(back.value(), d);
        QCOMPARE(d.overrides[2].valueAt(15, 0), 3.0);
        QCOMPARE(d.overrides[3].valueAt(1.5, 0), 5.0);
        auto o = parseOverride("valve.command=step(60,0.5)");
        QVERIFY(o.ok() && o->kind == Override::Kind::Step && o->at == 60 && o->value == 0.5);
        QVERIFY(parseOverride("speed=1200 rpm")->unit == "rpm");
    }

    void kpiFunctions()
    {
        ScenarioSeries s{{0, 1, 2, 3}, {{"x", {0, 2, 2, 0}}}};
        QCOMPARE(evaluateKpi(s, "integral(x)").value(), 4.0);
        QCOMPARE(evaluateKpi(s, "mean(x)").value(), 4.0 / 3);
        QCOMPARE(evaluateKpi(s, "max(x) + min(x) + final(x) + initial(x)").value(), 2.0);
        QCOMPARE(evaluateKpi(s, "timeAbove(x, 1)").value(), 2.0);
        QCOMPARE(evaluateKpi(s, "timeBelow(x, 0.5 * 2)").value(), 1.0);
        QCOMPARE(evaluateKpi(s, "integral(x) * 2 + max(x)").value(), 10.0);
        QVERIFY(!evaluateKpi(s, "integral(nope)").ok());
    }

    void affinityLaw()
    {
        auto p = demo(); // the Pump type on the bare pump model: no static head, so Q ~ n exactly
        setBinding(*p, {kPump,
                        "twin.sim-ode",
                        "pump",
                        "{}",
                        {{"speed", "speed", VariableBinding::Direction::In, "revolutionPerMinute"},
                         {"Q", "flow", VariableBinding::Direction::Out, "cubicMetrePerSecond"}}});
        ScenarioDefinition d{"n1", "", {kP101}, {}, 10, 1, 1, {}, {{"q", "final(flow)", "m3/h"}}};
        const auto base = runOne(*p, d);
        QVERIFY2(base.ok(), base.message.c_str());
        d.overrides.push_back(
            {"speed", Override::Kind::Constant, 20, 0, {}, 0, 0, 0, {}, {}, "revolutionPerSecond"});
        const auto slow = runOne(*p, d); // 20 r/s = 1200 rpm, property speed = 1480 rpm
        QVERIFY2(slow.ok(), slow.message.c_str());
        QVERIFY(kpi(base, "q") > 0);
        QVERIFY(std::abs(kpi(slow, "q") / kpi(base, "q") - 1200.0 / 1480.0) < 1e-9);
    }

    void pumpStationWhatIfs()
    {
        auto p = demo();
        const auto base = runOne(*p, *findScenario(*p, "baseline"));
        const auto slow = runOne(*p, *findScenario(*p, "speed-1200"));
        const auto valve = runOne(*p, *findScenario(*p, "valve-50"));
        QVERIFY2(base.ok() && slow.ok() && valve.ok(), (base.message + slow.message + valve.message).c_str());
        QVERIFY(kpi(slow, "meanFlow") < kpi(base, "meanFlow"));
        QVERIFY(kpi(slow, "energy") < kpi(base, "energy"));
        QVERIFY(kpi(valve, "meanFlow") < kpi(base, "meanFlow"));
        QCOMPARE(base.series.time.size(), std::size_t(601));

        // Stored: series under scenario signals, the definition and the versions in meta.
        const auto def = *findScenario(*p, "speed-1200");
        auto plan = planScenario(*p, def, kP101, kPlugins);
        QVERIFY(plan.ok());
        const auto [pv, mv] = backendVersions(kPlugins, plan->binding);
        QVERIFY(!pv.empty() && mv == "1.0");
        QVERIFY(storeScenarioRun(*p, plan.value(), {slow, pv, mv}).ok());
        ScenarioRunResult failed = slow;
        failed.outcome = sim::RunOutcome::Crashed;
        QVERIFY(!storeScenarioRun(*p, plan.value(), {failed, pv, mv}).ok()); // a failed run is never stored
        const auto id = p->history->findSignal({plan->asset, "scenario:speed-1200/flow"});
        QVERIFY(id && p->history->stats(*id).count == 601);
        const auto rec = nlohmann::json::parse(scenarioRunRecord(*p, "speed-1200"));
        QCOMPARE(rec["modelVersion"].get<std::string>(), std::string("1.0"));
        // The stored definition with the stored start reruns identically.
        auto again = *findScenario(*p, "speed-1200");
        again.startAt = rec["startAt"].get<TimeNs>();
        const auto rerun = runOne(*p, again);
        QCOMPARE(rerun.series.columns, slow.series.columns);
    }

    void stochasticReproducible()
    {
        auto p = demo();
        const auto a = runOne(*p, *findScenario(*p, "crews-1"));
        const auto b = runOne(*p, *findScenario(*p, "crews-1"));
        const auto two = runOne(*p, *findScenario(*p, "crews-2"));
        QVERIFY2(a.ok() && two.ok(), (a.message + two.message).c_str());
        QCOMPARE(a.series.columns, b.series.columns);
        QVERIFY(kpi(two, "pumpHoursDown") < kpi(a, "pumpHoursDown"));
        auto other = *findScenario(*p, "crews-1");
        other.seed = 8;
        QVERIFY(runOne(*p, other).series.columns != a.series.columns);
    }

    void sweepAndMonteCarlo()
    {
        auto p = demo();
        auto base = planScenario(*p, *findScenario(*p, "baseline"), kP101, kPlugins);
        QVERIFY(base.ok());
        base->job.stop = 60;
        ScenarioExecutor ex(options());
        auto axis = parseGridAxis("speed=1000:1400:5");
        QVERIFY(axis.ok() && axis->values.size() == 5 && axis->values[1] == 1100);
        const auto variants = gridVariants({axis.value()});
        const auto sweep = ex.runMany(variantPlans(base.value(), variants, false).value(), 2);
        QCOMPARE(sweep.size(), std::size_t(5));
        for (std::size_t i = 1; i < sweep.size(); ++i)
            QVERIFY(sweep[i].ok() && kpi(sweep[i], "meanFlow") > kpi(sweep[i - 1], "meanFlow"));

        auto dist = parseDistribution("speed=normal(1400,50)");
        QVERIFY(dist.ok());
        const auto mc = monteCarloVariants({dist.value()}, 8, 99);
        QVERIFY(mc == monteCarloVariants({dist.value()}, 8, 99));
        QVERIFY(mc != monteCarloVariants({dist.value()}, 8, 100));
        const auto plans = variantPlans(base.value(), mc, true).value();
        const auto r2 = ex.runMany(plans, 2), r2b = ex.runMany(plans, 2), r1 = ex.runMany(plans, 1);
        for (std::size_t i = 0; i < plans.size(); ++i) {
            QVERIFY(r2[i].ok());
            QCOMPARE(kpi(r2[i], "energy"), kpi(r2b[i], "energy"));
            QCOMPARE(kpi(r2[i], "energy"), kpi(r1[i], "energy"));
        }
        const auto summary = nlohmann::json::parse(sweepSummaryJson("baseline", mc, r2, 1.0, 2));
        QCOMPARE(summary["completed"].get<int>(), 8);
    }

    void crashingFmuIsReported()
    {
        auto p = demo();
        setBinding(*p, {"dtmi:twinworks:demo:PressureSensor;1",
                        "twin.sim-fmi",
                        "",
                        "{\"fmu\": \"" + kBin + "/tests/fmus/crash.fmu\"}",
                        {}});
        ScenarioDefinition d{"crash", "", {"Pressure PT-101"}, {}, 1, 0.1, 1, {}, {}};
        const auto r = runOne(*p, d);
        QCOMPARE(r.outcome, twin::model::sim::RunOutcome::Crashed);
        QVERIFY2(r.message.find("crash.fmu") != std::string::npos, r.message.c_str());
        QVERIFY(!r.ok());
        QVERIFY(!r.hasResult());
    }

    // Backends other people's models need are bound like any other: an SSP system of three FMUs, and a
    // model-exchange-only FMU, each run as a scenario on an asset.
    void sspSystemAndModelExchangeFmuAsBackends()
    {
        auto p = demo();
        setBinding(*p, {"dtmi:twinworks:demo:PressureSensor;1",
                        "twin.sim-ssp",
                        "loop",
                        "{\"ssp\": \"" + kBin + "/tests/ssp/loop.ssp\", \"algorithm\": \"gauss-seidel\"}",
                        {}});
        ScenarioDefinition d{"system", "", {"Pressure PT-101"}, {}, 1, 0.1, 1, {}, {}};
        auto r = runOne(*p, d);
        QVERIFY2(r.ok(), r.message.c_str());
        const auto *x = r.series.find("x");
        QVERIFY(x && !x->empty());
        QVERIFY(std::abs(x->back() - std::pow(0.9, 10)) < 1e-12); // (1 - h)^n, as the master's closed form

        setBinding(*p, {"dtmi:twinworks:demo:PressureSensor;1",
                        "twin.sim-fmi",
                        "",
                        "{\"fmu\": \"" + kBin + "/tests/fmus/bounce3.fmu\"}",
                        {}});
        d.horizon = 0.4;
        r = runOne(*p, d);
        QVERIFY2(r.ok(), r.message.c_str());
        const auto *h = r.series.find("h");
        QVERIFY(h && !h->empty());
        QVERIFY(std::abs(h->back() - (1 - 0.5 * 9.81 * 0.16)) < 1e-5); // falling freely until t = 0.45
    }

    // A model that stops early on its own (a discarded step) gives a result up to where it got: stored, the
    // record saying so; a crash gives none and nothing is stored.
    void earlyStopIsAResultACrashIsNot()
    {
        auto p = demo();
        setBinding(*p, {"dtmi:twinworks:demo:PressureSensor;1",
                        "twin.sim-fmi",
                        "",
                        "{\"fmu\": \"" + kBin + "/tests/fmus/discard.fmu\"}",
                        {}});
        ScenarioDefinition d{"early", "", {"Pressure PT-101"}, {}, 1, 0.1, 1, {}, {}};
        ScenarioExecutor ex(options());
        const ScenarioPlans planned = planScenarioTargets(*p, d, kPlugins);
        QCOMPARE(planned.plans.size(), std::size_t(1));
        const CompletedRun run = executePlan(ex, planned.plans.front());
        QVERIFY(run.result.stoppedEarly() && run.result.hasResult());
        QVERIFY(std::abs(run.result.series.time.back() - 0.5) < 1e-9);
        QVERIFY2(storeScenarioRun(*p, planned.plans.front(), run).ok(), run.result.message.c_str());
        const auto record = nlohmann::json::parse(scenarioRunRecord(*p, "early"));
        QCOMPARE(record["outcome"].get<std::string>(), std::string("discarded"));

        setBinding(*p, {"dtmi:twinworks:demo:PressureSensor;1",
                        "twin.sim-fmi",
                        "",
                        "{\"fmu\": \"" + kBin + "/tests/fmus/crash.fmu\"}",
                        {}});
        const ScenarioPlans crashing = planScenarioTargets(*p, d, kPlugins);
        const CompletedRun crashed = executePlan(ex, crashing.plans.front());
        QVERIFY(!storeScenarioRun(*p, crashing.plans.front(), crashed).ok());
    }
};

QTEST_GUILESS_MAIN(TstScenario)
#include "tst_scenario.moc"
