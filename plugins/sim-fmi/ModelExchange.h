#pragma once
// Runs a model-exchange FMU (FMI 2.0 / 3.0) with our own integration: the FMU gives derivatives and event
// indicators, an ODE solver of plugins/ode-solvers (CVODE BDF for stiff models, DOPRI5 for non-stiff ones)
// advances the continuous states, and this class handles the three kinds of events the standard defines:
//   - time events: the next event time the FMU announced is never stepped over;
//   - state events: a sign change of an event indicator, located by the solver's root finding;
//   - step events: fmiCompletedIntegratorStep asking for event mode after an accepted step;
// each followed by event iteration (fmi2NewDiscreteStates / fmi3UpdateDiscreteStates until no new discrete
// states are needed) and re-reading the continuous states when the FMU changed them. A model without
// continuous states runs with one dummy state so its time and state events still fire.
//
// Threads: one thread calls everything (the simulator's); `cancel` may be set from another thread.
#include "FmuInstance.h"

#include "twin/ode/OdeSolver.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace twin::fmi {

struct ModelExchangeOptions
{
    std::string solver = "cvode"; // or "dopri5"
    double tolerance = 1e-6;      // relative; absolute tolerance is the same, on states of nominal size 1
};

class ModelExchange
{
public:
    enum class Outcome
    {
        Ok,
        Terminated, // the FMU asked to end the simulation; `reached` is where
        Cancelled,
        Error,
    };

    // `needsCompletedIntegratorStep` from the description: whether fmiCompletedIntegratorStep must be called.
    ModelExchange(FmuInstance &fmu, std::string label, bool needsCompletedIntegratorStep);
    ~ModelExchange();
    ModelExchange(const ModelExchange &) = delete;
    ModelExchange &operator=(const ModelExchange &) = delete;

    // Right after exitInitializationMode (the FMU is in event mode): event iteration, continuous-time mode,
    // the initial states and the solver. A model that asks to terminate already here fails with a message.
    bool start(double t0, const ModelExchangeOptions &options, std::string &error);
    // Runs `set` in event mode at the current time (inputs and tunable parameters change there), then event
    // iteration, continuous-time mode, and a solver restart from the states the FMU reports.
    bool changeInEventMode(const std::function<bool(std::string &)> &set, std::string &error);
    // After the FMU's state was restored (FMI set/deserialize state) at time t: one event iteration there to
    // learn the next time event, the states, and a fresh solver.
    bool resume(double t, std::string &error);
    // Integrates to tEnd. On return the FMU holds the time and states of `reached`, so outputs can be read.
    Outcome advance(double tEnd, double &reached, std::string &message, const std::atomic<bool> &cancel);

    const ode::SolverStats &stats() const { return m_solver->stats(); }
    std::size_t states() const { return m_nx; }
    std::size_t eventIndicators() const { return m_nz; }
    std::optional<double> nextEventTime() const { return m_nextEvent; }

private:
    bool eventIteration(std::string &error);
    bool enterContinuous(std::string &error);
    bool handleEvent(double t, double *x, std::string &error);
    bool setTimeAndStates(double t, const double *x);
    ode::OdeSystem system();
    bool fail(const std::string &error); // records the first failure and aborts the solver

    FmuInstance &m_fmu;
    std::string m_label;
    std::size_t m_nx = 0, m_nz = 0;
    bool m_dummyState = false;
    bool m_needsCompleted = true;
    std::vector<double> m_x;
    std::unique_ptr<ode::OdeSolver> m_solver;
    ModelExchangeOptions m_options;
    std::optional<double> m_nextEvent;
    bool m_terminate = false, m_cancelled = false;
    const std::atomic<bool> *m_cancel = nullptr; // Not owned: the advance() in progress
    std::atomic<bool> m_abort{false};
    std::string m_failure;
    double m_t = 0;
    double m_lastEvent = -1e300;
    int m_rapidEvents = 0; // consecutive events without time advancing
};

} // namespace twin::fmi
