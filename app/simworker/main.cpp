// twin-simworker: hosts simulations for SimulationRunner (model/simrunner/SimulationRunner.h) in its own
// process. Started as `twin-simworker --channel 3 --beacon 4`; talks only over the channel fd, never stdout.
// Built a second time as twin-fitworker, which also runs whole calibration fits (calibration/WorkerFit.h).
#include "twin/model/simrunner/WorkerProtocol.h"
#ifdef TWIN_FIT_WORKER
#include "twin/model/calibration/WorkerFit.h"
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>

int main(int argc, char **argv)
{
    int channel = -1, beacon = -1;
    std::pair<std::string, std::string> preload; // --preload DIR ID: a plugin to load before the first job
    bool ahead = false;                          // --ahead: started before its first job is ready
    for (int i = 1; i < argc; i += 2) {
        if (std::strcmp(argv[i], "--ahead") == 0) {
            ahead = true;
            --i;
        } else if (i + 1 >= argc)
            break;
        else if (std::strcmp(argv[i], "--channel") == 0)
            channel = std::atoi(argv[i + 1]);
        else if (std::strcmp(argv[i], "--beacon") == 0)
            beacon = std::atoi(argv[i + 1]);
        else if (std::strcmp(argv[i], "--preload") == 0 && i + 2 < argc) {
            preload = {argv[i + 1], argv[i + 2]};
            ++i;
        }
    }
    if (channel < 0 || beacon < 0) {
        std::fprintf(stderr,
                     "%s is started by Twinworks (usage: --channel FD --beacon FD [--ahead] [--preload "
                     "PLUGIN_DIR PLUGIN_ID])\n",
                     argv[0]);
        return 2;
    }
    // Started ahead, the worker has time before its first job: the code that job runs is mapped in now (and
    // the fit worker runs a small fit).
    std::function<void()> warmUp;
    if (ahead)
        warmUp = [] {
            twin::model::sim::prefaultLoadedCode();
#ifdef TWIN_FIT_WORKER
            twin::model::calibration::warmUpFitWorker();
#endif
        };
#ifdef TWIN_FIT_WORKER
    return twin::model::sim::runSimWorker(channel, beacon, twin::model::calibration::serveWorkerFit, preload,
                                          warmUp);
#else
    return twin::model::sim::runSimWorker(channel, beacon, {}, preload, warmUp);
#endif
}
