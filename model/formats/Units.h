#pragma once
// Unit conversion over DTDL unit names (QuantitativeTypes v1 / DTDL v2 units), with common source-file
// aliases. One table (Units.cpp) holds every factor: value_in_base = value * factor + offset, per quantity
// kind. No other code may carry conversion factors.
#include "twin/util/Result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twin::model {

struct UnitConversion
{
    std::string from; // canonical unit names
    std::string to;
    double factor = 1.0; // to = from * factor + offset
    double offset = 0.0;

    double apply(double value) const { return value * factor + offset; }
    bool isIdentity() const { return factor == 1.0 && offset == 0.0; }
};

// Canonical unit name (DTDL name where DTDL has the unit) for a name or alias: "°C", "degC", "C" ->
// "degreeCelsius"; "psi" -> "poundPerSquareInch". Exact match first, then a case-insensitive match when that
// is unique ("KW" is not: kW vs kelvin-watt never clash, but "mw"/"MW" do). Empty optional when unknown.
// Note the deliberate aliases "C" (degreeCelsius, not coulomb), "F" (degreeFahrenheit, not farad) and "g"
// (gForce, standard gravity, not gram) — the spellings found in telemetry exports.
std::optional<std::string> canonicalUnit(std::string_view nameOrAlias);

// Short symbol of a unit or alias for labels: its first listed alias ("degreeCelsius" -> "°C", "bar" ->
// "bar"); the name itself when it has none; the text unchanged when unknown.
std::string unitSymbol(std::string_view unit);

// Quantity kind of a unit or alias ("temperature", "pressure", "volumeFlowRate", ...); empty when unknown.
std::string quantityKind(std::string_view unit);

// DTDL unit type of a kind ("pressure" -> "PressureUnit"); empty when unknown.
std::string dtdlUnitType(std::string_view kind);

// True when the canonical unit is one of DTDL's unit names (some extra units, e.g. megapascal, are not).
bool isDtdlUnit(std::string_view unit);

// Conversion between two units of the same kind. Errors: unknown unit, or kinds differ
// ("cannot convert bar to kelvin (pressure vs temperature)").
Result<UnitConversion> conversion(std::string_view from, std::string_view to);

// All canonical units of a kind, in table order; all kinds when kind is empty.
std::vector<std::string> unitsOfKind(std::string_view kind);
std::vector<std::string> quantityKinds();

} // namespace twin::model
