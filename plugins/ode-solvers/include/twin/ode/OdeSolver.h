#pragma once
// The problem and solver interfaces of the DOPRI5 and CVODE solvers, shared by sim-ode (its component
// networks) and sim-fmi (model-exchange FMUs). Plain std types, no Eigen or SUNDIALS in headers.
//
// Threads: a solver is used from one thread; `cancel` may be set from another thread and is polled every
// internal step.
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace twin::ode {

// What a step handler asks of the solver after an accepted step.
enum class StepAction : std::uint8_t
{
    Continue, // go on
    Restart,  // the handler changed the state in place: restart the step-size history from it
    Stop,     // end advance() here with Stopped
};

struct OdeSystem
{
    int size = 0;
    // dy/dt = f(t, y). Must not throw.
    std::function<void(double t, const double *y, double *dydt)> rhs;
    // Event functions g_i(t, y), i < eventCount; an event fires where g_i changes sign in `eventDirection[i]`
    // (+1: rising, -1: falling, 0: either).
    int eventCount = 0;
    std::function<void(double t, const double *y, double *g)> events;
    std::vector<int> eventDirection;
    // Called at the located event time with the state (may be modified). Return true to stop the integration
    // at the event (advance() then returns Stopped).
    std::function<bool(int event, double t, double *y)> onEvent;
    // Optional: called after every accepted step that ended without an event, with the state there (may be
    // modified together with StepAction::Restart).
    std::function<StepAction(double t, double *y)> onStep;
};

struct SolverOptions
{
    double rtol = 1e-6;
    double atol = 1e-9;
    double initialStep = 0; // 0: estimated
    double maxStep = std::numeric_limits<double>::infinity();
    long maxSteps = 100'000'000; // per advance()
    bool adams = false;          // CVODE only: Adams (non-stiff) instead of BDF
    // DOPRI5 only, for systems without events or step handler: advance(tout) does not shorten a step to land
    // on tout; it steps past it and returns the dense-output state there (as solve_ivp's t_eval does), so
    // closely spaced output times cost no extra steps. reset() restarts from the output time.
    bool interpolate = false;
};

struct SolverStats
{
    long steps = 0;    // accepted
    long rejected = 0; // error-test failures
    long rhsEvals = 0; // calls of f
    long jacEvals = 0; // CVODE only
    long events = 0;   // events handled
};

enum class Advance : std::uint8_t
{
    Reached,   // t == tout
    Stopped,   // an event handler asked to stop; t is the event time
    Cancelled, // the cancel flag was set; t is where the solver stopped
    Failed,    // error(); the solver must be re-initialized
};

class OdeSolver
{
public:
    virtual ~OdeSolver() = default;
    virtual const char *name() const = 0;
    // (Re)starts at t0 with y0; checks options. Returns false with error() set on bad input.
    virtual bool init(const OdeSystem &system, double t0, const std::vector<double> &y0,
                      const SolverOptions &options) = 0;
    // Integrates to tout (> t()), handling events on the way.
    virtual Advance advance(double tout, const std::atomic<bool> *cancel = nullptr) = 0;
    // Replaces the state at the current time (e.g. after an input changed discontinuously); restarts the
    // step-size history.
    virtual void reset(const std::vector<double> &y) = 0;
    virtual double t() const = 0;
    virtual const std::vector<double> &y() const = 0;
    virtual const SolverStats &stats() const = 0;
    virtual const std::string &error() const = 0;
};

std::unique_ptr<OdeSolver> makeDopri5();
std::unique_ptr<OdeSolver> makeCvode(); // BDF + Newton + dense LU (Adams + fixed point with options.adams)

} // namespace twin::ode
