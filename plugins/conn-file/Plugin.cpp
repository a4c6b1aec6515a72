// Entry points of the conn-file plugin: metadata first, then the factory.
#include "FileConnector.h"

#include "twin/sdk/PluginApi.h"

TWIN_CONNECTOR_PLUGIN(
    twin::connfile::FileConnector,
    R"({"id": "twin.conn-file", "name": "File replay", "version": "1.0.0", "sdkVersion": ")" TWIN_SDK_VERSION_STRING
    R"(", "kind": "connector", "description": "Replays a recorded CSV or JSON-lines file, paced by its )"
    R"(timestamps (1x to 10000x or as fast as possible).", "capabilities": ["recorded", "seekable", )"
    R"("pausable"]})")
