#include "VerbHelp.h"

#include <cstring>

namespace twin::cli {

namespace {

struct VerbText
{
    const char *verb;
    const char *usage;
    const char *about; // what it does, then one line per option
};

const VerbText kVerbs[] = {
    {"demo", "usage: twinctl demo --out p.twin [--telemetry rec.csv] [--mapping m.json] [--no-history]",
     "Writes the bundled demo project (pump skids, motors, rules, scenarios, a calibration story).\n"
     "  --out FILE         the project file to write\n"
     "  --telemetry FILE   also write the demo's recorded telemetry as CSV\n"
     "  --mapping FILE     also write the ingest mapping (JSON) for that CSV\n"
     "  --no-history       leave the project's telemetry history empty"},
    {"info", "usage: twinctl info p.twin", "Counts of types, assets and relationships in a project."},
    {"validate", "usage: twinctl validate p.twin",
     "Model and instance lint: unresolved types, bad property values, broken relationships (exit 1 on "
     "errors)."},
    {"import-dtdl", "usage: twinctl import-dtdl <file-or-dir>... --project p.twin [--strict]",
     "Imports DTDL v2/v3/v4 interfaces into a project (created when missing).\n"
     "  --project FILE     the project to import into\n"
     "  --strict           limits of the DTDL reference parser that published models exceed (string\n"
     "                     lengths, depth, an @id repeated identically) are errors, not warnings"},
    {"export-dtdl", "usage: twinctl export-dtdl p.twin <dir> [--dtdl-version 3|4]",
     "Writes one DTDL file per interface.\n"
     "  --dtdl-version N   3 (default) or 4"},
    {"ingest", "usage: twinctl ingest p.twin <file.csv|file.jsonl> [--mapping m.json] [--save-mapping NAME]",
     "Reads recorded telemetry into the project's history through a column mapping, with unit\n"
     "normalization and data-quality checks on every sample.\n"
     "  --mapping FILE        the mapping (JSON); else the project's saved mapping \"default\"\n"
     "  --save-mapping NAME   keep the mapping used in the project under NAME"},
    {"replay", "usage: twinctl replay p.twin [--speed max|N] [--report out.json]",
     "Replays the project's history through the rules and state machines: states, alarms, timing.\n"
     "  --speed max|N      as fast as possible (default) or N times real time\n"
     "  --report FILE      write the replay's figures as JSON"},
    {"mqtt",
     "usage: twinctl mqtt p.twin --broker host:port [--duration 30s] [--config conn.json] [--plugins DIR]",
     "Subscribes to live telemetry on an MQTT broker and drives the twin's state.\n"
     "  --broker HOST:PORT the broker (or --config)\n"
     "  --duration TIME    how long to listen (e.g. 30s, 5m)\n"
     "  --config FILE      the connection's JSON (topics, credentials, TLS)\n"
     "  --plugins DIR      where the connector plugins are"},
    {"fmu-info", "usage: twinctl fmu-info model.fmu [--plugins DIR] [--json]",
     "An FMU's variables (type, causality, unit, start), default experiment and capabilities."},
    {"fmu-run",
     "usage: twinctl fmu-run model.fmu --out out.csv [--start T] [--stop T] [--step H] [--set name=value]... "
     "[--inputs in.csv] [--interface cs|me] [--solver cvode|dopri5] [--tolerance RTOL] [--save-state FILE "
     "--save-at T] [--from-state FILE] [--timeout S] [--memory MiB] [--plugins DIR]",
     "Runs an FMU (FMI 1.0/2.0/3.0, co-simulation or model exchange) in an isolated worker and writes its\n"
     "outputs as CSV. An FMU that ends early (Discard, terminate) is a result: the rows so far and a note.\n"
     "  --start/--stop/--step   the run (default: the FMU's default experiment)\n"
     "  --set NAME=VALUE        a parameter or start value, by the variable's type (text, 0x.. for bytes)\n"
     "  --inputs FILE           input table (CSV, first column time)\n"
     "  --interface cs|me       which interface to use when the FMU has both\n"
     "  --solver, --tolerance   the integrator for model exchange\n"
     "  --save-state FILE --save-at T, --from-state FILE   FMU state save and restore\n"
     "  --timeout S, --memory MiB   limits of the worker process"},
    {"ssp-info", "usage: twinctl ssp-info system.ssp [--plugins DIR] [--json]",
     "An SSP system's components, connections (with their conversions), stepping order and loops."},
    {"ssp-run",
     "usage: twinctl ssp-run system.ssp --out out.csv [--start T] [--stop T] [--step H] [--algorithm "
     "jacobi|gauss-seidel] [--loops solve|delay] [--set component.variable=value]... [--inputs in.csv] "
     "[--timeout S] [--memory MiB] [--plugins DIR]",
     "Runs an SSP 1.0 system of FMUs and writes every Component.variable and system output as CSV.\n"
     "  --algorithm A      jacobi (default) or gauss-seidel master\n"
     "  --loops solve|delay  algebraic loops solved at each communication point (default) or delayed a step\n"
     "  --set NAME=VALUE   overrides the package's parameter values"},
    {"scenarios", "usage: twinctl scenarios p.twin", "The project's what-if scenarios and their last runs."},
    {"simulate",
     "usage: twinctl simulate p.twin --scenario NAME [--define s.json] [--set x=v]... --out results.csv "
     "[--no-store]",
     "Runs one scenario from the twin's current state and writes its results as CSV.\n"
     "  --scenario NAME    the scenario (or --define with its JSON)\n"
     "  --set X=V          a parameter override\n"
     "  --no-store         do not keep the run in the project"},
    {"sweep",
     "usage: twinctl sweep p.twin --scenario NAME (--param x=1:10:10 ... | --monte-carlo N --dist "
     "x=normal(1,0.1) ...) [--workers 2] --out dir/",
     "Parameter sweeps and Monte Carlo over a scenario on kept worker processes.\n"
     "  --param X=LO:HI:N  a grid axis (several make a full factorial)\n"
     "  --monte-carlo N --dist X=normal(M,S)|uniform(LO,HI)|lognormal(MU,SIGMA)   N random draws\n"
     "  --workers N        worker processes (default 2)"},
    {"shadow",
     "usage: twinctl shadow p.twin --asset PATH --window FROM/TO [--chunk SECONDS] [--step SECONDS] [--save] "
     "[--out shadow.csv] [--plugins DIR]",
     "Runs the asset's bound model alongside its recorded data: driven by the measured inputs, from the\n"
     "twin's state at the window's start, advanced chunk by chunk on a kept worker process, each chunk "
     "going\n"
     "on from the state the last one saved (the model must be able to save its state: sim-ode, FMUs with\n"
     "canGetAndSetFMUstate). Prints each bound output's RMSE and bias of observed - simulated.\n"
     "  --window FROM/TO   UTC times (ISO 8601)\n"
     "  --chunk SECONDS    model time per chunk (default 60)\n"
     "  --step SECONDS     communication step (default: the observations' median spacing)\n"
     "  --out FILE         CSV of time,telemetry,observed,simulated,residual\n"
     "  --save             keep <telemetry>_shadow and <telemetry>_residual in the project's history"},
    {"screenshot", "usage: twinctl screenshot p.twin --out shot.png [--size 1280x800]",
     "Renders the project's 3D scene to a PNG (needs a display for Qt Quick 3D, e.g. Xvfb)."},
};

const VerbText *find(const std::string &verb)
{
    for (const VerbText &v : kVerbs)
        if (verb == v.verb)
            return &v;
    return nullptr;
}

} // namespace

const char *verbUsage(const std::string &verb)
{
    const VerbText *v = find(verb);
    return v ? v->usage : nullptr;
}

std::string verbHelp(const std::string &verb)
{
    const VerbText *v = find(verb);
    return v ? std::string(v->usage) + "\n\n" + v->about : std::string();
}

} // namespace twin::cli
