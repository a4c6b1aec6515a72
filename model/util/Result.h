#pragma once
// Errors as values across module boundaries (house style: no exceptions across modules).
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace twin {

struct Error
{
    std::string message; // human readable; names file / line / field where known
};

template <typename T> class Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}
    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<0>(m_data); }
    const T &value() const { return std::get<0>(m_data); }
    T &operator*() { return value(); }
    T *operator->() { return &value(); }
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

} // namespace twin
