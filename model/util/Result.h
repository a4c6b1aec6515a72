#pragma once
// Errors as values across module boundaries (house style: no exceptions across modules).
#include <cassert>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace twin {

struct Error
{
    std::string message; // human readable; names file / line / field where known
};

template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}
    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<0>(m_data); }
    const T &value() const { return std::get<0>(m_data); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const std::string &error() const { return std::get<1>(m_data).message; }

private:
    std::variant<T, Error> m_data;
};

struct Ok
{
};
using Status = Result<Ok>;
inline Status okStatus()
{
    return Ok{};
}

// For a call that cannot fail by construction (undoing to a state the object had, a step validated just
// before): says so where it is called. A failure is a bug: reported on stderr, and an assertion in debug
// builds.
template <typename T> void expectOk(const Result<T> &result, const char *what)
{
    if (!result.ok()) {
        std::fprintf(stderr, "twinworks: %s failed unexpectedly: %s\n", what, result.error().c_str());
        assert(false && "expectOk");
    }
}

} // namespace twin
