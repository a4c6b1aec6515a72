// A plugin of the right SDK whose metadata is not valid JSON: the host lists it with a reason, never crashes.
#include "twin/sdk/PluginApi.h"

#include <cstdlib>

TWIN_PLUGIN_EXPORT const char *twin_plugin_metadata(void)
{
    return R"({"id": "test.malformed", "name": "Malformed", "sdkVersion": "1.0", "kind": "connector", )";
}
TWIN_PLUGIN_EXPORT uint32_t twin_plugin_sdk_version(void)
{
    return TWIN_SDK_VERSION;
}
TWIN_PLUGIN_EXPORT int32_t twin_plugin_create(const TwinCreateRequest *, TwinCreateResult *)
{
    std::abort();
}
TWIN_PLUGIN_EXPORT void twin_plugin_destroy(void *) {}
