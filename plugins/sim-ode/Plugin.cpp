// Entry points of the sim-ode plugin: metadata first, then the factory.
#include "OdeSimulator.h"

#include "twin/sdk/PluginApi.h"

TWIN_SIMULATOR_PLUGIN(
    twin::simode::OdeSimulator,
    R"({"id": "twin.sim-ode", "name": "ODE / physics", "version": "1.0.0", "sdkVersion": ")" TWIN_SDK_VERSION_STRING
    R"(", "kind": "simulator", "description": "Asset models (pump, motor, tank, valve, pipe, thermal node, )"
    R"(pump station) on an adaptive Dormand-Prince 5(4) solver or SUNDIALS CVODE (BDF), with level events.",)"
    R"( "capabilities": ["fixedStep", "variableStep", "events", "inputs"]})")
