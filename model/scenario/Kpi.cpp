#include "twin/model/scenario/Kpi.h"

#include <muParser.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

namespace twin::model::scenario {

const std::vector<double> *ScenarioSeries::find(const std::string &name) const
{
    if (name == "time")
        return &time;
    for (const auto &[n, v] : columns)
        if (n == name)
            return &v;
    return nullptr;
}

double seriesIntegral(const std::vector<double> &t, const std::vector<double> &x)
{
    double sum = 0;
    for (std::size_t i = 1; i < t.size() && i < x.size(); ++i)
        sum += 0.5 * (x[i] + x[i - 1]) * (t[i] - t[i - 1]);
    return sum;
}

double seriesTimeAbove(const std::vector<double> &t, const std::vector<double> &x, double c)
{
    double sum = 0;
    for (std::size_t i = 1; i < t.size() && i < x.size(); ++i) {
        const double a = x[i - 1] - c, b = x[i] - c, dt = t[i] - t[i - 1];
        if (a > 0 && b > 0)
            sum += dt;
        else if (a > 0 && b <= 0)
            sum += dt * a / (a - b);
        else if (a <= 0 && b > 0)
            sum += dt * b / (b - a);
    }
    return sum;
}

namespace {
const std::vector<std::string> kAggregates = {"integral", "mean",      "max",       "min",     "final",
                                              "initial",  "timeAbove", "timeBelow", "duration"};

Result<double> scalar(const std::string &expr, std::deque<double> &slots,
                      const std::vector<std::pair<std::string, double>> &vars)
{
    try {
        mu::Parser p;
        for (const auto &[name, value] : vars) {
            slots.push_back(value);
            p.DefineVar(name, &slots.back());
        }
        p.SetExpr(expr);
        return p.Eval();
    } catch (const mu::ParserError &e) {
        return Error{"'" + expr + "': " + e.GetMsg()};
    }
}

Result<double> aggregate(const ScenarioSeries &s, const std::string &fn, const std::string &args)
{
    const auto &t = s.time;
    if (fn == "duration")
        return t.size() > 1 ? t.back() - t.front() : 0.0;
    std::string name = args, rest;
    if (const auto comma = args.find(','); comma != std::string::npos) {
        name = args.substr(0, comma);
        rest = args.substr(comma + 1);
    }
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    const std::vector<double> *x = s.find(name);
    if (!x)
        return Error{fn + ": no series '" + name + "' in the results"};
    if (x->empty())
        return std::numeric_limits<double>::quiet_NaN();
    if (fn == "integral")
        return seriesIntegral(t, *x);
    if (fn == "mean") {
        const double d = t.back() - t.front();
        return d > 0 ? seriesIntegral(t, *x) / d : x->front();
    }
    if (fn == "max")
        return *std::max_element(x->begin(), x->end());
    if (fn == "min")
        return *std::min_element(x->begin(), x->end());
    if (fn == "final")
        return x->back();
    if (fn == "initial")
        return x->front();
    std::deque<double> slots;
    auto c = scalar(rest, slots, {});
    if (!c)
        return Error{fn + ": threshold " + c.error()};
    if (fn == "timeAbove")
        return seriesTimeAbove(t, *x, *c);
    std::vector<double> neg(x->size());
    std::transform(x->begin(), x->end(), neg.begin(), [](double v) { return -v; });
    return seriesTimeAbove(t, neg, -*c);
}
} // namespace

Result<double> evaluateKpi(const ScenarioSeries &series, const std::string &expression)
{
    // Replace each aggregate call by a variable kpiAgg<k>, then evaluate the scalar rest with muparser.
    std::string expr;
    std::vector<std::pair<std::string, double>> vars;
    for (std::size_t i = 0; i < expression.size();) {
        bool matched = false;
        for (const auto &fn : kAggregates) {
            const bool boundary =
                i == 0 || !(std::isalnum((unsigned char)expression[i - 1]) || expression[i - 1] == '_');
            if (!boundary || expression.compare(i, fn.size(), fn) != 0)
                continue;
            std::size_t j = i + fn.size();
            while (j < expression.size() && expression[j] == ' ')
                ++j;
            if (j >= expression.size() || expression[j] != '(')
                continue;
            int depth = 0;
            std::size_t k = j;
            for (; k < expression.size(); ++k) {
                depth += expression[k] == '(' ? 1 : expression[k] == ')' ? -1 : 0;
                if (depth == 0)
                    break;
            }
            if (k >= expression.size())
                return Error{"'" + expression + "': unbalanced parentheses"};
            auto v = aggregate(series, fn, expression.substr(j + 1, k - j - 1));
            if (!v)
                return Error{"'" + expression + "': " + v.error()};
            const std::string var = "kpiAgg" + std::to_string(vars.size());
            vars.emplace_back(var, *v);
            expr += var;
            i = k + 1;
            matched = true;
            break;
        }
        if (!matched)
            expr += expression[i++];
    }
    std::deque<double> slots;
    auto r = scalar(expr, slots, vars);
    if (!r)
        return Error{"KPI '" + expression + "': " + r.error()};
    return r;
}

} // namespace twin::model::scenario
