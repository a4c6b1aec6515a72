// Entry points of twin-sim-ssp.so.
#include "SspSimulator.h"

#include "twin/sdk/PluginApi.h"

TWIN_SIMULATOR_PLUGIN(
    twin::ssp::SspSimulator,
    "{\"id\": \"twin.sim-ssp\", \"name\": \"SSP system\", \"version\": \"1.0.0\", "
    "\"sdkVersion\": \"" TWIN_SDK_VERSION_STRING "\", \"kind\": \"simulator\", "
    "\"capabilities\": [\"fixedStep\", \"inputs\"], "
    "\"description\": \"SSP 1.0 systems of FMUs, co-simulated by a fixed-step master (Jacobi or "
    "Gauss-Seidel)\"}")
