#pragma once
// SystemStructure.ssd of an SSP 1.0 package (Modelica Association, "System Structure and Parameterization"),
// read with pugixml: the system's connectors, its components (FMUs) with their connectors and parameter
// values (inline ssv:ParameterSet or .ssv files beside the .ssd), the connections with their linear
// transformations, the units, and the default experiment. Only what a fixed-step master needs; nested
// systems and signal dictionaries are reported as unsupported.
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace twin::ssp {

struct SspUnit
{
    std::string name;
    std::array<int, 8> exponents{}; // kg, m, s, A, K, mol, cd, rad
    double factor = 1, offset = 0;  // value_SI = factor * value + offset
};

struct SspConnector
{
    std::string name;
    std::string kind; // input, output, parameter, calculatedParameter, inout
    std::string type; // Real, Integer, Boolean, String, Enumeration (empty: not declared)
    std::string unit;
};

struct SspComponent
{
    std::string name;
    std::string source; // path inside the package, e.g. "resources/gain.fmu"
    std::vector<SspConnector> connectors;
    std::vector<std::pair<std::string, double>> parameters; // variable name in the FMU -> value
};

struct SspConnection
{
    std::string startElement, startConnector, endElement, endConnector; // element "" = the system
    std::optional<std::pair<double, double>> linear;                    // factor, offset
    bool suppressUnitConversion = false;
};

struct SspSystem
{
    std::string name, version;
    std::vector<SspConnector> connectors; // of the system itself
    std::vector<SspComponent> components;
    std::vector<SspConnection> connections;
    std::vector<SspUnit> units;
    std::optional<double> startTime, stopTime;
    std::vector<std::string> warnings;

    const SspComponent *component(const std::string &name) const;
    const SspUnit *unit(const std::string &name) const;
};

// Parses `xml` (SystemStructure.ssd); `readFile` returns the text of a file referenced from it (an .ssv)
// relative to the package root, or nullopt. Errors name the element and what is wrong.
bool parseSystemStructure(const std::string &xml, const std::string &label,
                          const std::function<std::optional<std::string>(const std::string &)> &readFile,
                          SspSystem &out, std::string &error);

} // namespace twin::ssp
