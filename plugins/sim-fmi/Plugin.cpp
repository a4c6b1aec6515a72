// Entry points of twin-sim-fmi.so.
#include "FmiSimulator.h"

#include "twin/sdk/PluginApi.h"

TWIN_SIMULATOR_PLUGIN(twin::fmi::FmiSimulator,
                      "{\"id\": \"twin.sim-fmi\", \"name\": \"FMI\", \"version\": \"1.1.0\", "
                      "\"sdkVersion\": \"" TWIN_SDK_VERSION_STRING "\", \"kind\": \"simulator\", "
                      "\"capabilities\": [\"fixedStep\", \"inputs\"], "
                      "\"description\": \"FMI 1.0, 2.0 and 3.0 FMUs, co-simulation and model exchange (Linux "
                      "x86_64 binaries)\"}")
