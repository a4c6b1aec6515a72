// Lorenz system (sigma 10, rho 28, beta 8/3, y0 = (1, 1, 1)) over t = 0..100: sim-ode's DOPRI5 vs SUNDIALS
// CVODE called directly (Adams + fixed-point iteration, the non-stiff setting), at equal tolerances
// (atol = 1e-3 rtol). The error is measured at t = 10 against a tight reference (DOPRI5 at rtol 1e-12,
// cross-checked with CVODE at rtol 1e-12): Lorenz is chaotic, so trajectories at t = 100 no longer agree
// and only an early time says anything about accuracy. Time is the median of several runs of the whole
// 0..100 integration. Output: one JSON line per solver and tolerance.
#include "twin/ode/OdeSolver.h"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunnonlinsol/sunnonlinsol_fixedpoint.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

namespace {

using Vec3 = std::array<double, 3>;
constexpr int kRuns = 9;

inline void lorenz(const double *y, double *dy)
{
    dy[0] = 10.0 * (y[1] - y[0]);
    dy[1] = y[0] * (28.0 - y[2]) - y[1];
    dy[2] = y[0] * y[1] - (8.0 / 3.0) * y[2];
}

struct Run
{
    Vec3 at10{};
    long steps = 0, rhs = 0;
    double seconds = 0;
};

Run runDopri5(double rtol, double atol)
{
    twin::ode::OdeSystem sys;
    sys.size = 3;
    sys.rhs = [](double, const double *y, double *dy) { lorenz(y, dy); };
    twin::ode::SolverOptions o;
    o.rtol = rtol;
    o.atol = atol;
    o.maxSteps = 1'000'000'000;
    Run r;
    const auto start = std::chrono::steady_clock::now();
    auto s = twin::ode::makeDopri5();
    s->init(sys, 0, {1, 1, 1}, o);
    s->advance(10);
    std::copy_n(s->y().begin(), 3, r.at10.begin());
    s->advance(100);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.steps = s->stats().steps;
    r.rhs = s->stats().rhsEvals;
    return r;
}

int cvRhs(double, N_Vector y, N_Vector dy, void *)
{
    lorenz(N_VGetArrayPointer(y), N_VGetArrayPointer(dy));
    return 0;
}

Run runCvode(double rtol, double atol)
{
    Run r;
    const auto start = std::chrono::steady_clock::now();
    SUNContext ctx = nullptr;
    SUNContext_Create(nullptr, &ctx);
    N_Vector y = N_VNew_Serial(3, ctx);
    double *p = N_VGetArrayPointer(y);
    p[0] = p[1] = p[2] = 1;
    void *mem = CVodeCreate(CV_ADAMS, ctx);
    CVodeInit(mem, cvRhs, 0, y);
    CVodeSStolerances(mem, rtol, atol);
    CVodeSetMaxNumSteps(mem, 1'000'000'000);
    SUNNonlinearSolver nls = SUNNonlinSol_FixedPoint(y, 0, ctx);
    CVodeSetNonlinearSolver(mem, nls);
    double t = 0;
    CVode(mem, 10, y, &t, CV_NORMAL);
    std::copy_n(p, 3, r.at10.begin());
    CVode(mem, 100, y, &t, CV_NORMAL);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CVodeGetNumSteps(mem, &r.steps);
    CVodeGetNumRhsEvals(mem, &r.rhs);
    CVodeFree(&mem);
    SUNNonlinSolFree(nls);
    N_VDestroy(y);
    SUNContext_Free(&ctx);
    return r;
}

double maxAbsError(const Vec3 &a, const Vec3 &b)
{
    double e = 0;
    for (int i = 0; i < 3; ++i)
        e = std::max(e, std::abs(a[i] - b[i]));
    return e;
}

template <typename F> Run median(F run)
{
    std::vector<Run> runs;
    for (int i = 0; i < kRuns; ++i)
        runs.push_back(run());
    std::sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) { return a.seconds < b.seconds; });
    return runs[kRuns / 2];
}

} // namespace

int main()
{
    const Vec3 ref = runDopri5(1e-12, 1e-12).at10;
    const Vec3 ref2 = runCvode(1e-12, 1e-12).at10;
    std::printf("{\"reference\": \"dopri5 rtol 1e-12\", \"t\": 10, \"y\": [%.12f, %.12f, %.12f], "
                "\"cvodeDisagreement\": %.3g}\n",
                ref[0], ref[1], ref[2], maxAbsError(ref, ref2));
    for (double rtol : {1e-6, 1e-7, 1e-8}) {
        const double atol = rtol * 1e-3;
        const Run d = median([&] { return runDopri5(rtol, atol); });
        const Run c = median([&] { return runCvode(rtol, atol); });
        for (const auto &[name, r] : {std::pair{"sim-ode DOPRI5", d}, std::pair{"CVODE Adams (direct)", c}})
            std::printf(
                "{\"solver\": \"%s\", \"rtol\": %g, \"atol\": %g, \"medianMs\": %.4f, \"steps\": %ld, "
                "\"rhsEvals\": %ld, \"errorAt10\": %.3g}\n",
                name, rtol, atol, r.seconds * 1e3, r.steps, r.rhs, maxAbsError(r.at10, ref));
    }
    return 0;
}
