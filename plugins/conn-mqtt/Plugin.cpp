// Entry points of the conn-mqtt plugin: metadata first, then the factory.
#include "MqttConnector.h"

#include "twin/sdk/PluginApi.h"

TWIN_CONNECTOR_PLUGIN(
    twin::connmqtt::MqttConnector,
    R"({"id": "twin.conn-mqtt", "name": "MQTT", "version": "1.0.0", "sdkVersion": ")" TWIN_SDK_VERSION_STRING
    R"(", "kind": "connector", "description": "Live telemetry over MQTT 3.1.1 and 5 (libmosquitto): )"
    R"(JSON, Sparkplug-B-style JSON metric arrays and Ditto messages.", "capabilities": ["live", )"
    R"("pausable", "tls", "auth", "qos1", "persistentSession", "wildcards", "reconnect"]})")
