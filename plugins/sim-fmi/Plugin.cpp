// Entry points of twin-sim-fmi.so.
#include "FmiSimulator.h"

#include "twin/sdk/PluginApi.h"

TWIN_SIMULATOR_PLUGIN(twin::fmi::FmiSimulator,
                      "{\"id\": \"twin.sim-fmi\", \"name\": \"FMI co-simulation\", \"version\": \"1.0.0\", "
                      "\"sdkVersion\": \"" TWIN_SDK_VERSION_STRING "\", \"kind\": \"simulator\", "
                      "\"capabilities\": [\"fixedStep\", \"inputs\"], "
                      "\"description\": \"FMI 2.0 and 3.0 co-simulation FMUs (Linux x86_64 binaries)\"}")
