#pragma once
// The values that cross an algebraic loop at one communication point: z = g(z), where g sets the loop's
// inputs to z and reads back what its outputs then send along the same connections. Solved by Newton's
// method on g(z) - z with a forward-difference Jacobian and a halving line search, as co-simulation
// masters do for loops of direct-feedthrough components (a plain fixed-point iteration diverges as soon as
// the loop gain exceeds one).
#include <functional>
#include <string>
#include <vector>

namespace twin::ssp {

struct LoopSolution
{
    bool converged = false;
    int iterations = 0;
    double residual = 0; // max |g(z) - z| at the returned z
};

// g(z, out, error): false when a component refused a value (error says why); the solve then fails too.
using LoopFunction =
    std::function<bool(const std::vector<double> &z, std::vector<double> &out, std::string &error)>;

// Improves `z` in place (it starts from the caller's guess, e.g. the last communication point's values).
// Converged when max |g(z) - z| <= tolerance * (1 + max |z|). False with `error` only when g failed.
bool solveLoop(std::vector<double> &z, const LoopFunction &g, LoopSolution &solution, std::string &error,
               int maxIterations = 50, double tolerance = 1e-10);

} // namespace twin::ssp
