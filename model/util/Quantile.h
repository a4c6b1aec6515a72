#pragma once
// The q-quantile (0..1) of values, linear between order statistics (numpy's default); NaNs ignored, NaN when
// nothing is left. Selection, not a sort: O(n).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace twin {

inline double quantile(std::vector<double> values, double q)
{
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
                 values.end());
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const double at = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
    const std::size_t i = std::size_t(at);
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(i), values.end());
    const double low = values[i];
    if (i + 1 >= values.size())
        return low;
    const double high = *std::min_element(values.begin() + std::ptrdiff_t(i) + 1, values.end());
    return low + (at - double(i)) * (high - low);
}

} // namespace twin
