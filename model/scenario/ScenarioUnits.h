#pragma once
// Unit handling for bindings: Units.h conversions, tolerant of empty and model-private unit names.
#include "twin/formats/Units.h"

#include <string>

namespace twin::model::scenario {

// Identity when either side is empty or both are the same text (also units Units.h does not know, e.g.
// "m2.5/s"); else Units.h's conversion (errors: unknown unit, different kinds "bar vs kelvin").
Result<UnitConversion> unitConversion(const std::string &from, const std::string &to);
bool sameUnit(const std::string &a, const std::string &b);

} // namespace twin::model::scenario
