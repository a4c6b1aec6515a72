#pragma once
// Errors as values across the plugin boundary: no exception ever crosses it.
#include <string>
#include <utility>

namespace twin::sdk {

class Status
{
public:
    static Status ok() { return Status(); }
    static Status error(std::string message) { return Status(std::move(message), false); }

    bool isOk() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    // Human readable; names the config key, file or topic where known. Empty when ok.
    const std::string &message() const { return m_message; }

private:
    Status() = default;
    Status(std::string message, bool ok) : m_ok(ok), m_message(std::move(message)) {}
    bool m_ok = true;
    std::string m_message;
};

} // namespace twin::sdk
