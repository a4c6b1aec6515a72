#include "ModelExchange.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace twin::fmi {

namespace {

std::string number(double v)
{
    char text[40];
    std::snprintf(text, sizeof text, "%.10g", v);
    return text;
}

// Event iteration that does not settle is a model error; real models settle in a handful of rounds.
constexpr int kMaxEventIterations = 1000;
constexpr int kMaxRapidEvents = 1000;

} // namespace

ModelExchange::ModelExchange(FmuInstance &fmu, std::string label, bool needsCompletedIntegratorStep)
    : m_fmu(fmu), m_label(std::move(label)), m_needsCompleted(needsCompletedIntegratorStep)
{
}

ModelExchange::~ModelExchange() = default;

bool ModelExchange::fail(const std::string &error)
{
    if (m_failure.empty())
        m_failure = error;
    m_abort.store(true, std::memory_order_relaxed);
    return false;
}

bool ModelExchange::eventIteration(std::string &error)
{
    FmuInstance::EventInfo info;
    for (int round = 0;; ++round) {
        if (round == kMaxEventIterations) {
            error = m_label + ": event iteration at t=" + number(m_t) + " did not settle after " +
                    std::to_string(kMaxEventIterations) + " rounds";
            return false;
        }
        if (!m_fmu.updateDiscreteStates(info, error))
            return false;
        if (info.terminateSimulation) {
            m_terminate = true;
            break;
        }
        if (!info.newDiscreteStatesNeeded)
            break;
    }
    m_nextEvent = info.nextEventTime;
    if (m_nextEvent && *m_nextEvent < m_t - 1e-12 * std::max(1.0, std::abs(m_t)))
        m_nextEvent.reset(); // a time in the past is not an event still to come
    return true;
}

bool ModelExchange::enterContinuous(std::string &error)
{
    if (!m_fmu.enterContinuousTimeMode(error))
        return false;
    if (!m_dummyState && !m_fmu.getContinuousStates(m_x.data(), m_nx, error))
        return false;
    return true;
}

bool ModelExchange::setTimeAndStates(double t, const double *x)
{
    std::string error;
    if (!m_fmu.setTime(t, error) || (!m_dummyState && !m_fmu.setContinuousStates(x, m_nx, error)))
        return fail(error);
    return true;
}

bool ModelExchange::handleEvent(double t, double *x, std::string &error)
{
    // Events that keep firing while time stands still (chattering, or a Zeno point such as a ball bouncing
    // ever faster) would loop forever: stop with a message instead.
    m_rapidEvents = t - m_lastEvent <= 1e-10 * std::max(1.0, std::abs(t)) ? m_rapidEvents + 1 : 0;
    m_lastEvent = t;
    if (m_rapidEvents >= kMaxRapidEvents) {
        error = m_label + ": " + std::to_string(kMaxRapidEvents) + " events at t=" + number(t) +
                " without time advancing (chattering, or a Zeno point the model does not resolve); stopping";
        return false;
    }
    m_t = t;
    if (!m_fmu.setTime(t, error) || (!m_dummyState && !m_fmu.setContinuousStates(x, m_nx, error)) ||
        !m_fmu.enterEventMode(error) || !eventIteration(error))
        return false;
    if (m_terminate)
        return true; // stays in event mode; terminate follows
    if (!enterContinuous(error))
        return false;
    std::copy(m_x.begin(), m_x.end(), x);
    return true;
}

ode::OdeSystem ModelExchange::system()
{
    ode::OdeSystem s;
    s.size = int(m_x.size());
    // After a termination request the FMU stays in event mode, where states may not be set: the solver's
    // restart probes get zeros instead of calls the standard forbids.
    s.rhs = [this](double t, const double *x, double *dx) {
        if (m_terminate || m_abort.load(std::memory_order_relaxed) || !setTimeAndStates(t, x)) {
            std::fill(dx, dx + m_x.size(), 0.0);
            return;
        }
        std::string error;
        if (m_dummyState)
            dx[0] = 0;
        else if (!m_fmu.getDerivatives(dx, m_nx, error)) {
            fail(error);
            std::fill(dx, dx + m_nx, 0.0);
        }
    };
    s.eventCount = int(m_nz);
    if (m_nz > 0) {
        s.events = [this](double t, const double *x, double *z) {
            std::string error;
            if (m_terminate || m_abort.load(std::memory_order_relaxed) || !setTimeAndStates(t, x) ||
                !m_fmu.getEventIndicators(z, m_nz, error)) {
                if (!error.empty())
                    fail(error);
                std::fill(z, z + m_nz, 1.0);
            }
        };
        s.onEvent = [this](int, double t, double *x) {
            if (std::string error; !m_abort.load(std::memory_order_relaxed) && !handleEvent(t, x, error))
                fail(error);
            return true; // always stop: the next time event may have moved
        };
    }
    s.onStep = [this](double t, double *x) {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
            m_cancelled = true;
            return ode::StepAction::Stop;
        }
        if (!m_needsCompleted || m_abort.load(std::memory_order_relaxed))
            return ode::StepAction::Continue;
        bool enterEvent = false, terminate = false;
        std::string error;
        if (!setTimeAndStates(t, x) || !m_fmu.completedIntegratorStep(enterEvent, terminate, error)) {
            if (!error.empty())
                fail(error);
            return ode::StepAction::Stop;
        }
        m_t = t;
        if (terminate) {
            m_terminate = true;
            return ode::StepAction::Stop;
        }
        if (!enterEvent)
            return ode::StepAction::Continue;
        if (!handleEvent(t, x, error))
            fail(error);
        return ode::StepAction::Stop;
    };
    return s;
}

bool ModelExchange::start(double t0, const ModelExchangeOptions &options, std::string &error)
{
    m_t = t0;
    if (!m_fmu.stateAndIndicatorCounts(m_nx, m_nz, error))
        return false;
    m_dummyState = m_nx == 0;
    m_x.assign(m_dummyState ? 1 : m_nx, 0.0);
    if (!eventIteration(error))
        return false;
    if (m_terminate) {
        error = m_label + ": the model asked to terminate during initialization (t=" + number(t0) + ")";
        return false;
    }
    if (!enterContinuous(error))
        return false;
    if (options.solver != "cvode" && options.solver != "dopri5") {
        error = m_label + ": unknown solver \"" + options.solver + "\" (cvode or dopri5)";
        return false;
    }
    m_options = options;
    m_solver = options.solver == "dopri5" ? ode::makeDopri5() : ode::makeCvode();
    ode::SolverOptions o;
    o.rtol = options.tolerance;
    o.atol = options.tolerance;
    if (!m_solver->init(system(), t0, m_x, o)) {
        error = m_label + ": " + m_solver->error();
        return false;
    }
    // The solver probed the model at other points; outputs at t0 must be those of the initial state.
    if (!m_failure.empty() || !setTimeAndStates(t0, m_x.data())) {
        error = m_failure;
        return false;
    }
    return true;
}

bool ModelExchange::resume(double t, std::string &error)
{
    m_t = t;
    m_terminate = false;
    m_failure.clear();
    m_abort.store(false);
    if (!m_fmu.setTime(t, error) || !m_fmu.enterEventMode(error) || !eventIteration(error) ||
        !enterContinuous(error))
        return false;
    ode::SolverOptions o;
    o.rtol = o.atol = m_options.tolerance;
    if (!m_solver->init(system(), t, m_x, o)) {
        error = m_label + ": " + m_solver->error();
        return false;
    }
    return setTimeAndStates(t, m_x.data()) || (error = m_failure, false);
}

bool ModelExchange::changeInEventMode(const std::function<bool(std::string &)> &set, std::string &error)
{
    m_x = m_solver->y();
    if (!m_fmu.setTime(m_t, error) ||
        (!m_dummyState && !m_fmu.setContinuousStates(m_x.data(), m_nx, error)) ||
        !m_fmu.enterEventMode(error) || !set(error) || !eventIteration(error))
        return false;
    if (m_terminate)
        return true; // advance() reports it
    if (!enterContinuous(error))
        return false;
    m_solver->reset(m_x);
    return m_failure.empty() || (error = m_failure, false);
}

ModelExchange::Outcome ModelExchange::advance(double tEnd, double &reached, std::string &message,
                                              const std::atomic<bool> &cancel)
{
    reached = m_t;
    m_cancel = &cancel;
    const double eps = 1e-12 * std::max(1.0, std::abs(tEnd));
    auto finish = [&](Outcome outcome) {
        m_cancel = nullptr;
        reached = m_t;
        if (outcome == Outcome::Error)
            message = m_failure.empty() ? message : m_failure;
        else if (outcome != Outcome::Terminated && !setTimeAndStates(m_t, m_solver->y().data())) {
            message = m_failure;
            return Outcome::Error;
        }
        if (outcome == Outcome::Terminated)
            message = m_label + ": the model asked to terminate the simulation at t=" + number(m_t);
        return outcome;
    };
    while (!m_terminate && m_t < tEnd - eps) {
        const bool timeEvent = m_nextEvent && *m_nextEvent <= tEnd + eps;
        const double target = timeEvent ? std::max(*m_nextEvent, m_t) : tEnd;
        if (target > m_t) {
            const ode::Advance r = m_solver->advance(target, &m_abort);
            m_t = m_solver->t();
            if (!m_failure.empty())
                return finish(Outcome::Error);
            if (m_cancelled) {
                m_cancelled = false;
                return finish(Outcome::Cancelled);
            }
            if (r == ode::Advance::Failed) {
                message = m_label + ": " + m_solver->error() + " (at t=" + number(m_t) + ")";
                return finish(Outcome::Error);
            }
            if (r == ode::Advance::Stopped) { // an event was handled (or termination asked) in a callback
                if (!m_terminate)
                    m_solver->reset(m_solver->y());
                continue;
            }
            m_t = target;
        }
        if (timeEvent && m_t >= *m_nextEvent - eps) {
            m_x = m_solver->y();
            std::string error;
            if (!handleEvent(m_t, m_x.data(), error)) {
                fail(error);
                return finish(Outcome::Error);
            }
            if (m_terminate)
                break;
            if (m_nextEvent && *m_nextEvent <= m_t + eps) {
                fail(m_label + ": after the time event at t=" + number(m_t) +
                     " the model announced the next one at t=" + number(*m_nextEvent) + ", not later");
                return finish(Outcome::Error);
            }
            m_solver->reset(m_x);
        }
    }
    return finish(m_terminate ? Outcome::Terminated : Outcome::Ok);
}

} // namespace twin::fmi
