// twinctl: the headless face of Twinworks. Same core as the workbench.
#include "CliOutput.h"
#include "VerbHelp.h"
#include "Verbs.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#ifdef TWIN_CLI_HAS_GUI
namespace twin::cli {
int verbScreenshot(int argc, char **argv, const Args &args, bool json);
}
#endif

namespace {
void usage(std::FILE *to = stderr)
{
    std::fprintf(
        to,
        "usage: twinctl [--json] <verb> ...  (twinctl help VERB, or VERB --help: its options)\n"
        "  demo --out p.twin                         write the bundled demo project\n"
        "  info p.twin                               counts of types, assets, relationships\n"
        "  validate p.twin                           model and instance lint\n"
        "  import-dtdl <file-or-dir>... --project p.twin\n"
        "  export-dtdl p.twin <dir> [--dtdl-version 3|4]  one file per interface (default v3)\n"
        "  screenshot p.twin --out shot.png [--size 1280x800]\n"
        "  ingest p.twin <file.csv|.jsonl> [--mapping m.json] [--save-mapping NAME]\n"
        "  replay p.twin [--speed max|N] [--report out.json]\n"
        "  mqtt p.twin --broker host:port [--duration 30s] [--config conn.json]\n"
        "  fmu-info model.fmu                        FMU variables, units, experiment, capabilities\n"
        "  fmu-run model.fmu --out out.csv [--start --stop --step --set n=v --inputs in.csv\n"
        "           --interface cs|me --solver cvode|dopri5 --tolerance RTOL]\n"
        "  ssp-info system.ssp                       SSP components, connections, order, loops\n"
        "  ssp-run system.ssp --out out.csv [--start --stop --step --algorithm jacobi|gauss-seidel\n"
        "           --loops solve|delay --set component.variable=v --inputs in.csv]\n"
        "  scenarios p.twin                          what-if scenarios and their last runs\n"
        "  simulate p.twin --scenario NAME [--define s.json] [--set x=v] --out results.csv\n"
        "  sweep p.twin --scenario NAME --param x=1:10:10 [--monte-carlo N --dist x=normal(1,0.1)]\n"
        "        [--workers 2] --out dir/\n"
        "  calibrate p.twin --asset PATH [--window FROM/TO]... [--apply] [--out fit.json] [--report r.html]\n"
        "  calibrate --fmu model.fmu --data observed.csv --param NAME=LO:HI[:START]... [--out fit.json]\n"
        "        fit model parameters to the twin's history or to a CSV (calibrate --help for every option)\n"
        "  sensitivity p.twin --asset PATH --method local|morris|sobol [--samples N] --out s.json\n"
        "  detect FILE.csv --train-rows N [--method auto|t2q|mset|cusum|ewma|ks|page-hinkley] [--ignore "
        "COL,...] --out "
        "alarms.csv\n"
        "        anomaly detection trained on the first N rows (detect --help for every option)\n"
        "  shadow p.twin --asset PATH --window FROM/TO [--chunk 60] [--save] [--out shadow.csv]\n"
        "        the bound model run alongside the recorded data: residuals per output\n"
        "  health p.twin [--now TIME|wall]           data freshness, quality, calibration, scenario runs per "
        "asset\n");
}
} // namespace

int main(int argc, char **argv)
{
    using namespace twin::cli;
    Args args(argv + 1, argv + argc);
    const bool json = takeFlag(args, "--json");
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        usage(args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "help") { // twinctl help [VERB]
        if (args.size() == 1) {
            usage(stdout);
            return 0;
        }
        args = {args[1], "--help"};
    }
    const std::string verb = args[0];
    args.erase(args.begin());
    // --help anywhere after a verb of the help table; the other verbs answer it themselves.
    if (const std::string help = verbHelp(verb);
        !help.empty() && std::any_of(args.begin(), args.end(),
                                     [](const std::string &a) { return a == "--help" || a == "-h"; })) {
        std::printf("%s\n", help.c_str());
        return 0;
    }
    if (verb == "demo")
        return emitReport(verbDemo(args), json);
    if (verb == "info")
        return emitReport(verbInfo(args), json);
    if (verb == "validate")
        return emitReport(verbValidate(args), json);
    if (verb == "import-dtdl")
        return emitReport(verbImportDtdl(args), json);
    if (verb == "export-dtdl")
        return emitReport(verbExportDtdl(args), json);
    if (verb == "ingest")
        return emitReport(verbIngest(args), json);
    if (verb == "replay")
        return emitReport(verbReplay(args), json);
    if (verb == "mqtt")
        return emitReport(verbMqtt(args), json);
    if (verb == "fmu-info")
        return emitReport(verbFmuInfo(args), json);
    if (verb == "fmu-run")
        return emitReport(verbFmuRun(args), json);
    if (verb == "ssp-info")
        return emitReport(verbSspInfo(args), json);
    if (verb == "ssp-run")
        return emitReport(verbSspRun(args), json);
    if (verb == "scenarios")
        return emitReport(verbScenarios(args), json);
    if (verb == "simulate")
        return emitReport(verbSimulate(args), json);
    if (verb == "sweep")
        return emitReport(verbSweep(args), json);
    if (verb == "calibrate")
        return emitReport(verbCalibrate(args), json);
    if (verb == "sensitivity")
        return emitReport(verbSensitivity(args), json);
    if (verb == "detect")
        return emitReport(verbDetect(args), json);
    if (verb == "health")
        return emitReport(verbHealth(args), json);
    if (verb == "forecast")
        return emitReport(verbForecast(args), json);
    if (verb == "shadow")
        return emitReport(verbShadow(args), json);
#ifdef TWIN_CLI_HAS_GUI
    if (verb == "screenshot")
        return verbScreenshot(argc, argv, args, json);
#endif
    std::fprintf(stderr, "twinctl: unknown verb '%s'\n", verb.c_str());
    usage();
    return 2;
}
