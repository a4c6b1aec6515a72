// SUNDIALS CVODE (6.x API): BDF with Newton iteration and a dense direct linear solver (finite-difference
// Jacobian) for stiff models, or Adams with fixed-point iteration (options.adams). Events use CVODE's own
// rootfinding; after an event action the integrator is re-initialized at the event time.
#include "twin/ode/OdeSolver.h"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunnonlinsol/sunnonlinsol_fixedpoint.h>

#include <cmath>
#include <optional>

namespace twin::ode {
namespace {

class Cvode final : public OdeSolver
{
public:
    ~Cvode() override { release(); }
    const char *name() const override { return "cvode"; }

    bool init(const OdeSystem &system, double t0, const std::vector<double> &y0,
              const SolverOptions &options) override
    {
        release();
        m_error.clear();
        if (system.size <= 0 || !system.rhs || int(y0.size()) != system.size)
            return fail("cvode: system size, rhs or initial state missing");
        if (!(options.rtol > 0) || !(options.atol >= 0))
            return fail("cvode: rtol must be > 0 and atol >= 0");
        m_sys = system;
        m_opt = options;
        m_t = t0;
        m_y = y0;
        m_stats = {};
        m_base = {};
        if (SUNContext_Create(nullptr, &m_ctx) != 0)
            return fail("cvode: cannot create a SUNDIALS context");
        m_nv = N_VNew_Serial(system.size, m_ctx);
        if (!m_nv)
            return fail("cvode: out of memory");
        copyIn();
        m_mem = CVodeCreate(options.adams ? CV_ADAMS : CV_BDF, m_ctx);
        if (!m_mem)
            return fail("cvode: CVodeCreate failed");
        CVodeSetErrHandlerFn(m_mem, &Cvode::onError, this);
        if (CVodeInit(m_mem, &Cvode::rhs, t0, m_nv) != CV_SUCCESS ||
            CVodeSStolerances(m_mem, options.rtol, options.atol) != CV_SUCCESS ||
            CVodeSetUserData(m_mem, this) != CV_SUCCESS)
            return fail("cvode: initialization failed: " + m_cvMessage);
        if (options.adams) {
            m_nls = SUNNonlinSol_FixedPoint(m_nv, 0, m_ctx);
            if (!m_nls || CVodeSetNonlinearSolver(m_mem, m_nls) != CV_SUCCESS)
                return fail("cvode: fixed-point solver setup failed");
        } else {
            m_mat = SUNDenseMatrix(system.size, system.size, m_ctx);
            m_ls = m_mat ? SUNLinSol_Dense(m_nv, m_mat, m_ctx) : nullptr;
            if (!m_ls || CVodeSetLinearSolver(m_mem, m_ls, m_mat) != CV_SUCCESS)
                return fail("cvode: dense linear solver setup failed");
        }
        CVodeSetMaxNumSteps(m_mem, options.maxSteps);
        if (std::isfinite(options.maxStep))
            CVodeSetMaxStep(m_mem, options.maxStep);
        if (options.initialStep > 0)
            CVodeSetInitStep(m_mem, options.initialStep);
        if (system.eventCount > 0) {
            if (!system.events || !system.onEvent)
                return fail("cvode: events declared without event or handler function");
            m_dirs.assign(system.eventCount, 0);
            for (int i = 0; i < system.eventCount && i < int(system.eventDirection.size()); ++i)
                m_dirs[i] = system.eventDirection[i];
            m_found.assign(system.eventCount, 0);
            if (CVodeRootInit(m_mem, system.eventCount, &Cvode::roots) != CV_SUCCESS ||
                CVodeSetRootDirection(m_mem, m_dirs.data()) != CV_SUCCESS)
                return fail("cvode: rootfinding setup failed");
        }
        return true;
    }

    void reset(const std::vector<double> &y) override
    {
        m_y = y;
        reinit();
    }

    Advance advance(double tout, const std::atomic<bool> *cancel) override
    {
        if (!m_error.empty() || !m_mem)
            return Advance::Failed;
        if (tout < m_t) {
            fail("cvode: tout lies before the current time");
            return Advance::Failed;
        }
        if (tout == m_t)
            return Advance::Reached;
        CVodeSetStopTime(m_mem, tout);
        m_stopTime = tout;
        while (true) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                copyOut();
                return Advance::Cancelled;
            }
            double t = m_t;
            const int flag = CVode(m_mem, tout, m_nv, &t, CV_ONE_STEP);
            m_t = t;
            if (flag < 0) {
                fail("cvode: " + m_cvMessage);
                return Advance::Failed;
            }
            if (flag == CV_TSTOP_RETURN || m_t >= tout) {
                m_t = tout;
                copyOut();
                updateStats();
                const StepAction action = stepped();
                return action == StepAction::Stop ? Advance::Stopped : Advance::Reached;
            }
            if (flag == CV_ROOT_RETURN) {
                CVodeGetRootInfo(m_mem, m_found.data());
                int which = 0;
                while (which < m_sys.eventCount && m_found[which] == 0)
                    ++which;
                copyOut();
                ++m_stats.events;
                const bool stop = m_sys.onEvent(which, m_t, m_y.data());
                reinit();
                if (stop)
                    return Advance::Stopped;
                CVodeSetStopTime(m_mem, tout);
            } else if (m_sys.onStep) {
                copyOut();
                if (stepped() == StepAction::Stop)
                    return Advance::Stopped;
            }
        }
    }

    double t() const override { return m_t; }
    const std::vector<double> &y() const override { return m_y; }
    const SolverStats &stats() const override
    {
        const_cast<Cvode *>(this)->updateStats();
        return m_stats;
    }
    const std::string &error() const override { return m_error; }

private:
    // The step handler at (m_t, m_y); re-initializes the integrator when it changed the state.
    StepAction stepped()
    {
        if (!m_sys.onStep)
            return StepAction::Continue;
        const StepAction action = m_sys.onStep(m_t, m_y.data());
        if (action == StepAction::Restart) {
            reinit();
            if (m_stopTime)
                CVodeSetStopTime(m_mem, *m_stopTime);
        }
        return action;
    }

    static int rhs(double t, N_Vector y, N_Vector dy, void *self)
    {
        auto *s = static_cast<Cvode *>(self);
        s->m_sys.rhs(t, N_VGetArrayPointer(y), N_VGetArrayPointer(dy));
        return 0;
    }
    static int roots(double t, N_Vector y, double *g, void *self)
    {
        static_cast<Cvode *>(self)->m_sys.events(t, N_VGetArrayPointer(y), g);
        return 0;
    }
    static void onError(int, const char *, const char *function, char *msg, void *self)
    {
        static_cast<Cvode *>(self)->m_cvMessage = std::string(function) + ": " + msg;
    }

    bool fail(std::string message)
    {
        m_error = std::move(message);
        return false;
    }
    void copyIn() { std::copy(m_y.begin(), m_y.end(), N_VGetArrayPointer(m_nv)); }
    void copyOut()
    {
        const double *p = N_VGetArrayPointer(m_nv);
        m_y.assign(p, p + m_sys.size);
    }
    // Counters restart with CVodeReInit: keep a base.
    void updateStats()
    {
        if (!m_mem)
            return;
        long steps = 0, fe = 0, fails = 0, jac = 0, feLs = 0;
        CVodeGetNumSteps(m_mem, &steps);
        CVodeGetNumRhsEvals(m_mem, &fe);
        CVodeGetNumErrTestFails(m_mem, &fails);
        if (m_ls) {
            CVodeGetNumJacEvals(m_mem, &jac);
            CVodeGetNumLinRhsEvals(m_mem, &feLs);
        }
        m_stats.steps = m_base.steps + steps;
        m_stats.rhsEvals = m_base.rhsEvals + fe + feLs;
        m_stats.rejected = m_base.rejected + fails;
        m_stats.jacEvals = m_base.jacEvals + jac;
    }
    void reinit()
    {
        updateStats();
        const long events = m_stats.events;
        m_base = m_stats;
        m_base.events = 0;
        m_stats.events = events;
        copyIn();
        CVodeReInit(m_mem, m_t, m_nv);
    }
    void release()
    {
        if (m_mem)
            CVodeFree(&m_mem);
        if (m_ls)
            SUNLinSolFree(m_ls);
        if (m_nls)
            SUNNonlinSolFree(m_nls);
        if (m_mat)
            SUNMatDestroy(m_mat);
        if (m_nv)
            N_VDestroy(m_nv);
        if (m_ctx)
            SUNContext_Free(&m_ctx);
        m_mem = nullptr;
        m_ls = nullptr;
        m_nls = nullptr;
        m_mat = nullptr;
        m_nv = nullptr;
        m_ctx = nullptr;
    }

    OdeSystem m_sys;
    SolverOptions m_opt;
    SolverStats m_stats, m_base;
    std::string m_error, m_cvMessage;
    double m_t = 0;
    std::optional<double> m_stopTime; // of the advance() in progress
    std::vector<double> m_y;
    std::vector<int> m_dirs, m_found;
    SUNContext m_ctx = nullptr;
    N_Vector m_nv = nullptr;
    void *m_mem = nullptr;
    SUNMatrix m_mat = nullptr;
    SUNLinearSolver m_ls = nullptr;
    SUNNonlinearSolver m_nls = nullptr;
};

} // namespace

std::unique_ptr<OdeSolver> makeCvode()
{
    return std::make_unique<Cvode>();
}

} // namespace twin::ode
