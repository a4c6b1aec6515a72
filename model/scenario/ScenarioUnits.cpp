#include "twin/model/scenario/ScenarioUnits.h"

namespace twin::model::scenario {

Result<UnitConversion> unitConversion(const std::string &from, const std::string &to)
{
    if (from.empty() || to.empty() || from == to)
        return UnitConversion{from, to, 1.0, 0.0};
    return conversion(from, to);
}

bool sameUnit(const std::string &a, const std::string &b)
{
    if (a == b)
        return true;
    const auto ca = canonicalUnit(a), cb = canonicalUnit(b);
    return ca && cb && *ca == *cb;
}

} // namespace twin::model::scenario
