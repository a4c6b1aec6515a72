#pragma once
// The C boundary of a plugin shared library. Everything here is plain C: fixed-width integers, const char *,
// structs with a leading structSize. A host can dlopen(RTLD_LAZY | RTLD_LOCAL) a plugin and read its metadata
// through these symbols without creating any object.
//
// Exported symbols (all extern "C"):
//   const char *twin_plugin_metadata(void);
//       JSON object, static storage, UTF-8: {"id", "name", "version", "sdkVersion": "M.m",
//       "kind": "connector" | "simulator", "capabilities": ["live", "tls", ...], "description"?}
//   uint32_t twin_plugin_sdk_version(void);   TWIN_SDK_VERSION the plugin was built with
//   int32_t twin_plugin_create(const TwinCreateRequest *, TwinCreateResult *);
//   void twin_plugin_destroy(void *object);    destroys what create returned
//
// Threads: metadata and sdk_version may be called from any thread, before or without create. create/destroy
// are called from the host's control thread.
#include "twin/sdk/Version.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TWIN_PLUGIN_METADATA_SYMBOL "twin_plugin_metadata"
#define TWIN_PLUGIN_SDK_VERSION_SYMBOL "twin_plugin_sdk_version"
#define TWIN_PLUGIN_CREATE_SYMBOL "twin_plugin_create"
#define TWIN_PLUGIN_DESTROY_SYMBOL "twin_plugin_destroy"

enum TwinCreateStatus
{
    TWIN_CREATE_OK = 0,
    TWIN_CREATE_BAD_REQUEST = 1,  // null pointers, structSize too small
    TWIN_CREATE_SDK_MISMATCH = 2, // host SDK major differs from the plugin's
    TWIN_CREATE_UNKNOWN_KIND = 3, // objectKind not provided by this plugin
    TWIN_CREATE_FAILED = 4,       // the constructor threw; message says why
};

typedef struct TwinCreateRequest
{
    uint32_t structSize;     // sizeof(TwinCreateRequest) as the host knows it
    uint32_t hostSdkVersion; // TWIN_SDK_VERSION of the host
    const char *objectKind;  // "connector" or "simulator"
} TwinCreateRequest;

typedef struct TwinCreateResult
{
    uint32_t structSize; // set by the host to sizeof(TwinCreateResult)
    int32_t status;      // TwinCreateStatus
    void *object;        // "connector": a twin::sdk::Connector *, "simulator": a twin::sdk::Simulator *;
                         // free with twin_plugin_destroy
    char message[256];   // NUL-terminated reason when status != OK
} TwinCreateResult;

typedef const char *(*TwinPluginMetadataFn)(void);
typedef uint32_t (*TwinPluginSdkVersionFn)(void);
typedef int32_t (*TwinPluginCreateFn)(const TwinCreateRequest *request, TwinCreateResult *result);
typedef void (*TwinPluginDestroyFn)(void *object);

#ifdef __cplusplus
} // extern "C"
#endif

#ifdef __cplusplus
#define TWIN_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

#include "twin/sdk/Connector.h"
#include "twin/sdk/Simulator.h"

#include <cstdio>
#include <cstring>
#include <exception>

// Defines the four entry points for a plugin that provides one connector class.
// `metadataJson` must be a string literal; put TWIN_SDK_VERSION_STRING in its "sdkVersion".
#define TWIN_CONNECTOR_PLUGIN(ConnectorClass, metadataJson)                                                  \
    TWIN_PLUGIN_EXPORT const char *twin_plugin_metadata(void)                                                \
    {                                                                                                        \
        return metadataJson;                                                                                 \
    }                                                                                                        \
    TWIN_PLUGIN_EXPORT uint32_t twin_plugin_sdk_version(void)                                                \
    {                                                                                                        \
        return TWIN_SDK_VERSION;                                                                             \
    }                                                                                                        \
    TWIN_PLUGIN_EXPORT int32_t twin_plugin_create(const TwinCreateRequest *request,                          \
                                                  TwinCreateResult *result)                                  \
    {                                                                                                        \
        return ::twin::sdk::detail::createConnector<ConnectorClass>(request, result);                        \
    }                                                                                                        \
    TWIN_PLUGIN_EXPORT void twin_plugin_destroy(void *object)                                                \
    {                                                                                                        \
        delete static_cast<::twin::sdk::Connector *>(object);                                                \
    }

// Defines the four entry points for a plugin that provides one simulator class (metadata "kind":
// "simulator").
#define TWIN_SIMULATOR_PLUGIN(SimulatorClass, metadataJson)                                                  \
    TWIN_PLUGIN_EXPORT const char *twin_plugin_metadata(void)                                                \
    {                                                                                                        \
        return metadataJson;                                                                                 \
    }                                                                                                        \
    TWIN_PLUGIN_EXPORT uint32_t twin_plugin_sdk_version(void)                                                \
    {                                                                                                        \
        return TWIN_SDK_VERSION;                                                                             \
    }                                                                                                        \
    TWIN_PLUGIN_EXPORT int32_t twin_plugin_create(const TwinCreateRequest *request,                          \
                                                  TwinCreateResult *result)                                  \
    {                                                                                                        \
        return ::twin::sdk::detail::createObject<::twin::sdk::Simulator, SimulatorClass>(request, result,    \
                                                                                         "simulator");       \
    }                                                                                                        \
    TWIN_PLUGIN_EXPORT void twin_plugin_destroy(void *object)                                                \
    {                                                                                                        \
        delete static_cast<::twin::sdk::Simulator *>(object);                                                \
    }

namespace twin::sdk::detail {

inline int32_t fail(TwinCreateResult *result, int32_t status, const char *message)
{
    result->status = status;
    std::snprintf(result->message, sizeof result->message, "%s", message);
    return status;
}

// Creates `Class` as a `Base` (Connector or Simulator) after checking the request; never throws.
template <typename Base, typename Class>
int32_t createObject(const TwinCreateRequest *request, TwinCreateResult *result, const char *kind)
{
    if (!result || result->structSize < sizeof(TwinCreateResult))
        return TWIN_CREATE_BAD_REQUEST;
    result->object = nullptr;
    result->message[0] = '\0';
    if (!request || request->structSize < sizeof(TwinCreateRequest) || !request->objectKind)
        return fail(result, TWIN_CREATE_BAD_REQUEST, "bad create request");
    if (TWIN_SDK_VERSION_MAJOR_OF(request->hostSdkVersion) != TWIN_SDK_VERSION_MAJOR)
        return fail(result, TWIN_CREATE_SDK_MISMATCH, "SDK major version differs from the host's");
    if (std::strcmp(request->objectKind, kind) != 0) {
        char text[128];
        std::snprintf(text, sizeof text, "this plugin only creates %ss", kind);
        return fail(result, TWIN_CREATE_UNKNOWN_KIND, text);
    }
    try {
        Base *object = new Class();
        result->object = object;
        result->status = TWIN_CREATE_OK;
        return TWIN_CREATE_OK;
    } catch (const std::exception &e) {
        return fail(result, TWIN_CREATE_FAILED, e.what());
    } catch (...) {
        return fail(result, TWIN_CREATE_FAILED, "unknown exception in constructor");
    }
}

template <typename ConnectorClass>
int32_t createConnector(const TwinCreateRequest *request, TwinCreateResult *result)
{
    return createObject<Connector, ConnectorClass>(request, result, "connector");
}

} // namespace twin::sdk::detail
#endif
