#pragma once
// The connections of a system hierarchy, resolved to the ones a fixed-step master runs: from a terminal
// (an FMU component's variable, or a connector of the root system) to a terminal, through any number of
// junctions on the way — connectors of nested systems and entries of signal dictionaries — each connection
// on the way keeping its own transformation and unit conversion (SspConnection::hops).
//
// SSP connections name a start and an end, which do not say which way data flows; the kinds of the two
// connectors do (an element's output is a source, its input a sink; a system's own input, seen from inside
// it, is a source). Where neither kind says, the value flows from start to end.
#include "SspDescription.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace twin::ssp::wiring {

enum class Owner
{
    Component,
    System,
    Dictionary
};

struct End
{
    Owner owner = Owner::System;
    std::string element;   // a component's full name, a system's path ("" = the root), a dictionary's key
    std::string connector; // a connector's or dictionary entry's name
    std::string kind;      // the connector's kind, "" when not declared
    std::string unit;      // the connector's (or entry's) unit, "" when not declared
    bool outside = false;  // a system's connector seen from its parent (the element side)
    std::string label;     // for messages: "Sub.u", "bus.speed (signal dictionary)"
};

struct Edge
{
    End start, end;
    std::optional<std::pair<double, double>> linear; // factor, offset
    bool suppressUnitConversion = false;
};

// Appends the resolved connections to `out`. Junctions nothing flows into are reported in `warnings`
// (their consumers stay unconnected); a junction fed by two connections, or a cycle of junctions, is an
// error.
bool resolve(const std::vector<Edge> &edges, std::vector<SspConnection> &out,
             std::vector<std::string> &warnings, std::string &error);

} // namespace twin::ssp::wiring
