// Entry points of the sim-des plugin: metadata first, then the factory.
#include "DesSimulator.h"

#include "twin/sdk/PluginApi.h"

TWIN_SIMULATOR_PLUGIN(
    twin::simdes::DesSimulator,
    R"({"id": "twin.sim-des", "name": "Discrete-event simulation", "version": "1.0.0", "sdkVersion": ")" TWIN_SDK_VERSION_STRING
    R"(", "kind": "simulator", "description": "Event-queue discrete-event engine: sources, queues, servers, )"
    R"(resources, failures/repairs. Models mm1, mmc, maintenance, network.", "capabilities": ["fixedStep", )"
    R"("events", "stochastic"]})")
