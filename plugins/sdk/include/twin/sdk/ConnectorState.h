#pragma once
#include <cstdint>

namespace twin::sdk {

// Lifecycle: Created --configure--> Configured --start--> Running <--pause/resume--> Paused
// Running/Paused --stop--> Stopped (stop is idempotent; Stopped --configure/start--> again allowed).
// Failed is terminal: only stop() (a no-op) and destruction are allowed; failureMessage() says why.
enum class ConnectorState : std::uint8_t
{
    Created,
    Configured,
    Running,
    Paused,
    Stopped,
    Failed
};

inline const char *connectorStateName(ConnectorState state)
{
    switch (state) {
    case ConnectorState::Created:
        return "Created";
    case ConnectorState::Configured:
        return "Configured";
    case ConnectorState::Running:
        return "Running";
    case ConnectorState::Paused:
        return "Paused";
    case ConnectorState::Stopped:
        return "Stopped";
    case ConnectorState::Failed:
        return "Failed";
    }
    return "?";
}

} // namespace twin::sdk
