// Numeric values of every FMI type, and FMI 3 array elements, as doubles (FmuInstance).
#include "FmuInstance_p.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>

namespace twin::fmi {

using detail::number;

namespace {
// The FMI 3 typed accessors all have one shape; FMI 2 Integer/Boolean have theirs.
template <class T> using Get3 = fmi3Status(fmi3Instance, const fmi3ValueReference[], size_t, T[], size_t);
template <class T>
using Set3 = fmi3Status(fmi3Instance, const fmi3ValueReference[], size_t, const T[], size_t);
using Get2Int = fmi2Status(fmi2Component, const fmi2ValueReference[], size_t, fmi2Integer[]);
using Set2Int = fmi2Status(fmi2Component, const fmi2ValueReference[], size_t, const fmi2Integer[]);
using Get1Text = fmiStatus(fmiComponent, const fmiValueReference[], size_t, fmiString[]);
using Set1Text = fmiStatus(fmiComponent, const fmiValueReference[], size_t, const fmiString[]);
using Get2Text = fmi2Status(fmi2Component, const fmi2ValueReference[], size_t, fmi2String[]);
using Set2Text = fmi2Status(fmi2Component, const fmi2ValueReference[], size_t, const fmi2String[]);
using Get3Text = fmi3Status(fmi3Instance, const fmi3ValueReference[], size_t, fmi3String[], size_t);
using Set3Text = fmi3Status(fmi3Instance, const fmi3ValueReference[], size_t, const fmi3String[], size_t);
using Get3Bytes = fmi3Status(fmi3Instance, const fmi3ValueReference[], size_t, size_t[],
                             const std::uint8_t *[], size_t);
using Set3Bytes = fmi3Status(fmi3Instance, const fmi3ValueReference[], size_t, const size_t[],
                             const std::uint8_t *const[], size_t);

// The C type and the function suffix of an FMI 3 type, called with a typed tag.
template <class F> bool withFmi3Type(const std::string &type, F &&f)
{
    if (type == "Float32")
        return f(float{}, "Float32");
    if (type == "Int8")
        return f(std::int8_t{}, "Int8");
    if (type == "UInt8")
        return f(std::uint8_t{}, "UInt8");
    if (type == "Int16")
        return f(std::int16_t{}, "Int16");
    if (type == "UInt16")
        return f(std::uint16_t{}, "UInt16");
    if (type == "Int32")
        return f(std::int32_t{}, "Int32");
    if (type == "UInt32")
        return f(std::uint32_t{}, "UInt32");
    if (type == "Int64" || type == "Enumeration")
        return f(std::int64_t{}, "Int64");
    if (type == "UInt64")
        return f(std::uint64_t{}, "UInt64");
    if (type == "Boolean")
        return f(bool{}, "Boolean");
    return f(double{}, "Float64");
}

// `value` as T when it is representable (whole, in range; 0/1 for bool).
template <class T> bool narrow(double value, T &out)
{
    if constexpr (std::is_same_v<T, bool>) {
        if (value != 0 && value != 1)
            return false;
        out = value == 1;
        return true;
    } else if constexpr (std::is_floating_point_v<T>) {
        out = T(value);
        return std::isfinite(value);
    } else {
        if (!std::isfinite(value) || value != std::floor(value) ||
            value < double(std::numeric_limits<T>::min()) || value > double(std::numeric_limits<T>::max()))
            return false;
        out = T(value);
        return true;
    }
}
} // namespace

bool FmuInstance::representable(const FmuVariable &v, double value, int fmiMajor, std::string &why)
{
    if (v.isReal() && v.type != "Float32")
        return true;
    const bool ok = fmiMajor != 3 ? (v.type == "Boolean" ? value == 0 || value == 1 : [&] {
        fmi2Integer i = 0;
        return narrow(value, i);
    }())
                                  : withFmi3Type(v.type, [&](auto tag, const char *) {
                                        decltype(tag) typed{};
                                        return narrow(value, typed);
                                    });
    if (!ok)
        why = "\"" + v.name + "\" is " +
              (v.type == "Integer" || v.type == "Int8" || v.type == "Int16" || v.type == "Int32" ||
                       v.type == "Int64"
                   ? "an "
                   : "a ") +
              v.type +
              " variable: " + (v.type == "Boolean" ? "give 0 or 1" : "give a whole number in its range") +
              " (not " + number(value) + ")";
    return ok;
}

// An element of an FMI 3 array: the whole array is read (and written back with the element changed).
bool FmuInstance::arrayElement(const FmuVariable &v, double *get, const double *set, std::string &error)
{
    if (m_major != 3) {
        error = m_label + ": \"" + v.name + "\" is an array element outside FMI 3";
        return false;
    }
    return withFmi3Type(v.type, [&](auto tag, const char *suffix) {
        using T = decltype(tag);
        std::unique_ptr<T[]> values(new T[v.arrayLength]());
        const std::string getName = std::string("fmi3Get") + suffix,
                          setName = std::string("fmi3Set") + suffix;
        auto *getter = reinterpret_cast<Get3<T> *>(typedFunction(getName, error));
        if (!getter || !check(getter(m_instance, &v.valueReference, 1, values.get(), v.arrayLength),
                              getName.c_str(), error))
            return false;
        if (get) {
            *get = double(values[v.element]);
            return true;
        }
        T typed{};
        if (!narrow(*set, typed))
            return error =
                       m_label + ": \"" + v.name + "\" is a " + v.type + " element: the value does not fit",
                   false;
        values[v.element] = typed;
        auto *setter = reinterpret_cast<Set3<T> *>(typedFunction(setName, error));
        return setter && check(setter(m_instance, &v.valueReference, 1, values.get(), v.arrayLength),
                               setName.c_str(), error);
    });
}

bool FmuInstance::setValue(const FmuVariable &v, double value, std::string &error)
{
    if (v.arrayLength > 0)
        return arrayElement(v, nullptr, &value, error);
    if (v.negated && v.type != "Boolean")
        value = -value;
    if (v.isReal() && v.type != "Float32")
        return setReals(&v.valueReference, &value, 1, error);
    const std::string what =
        m_label + ": \"" + v.name + "\" is " + (v.type == "Integer" ? "an " : "a ") + v.type;
    if (m_major == 1) {
        if (v.type == "Boolean") {
            if (value != 0 && value != 1)
                return error = what + " variable: give 0 or 1", false;
            const fmiBoolean b = value == 1 ? fmiTrue : fmiFalse;
            return check(m_fn->setBoolean1 ? m_fn->setBoolean1(m_instance, &v.valueReference, 1, &b)
                                           : fmiError,
                         "fmiSetBoolean", error);
        }
        fmiInteger i = 0;
        if (!narrow(value, i))
            return error = what + " variable: give a whole number", false;
        return check(m_fn->setInteger1 ? m_fn->setInteger1(m_instance, &v.valueReference, 1, &i) : fmiError,
                     "fmiSetInteger", error);
    }
    if (m_major == 2) {
        fmi2Integer i = 0;
        const bool boolean = v.type == "Boolean";
        if (boolean ? !(value == 0 || value == 1) : !narrow(value, i))
            return error = what + (boolean ? " variable: give 0 or 1" : " variable: give a whole number"),
                   false;
        if (boolean)
            i = value == 1;
        const std::string name = boolean ? "fmi2SetBoolean" : "fmi2SetInteger";
        auto *fn = reinterpret_cast<Set2Int *>(typedFunction(name, error));
        return fn && check(fn(m_instance, &v.valueReference, 1, &i), name.c_str(), error);
    }
    return withFmi3Type(v.type, [&](auto tag, const char *suffix) {
        using T = decltype(tag);
        T typed{};
        if (!narrow(value, typed))
            return error = what + " variable: " +
                           (std::is_same_v<T, bool> ? "give 0 or 1" : "the value does not fit"),
                   false;
        const std::string name = std::string("fmi3Set") + suffix;
        auto *fn = reinterpret_cast<Set3<T> *>(typedFunction(name, error));
        return fn && check(fn(m_instance, &v.valueReference, 1, &typed, 1), name.c_str(), error);
    });
}

bool FmuInstance::getValue(const FmuVariable &v, double &value, std::string &error)
{
    if (v.arrayLength > 0)
        return arrayElement(v, &value, nullptr, error);
    if (v.negated && v.type != "Boolean") {
        FmuVariable base = v;
        base.negated = false;
        if (!getValue(base, value, error))
            return false;
        value = -value;
        return true;
    }
    if (v.isReal() && v.type != "Float32")
        return getReals(&v.valueReference, &value, 1, error);
    if (m_major == 1) {
        if (v.type == "Boolean") {
            fmiBoolean b = fmiFalse;
            if (!check(m_fn->getBoolean1 ? m_fn->getBoolean1(m_instance, &v.valueReference, 1, &b) : fmiError,
                       "fmiGetBoolean", error))
                return false;
            value = b ? 1 : 0;
            return true;
        }
        fmiInteger i = 0;
        if (!check(m_fn->getInteger1 ? m_fn->getInteger1(m_instance, &v.valueReference, 1, &i) : fmiError,
                   "fmiGetInteger", error))
            return false;
        value = i;
        return true;
    }
    if (m_major == 2) {
        fmi2Integer i = 0;
        const std::string name = v.type == "Boolean" ? "fmi2GetBoolean" : "fmi2GetInteger";
        auto *fn = reinterpret_cast<Get2Int *>(typedFunction(name, error));
        if (!fn || !check(fn(m_instance, &v.valueReference, 1, &i), name.c_str(), error))
            return false;
        value = v.type == "Boolean" ? double(i != 0) : double(i);
        return true;
    }
    return withFmi3Type(v.type, [&](auto tag, const char *suffix) {
        using T = decltype(tag);
        T typed{};
        const std::string name = std::string("fmi3Get") + suffix;
        auto *fn = reinterpret_cast<Get3<T> *>(typedFunction(name, error));
        if (!fn || !check(fn(m_instance, &v.valueReference, 1, &typed, 1), name.c_str(), error))
            return false;
        value = double(typed);
        return true;
    });
}

bool FmuInstance::setText(const FmuVariable &v, const std::string &value, std::string &error)
{
    if (!v.isString())
        return error = m_label + ": \"" + v.name + "\" is not a String variable", false;
    const char *text = value.c_str();
    const std::string name = m_prefix + (m_major == 1   ? "fmiSetString"
                                         : m_major == 2 ? "fmi2SetString"
                                                        : "fmi3SetString");
    void *fn = typedFunction(name, error);
    if (!fn)
        return false;
    const int status =
        m_major == 1   ? int(reinterpret_cast<Set1Text *>(fn)(m_instance, &v.valueReference, 1, &text))
        : m_major == 2 ? int(reinterpret_cast<Set2Text *>(fn)(m_instance, &v.valueReference, 1, &text))
                       : int(reinterpret_cast<Set3Text *>(fn)(m_instance, &v.valueReference, 1, &text, 1));
    return check(status, name.c_str(), error);
}

bool FmuInstance::getText(const FmuVariable &v, std::string &value, std::string &error)
{
    if (!v.isString())
        return error = m_label + ": \"" + v.name + "\" is not a String variable", false;
    const char *text = nullptr;
    const std::string name = m_prefix + (m_major == 1   ? "fmiGetString"
                                         : m_major == 2 ? "fmi2GetString"
                                                        : "fmi3GetString");
    void *fn = typedFunction(name, error);
    if (!fn)
        return false;
    const int status =
        m_major == 1   ? int(reinterpret_cast<Get1Text *>(fn)(m_instance, &v.valueReference, 1, &text))
        : m_major == 2 ? int(reinterpret_cast<Get2Text *>(fn)(m_instance, &v.valueReference, 1, &text))
                       : int(reinterpret_cast<Get3Text *>(fn)(m_instance, &v.valueReference, 1, &text, 1));
    if (!check(status, name.c_str(), error))
        return false;
    value = text ? text : ""; // the FMU's buffer lives until its next call: copied now
    return true;
}

bool FmuInstance::setBytes(const FmuVariable &v, const std::vector<std::uint8_t> &value, std::string &error)
{
    if (!v.isBinary() || m_major != 3)
        return error = m_label + ": \"" + v.name + "\" is not a Binary variable", false;
    auto *fn = reinterpret_cast<Set3Bytes *>(typedFunction("fmi3SetBinary", error));
    const std::size_t size = value.size();
    const std::uint8_t *data = value.data();
    return fn && check(fn(m_instance, &v.valueReference, 1, &size, &data, 1), "fmi3SetBinary", error);
}

bool FmuInstance::getBytes(const FmuVariable &v, std::vector<std::uint8_t> &value, std::string &error)
{
    if (!v.isBinary() || m_major != 3)
        return error = m_label + ": \"" + v.name + "\" is not a Binary variable", false;
    auto *fn = reinterpret_cast<Get3Bytes *>(typedFunction("fmi3GetBinary", error));
    std::size_t size = 0;
    const std::uint8_t *data = nullptr;
    if (!fn || !check(fn(m_instance, &v.valueReference, 1, &size, &data, 1), "fmi3GetBinary", error))
        return false;
    value.assign(data, data + (data ? size : 0));
    return true;
}

} // namespace twin::fmi
