#pragma once
// SystemStructure.ssd of an SSP 1.0 package (Modelica Association, "System Structure and Parameterization"),
// read with pugixml: the root system's connectors, its components (FMUs) with their connectors and parameter
// values (inline ssv:ParameterSet or .ssv files), the connections with their linear transformations, the
// units, and the default experiment — what a fixed-step master needs. A hierarchy is flattened: nested
// systems (inline, or components referencing another .ssd of the package or an embedded system by "#id")
// contribute their FMUs under hierarchical names ("Sub.Component"), and connections through the connectors
// of nested systems and through signal dictionaries are resolved to FMU-to-FMU connections (SspWiring.h).
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

// A connection in the direction its data flows, between FMU components (by full name) or the root system.
struct SspConnection
{
    std::string startElement, startConnector, endElement, endConnector; // element "" = the root system
    struct Hop                                                          // one ssd:Connection the value passes
    {
        std::optional<std::pair<double, double>> linear; // factor, offset
        bool suppressUnitConversion = false;
    };
    std::vector<Hop> hops;             // at least one
    std::vector<std::string> viaUnits; // the unit of each junction between hops ("" when not declared)
    std::vector<std::string> via; // the junctions, for messages: "Sub.u", "bus.speed (signal dictionary)"
};

struct SspSystem
{
    std::string name, version;
    std::vector<SspConnector> connectors; // of the root system
    std::vector<SspComponent> components; // every FMU of the hierarchy; nested ones named "Sub.Component"
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
