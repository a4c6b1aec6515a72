// twinctl: the headless face of Twinworks. Same core as the workbench.
#include "CliOutput.h"
#include "Reference.h"
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
        "usage: twinctl [--json] <verb> ...  (twinctl help VERB, or VERB --help: its options;\n"
        "       twinctl man: this reference as a man page; twinctl completion: a bash completion script)\n"
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
        "asset\n"
        "  release p.twin --version X.Y.Z --notes notes.md   freeze the model part as a release\n"
        "  releases p.twin                           the releases, oldest first\n"
        "  diff p.twin A [B]                         what changed from release A to B (default: working "
        "copy)\n"
        "  rollback p.twin VERSION                   the working copy's model part back to a release\n"
        "  audit p.twin [--kind KIND]                the hash-chained audit trail and its check\n");
}
// Every verb (screenshot, which needs the GUI's arguments, is dispatched apart).
struct VerbEntry
{
    const char *name;
    twin::cli::Report (*run)(const twin::cli::Args &);
};
const VerbEntry kVerbs[] = {
    {"demo", twin::cli::verbDemo},
    {"info", twin::cli::verbInfo},
    {"validate", twin::cli::verbValidate},
    {"import-dtdl", twin::cli::verbImportDtdl},
    {"export-dtdl", twin::cli::verbExportDtdl},
    {"ingest", twin::cli::verbIngest},
    {"replay", twin::cli::verbReplay},
    {"mqtt", twin::cli::verbMqtt},
    {"fmu-info", twin::cli::verbFmuInfo},
    {"fmu-run", twin::cli::verbFmuRun},
    {"ssp-info", twin::cli::verbSspInfo},
    {"ssp-run", twin::cli::verbSspRun},
    {"scenarios", twin::cli::verbScenarios},
    {"simulate", twin::cli::verbSimulate},
    {"sweep", twin::cli::verbSweep},
    {"calibrate", twin::cli::verbCalibrate},
    {"sensitivity", twin::cli::verbSensitivity},
    {"detect", twin::cli::verbDetect},
    {"health", twin::cli::verbHealth},
    {"forecast", twin::cli::verbForecast},
    {"shadow", twin::cli::verbShadow},
    {"release", twin::cli::verbRelease},
    {"releases", twin::cli::verbReleases},
    {"diff", twin::cli::verbDiff},
    {"rollback", twin::cli::verbRollback},
    {"audit", twin::cli::verbAudit},
};

// Each verb's --help text, for the man page and the completion: the table's, else what the verb answers.
std::vector<std::pair<std::string, std::string>> allHelp()
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const VerbEntry &v : kVerbs) {
        std::string text = twin::cli::verbHelp(v.name);
        if (text.empty()) {
            const twin::cli::Report r = v.run({"--help"});
            for (const auto &line : r.messages)
                text += (text.empty() ? "" : "\n") + line;
        }
        out.emplace_back(v.name, text);
    }
#ifdef TWIN_CLI_HAS_GUI
    out.emplace_back("screenshot", twin::cli::verbHelp("screenshot"));
#endif
    return out;
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
    // The reference generated from the verbs' own help: a man page and a bash completion script.
    if (args[0] == "man" || args[0] == "completion") {
        const std::string text = args[0] == "man" ? manPage(allHelp()) : bashCompletion(allHelp());
        std::fwrite(text.data(), 1, text.size(), stdout);
        return 0;
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
    for (const VerbEntry &v : kVerbs)
        if (verb == v.name)
            return emitReport(v.run(args), json);
#ifdef TWIN_CLI_HAS_GUI
    if (verb == "screenshot")
        return verbScreenshot(argc, argv, args, json);
#endif
    std::fprintf(stderr, "twinctl: unknown verb '%s'\n", verb.c_str());
    usage();
    return 2;
}
