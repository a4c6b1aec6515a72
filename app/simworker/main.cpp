// twin-simworker: hosts one simulation for SimulationRunner (model/sim/SimulationRunner.h) in its own
// process. Started as `twin-simworker --channel 3 --beacon 4`; talks only over the channel fd, never stdout.
#include "twin/model/simrunner/WorkerProtocol.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char **argv)
{
    int channel = -1, beacon = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--channel") == 0)
            channel = std::atoi(argv[i + 1]);
        else if (std::strcmp(argv[i], "--beacon") == 0)
            beacon = std::atoi(argv[i + 1]);
    }
    if (channel < 0 || beacon < 0) {
        std::fprintf(stderr, "twin-simworker is started by Twinworks (usage: --channel FD --beacon FD)\n");
        return 2;
    }
    return twin::model::sim::runSimWorker(channel, beacon);
}
