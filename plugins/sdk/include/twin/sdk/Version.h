#pragma once
// The SDK version: the one number both sides of the plugin boundary must agree on.
// Major: bumped on any incompatible change (a C struct's layout, a virtual function added/removed/reordered
// in Connector or SampleSink, a changed record type). The host refuses plugins with a different major. Minor:
// bumped for compatible additions only (new capability flags, new optional metadata keys, fields appended to
// a C struct behind its structSize). tests/integration/tst_plugin_host pins both together with the layouts.
// 3.0: Simulator gained saveState / restoreState (SimCapability::SaveRestore).
// 4.0: typed variables: VariableInfo gained `type` and `startText`; Simulator gained setString / getString /
//      setBinary / getBinary.

#define TWIN_SDK_VERSION_MAJOR 4
#define TWIN_SDK_VERSION_MINOR 0
// Packed as (major << 16) | minor; this is what twin_plugin_sdk_version() returns.
#define TWIN_SDK_VERSION ((TWIN_SDK_VERSION_MAJOR << 16) | TWIN_SDK_VERSION_MINOR)

#define TWIN_SDK_STRINGIFY2(x) #x
#define TWIN_SDK_STRINGIFY(x) TWIN_SDK_STRINGIFY2(x)
// "3.0": use it in a plugin's metadata JSON ("sdkVersion": TWIN_SDK_VERSION_STRING).
#define TWIN_SDK_VERSION_STRING                                                                              \
    TWIN_SDK_STRINGIFY(TWIN_SDK_VERSION_MAJOR) "." TWIN_SDK_STRINGIFY(TWIN_SDK_VERSION_MINOR)

#define TWIN_SDK_VERSION_PACK(major, minor) ((unsigned)(((major) << 16) | (minor)))
#define TWIN_SDK_VERSION_MAJOR_OF(packed) ((unsigned)(packed) >> 16)
#define TWIN_SDK_VERSION_MINOR_OF(packed) ((unsigned)(packed)&0xFFFFu)
