// A plugin built "for SDK 99": the host must refuse it from its metadata, without calling create.
#include "twin/sdk/PluginApi.h"

#include <cstdlib>

TWIN_PLUGIN_EXPORT const char *twin_plugin_metadata(void)
{
    return R"({"id": "test.bad-sdk", "name": "Bad SDK", "version": "0.1", "sdkVersion": "99.0",
               "kind": "connector", "capabilities": ["live"]})";
}
TWIN_PLUGIN_EXPORT uint32_t twin_plugin_sdk_version(void)
{
    return TWIN_SDK_VERSION_PACK(99, 0);
}
TWIN_PLUGIN_EXPORT int32_t twin_plugin_create(const TwinCreateRequest *, TwinCreateResult *)
{
    std::abort(); // must never be reached
}
TWIN_PLUGIN_EXPORT void twin_plugin_destroy(void *) {}
