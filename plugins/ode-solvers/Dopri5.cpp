// Dormand–Prince 5(4) with FSAL, PI step-size control and 4th-order dense output (Hairer, Nørsett & Wanner,
// "Solving ODEs I", II.4–II.6 and their DOPRI5 code). Events: sign changes of g_i(t, y) are detected after
// each accepted step and located with the Illinois method on the dense output.
#include "twin/ode/OdeSolver.h"

#include <algorithm>
#include <cmath>

namespace twin::ode {
namespace {

// Butcher tableau and error / dense-output coefficients.
constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
constexpr double a21 = 1.0 / 5;
constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                 a65 = -5103.0 / 18656;
constexpr double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784,
                 a76 = 11.0 / 84;
constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                 e6 = 22.0 / 525, e7 = -1.0 / 40;
constexpr double d1 = -12715105075.0 / 11282082432, d3 = 87487479700.0 / 32700410799,
                 d4 = -10690763975.0 / 1880347072, d5 = 701980252875.0 / 199316789632,
                 d6 = -1453857185.0 / 822651844, d7 = 69997945.0 / 29380423;
// PI controller (Hairer's defaults): beta = 0.04, safety 0.9, step ratio within [0.2, 10].
constexpr double beta = 0.04, expo1 = 0.2 - beta * 0.75, safe = 0.9, facMin = 0.2, facMax = 10.0;

class Dopri5 final : public OdeSolver
{
public:
    const char *name() const override { return "dopri5"; }

    bool init(const OdeSystem &system, double t0, const std::vector<double> &y0,
              const SolverOptions &options) override
    {
        m_error.clear();
        if (system.size <= 0 || !system.rhs || int(y0.size()) != system.size)
            return fail("dopri5: system size, rhs or initial state missing");
        if (!(options.rtol > 0) || !(options.atol >= 0))
            return fail("dopri5: rtol must be > 0 and atol >= 0");
        if (system.eventCount > 0 && (!system.events || !system.onEvent))
            return fail("dopri5: events declared without event or handler function");
        m_sys = system;
        m_opt = options;
        m_n = system.size;
        for (auto *v : {&m_k1, &m_k2, &m_k3, &m_k4, &m_k5, &m_k6, &m_k7, &m_y1, &m_yt, &m_yold, &m_r2, &m_r3,
                        &m_r4, &m_r5})
            v->assign(m_n, 0.0);
        m_stats = {};
        m_ahead = false;
        m_t = t0;
        m_y = y0;
        m_h = 0;
        restart();
        return true;
    }

    void reset(const std::vector<double> &y) override
    {
        if (m_ahead) { // back to the output time the caller sees
            m_t = m_tOut;
            m_ahead = false;
        }
        m_y = y;
        restart();
    }

    Advance advance(double tout, const std::atomic<bool> *cancel) override
    {
        if (!m_error.empty())
            return Advance::Failed;
        if (tout < t()) {
            fail("dopri5: tout lies before the current time");
            return Advance::Failed;
        }
        if (m_opt.interpolate && m_sys.eventCount == 0 && !m_sys.onStep)
            return advanceInterpolating(tout, cancel);
        const double eps = 1e-14 * std::max(1.0, std::abs(tout));
        long steps = 0;
        while (tout - m_t > eps) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return Advance::Cancelled;
            if (++steps > m_opt.maxSteps) {
                fail("dopri5: more than " + std::to_string(m_opt.maxSteps) + " steps");
                return Advance::Failed;
            }
            double h = std::min(m_h, m_opt.maxStep);
            bool last = false;
            if (m_t + 1.01 * h >= tout) {
                h = tout - m_t;
                last = true;
            }
            if (h <= 1e-15 * std::max(1.0, std::abs(m_t))) {
                fail("dopri5: step size underflow at t = " + std::to_string(m_t));
                return Advance::Failed;
            }
            if (!control(h, attempt(h)))
                continue;
            const double hNew = m_h;
            accept(h, last ? tout : m_t + h);
            const int r = m_sys.eventCount > 0 ? handleEvents() : 0;
            if (r == 2)
                return Advance::Stopped;
            if (r == 0 && m_sys.onStep) {
                const StepAction action = m_sys.onStep(m_t, m_y.data());
                if (action == StepAction::Stop)
                    return Advance::Stopped;
                if (action == StepAction::Restart) {
                    restart();
                    m_h = std::min(m_h, hNew);
                }
            }
        }
        m_t = tout;
        return Advance::Reached;
    }

    double t() const override { return m_ahead ? m_tOut : m_t; }
    const std::vector<double> &y() const override { return m_ahead ? m_yOut : m_y; }
    const SolverStats &stats() const override { return m_stats; }
    const std::string &error() const override { return m_error; }

private:
    // advance() with options.interpolate: full steps until the last accepted one covers tout, then the dense
    // output there.
    Advance advanceInterpolating(double tout, const std::atomic<bool> *cancel)
    {
        long steps = 0;
        while (m_t < tout) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                m_ahead = false;
                return Advance::Cancelled;
            }
            if (++steps > m_opt.maxSteps) {
                fail("dopri5: more than " + std::to_string(m_opt.maxSteps) + " steps");
                return Advance::Failed;
            }
            const double h = std::min(m_h, m_opt.maxStep);
            if (h <= 1e-15 * std::max(1.0, std::abs(m_t))) {
                fail("dopri5: step size underflow at t = " + std::to_string(m_t));
                return Advance::Failed;
            }
            if (control(h, attempt(h)))
                accept(h, m_t + h);
        }
        m_ahead = m_t > tout;
        m_tOut = tout;
        if (m_ahead) {
            m_yOut.resize(std::size_t(m_n));
            dense(tout, m_yOut);
        }
        return Advance::Reached;
    }

    // The PI step-size control after a trial step of size h with scaled error err: sets the next step size
    // (m_h) and says whether the step is accepted.
    bool control(double h, double err)
    {
        if (!std::isfinite(err) || err > 1.0) {
            m_h = std::isfinite(err) ? h / std::min(1.0 / facMin, std::pow(err, expo1) / safe) : h * facMin;
            m_lastRejected = true;
            ++m_stats.rejected;
            return false;
        }
        const double fac =
            std::clamp(std::pow(err, expo1) / std::pow(m_facOld, beta) / safe, 1.0 / facMax, 1.0 / facMin);
        m_h = m_lastRejected ? std::min(h / fac, h) : h / fac;
        m_facOld = std::max(err, 1e-4);
        m_lastRejected = false;
        ++m_stats.steps;
        return true;
    }

    bool fail(std::string message)
    {
        m_error = std::move(message);
        return false;
    }
    void f(double t, const double *y, std::vector<double> &dy)
    {
        ++m_stats.rhsEvals;
        m_sys.rhs(t, y, dy.data());
    }

    // New start at (m_t, m_y): FSAL derivative, event values, initial step, controller memory.
    void restart()
    {
        f(m_t, m_y.data(), m_k1);
        if (m_sys.eventCount > 0) {
            m_gOld.assign(m_sys.eventCount, 0.0);
            m_gNew.assign(m_sys.eventCount, 0.0);
            m_sys.events(m_t, m_y.data(), m_gOld.data());
        }
        m_facOld = 1e-4;
        m_lastRejected = false;
        m_h = m_opt.initialStep > 0 ? m_opt.initialStep : initialStep();
    }

    double sk(int i, double a, double b) const
    {
        return m_opt.atol + m_opt.rtol * std::max(std::abs(a), std::abs(b));
    }

    // Hairer's HINIT: h such that the first explicit Euler step's local error is about the tolerance.
    double initialStep()
    {
        double dnf = 0, dny = 0;
        for (int i = 0; i < m_n; ++i) {
            const double s = sk(i, m_y[i], 0);
            dnf += (m_k1[i] / s) * (m_k1[i] / s);
            dny += (m_y[i] / s) * (m_y[i] / s);
        }
        double h = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : std::sqrt(dny / dnf) * 0.01;
        h = std::min(h, m_opt.maxStep);
        for (int i = 0; i < m_n; ++i)
            m_yt[i] = m_y[i] + h * m_k1[i];
        f(m_t + h, m_yt.data(), m_k2);
        double der2 = 0;
        for (int i = 0; i < m_n; ++i) {
            const double d = (m_k2[i] - m_k1[i]) / sk(i, m_y[i], 0);
            der2 += d * d;
        }
        der2 = std::sqrt(der2) / h;
        const double der12 = std::max(std::abs(der2), std::sqrt(dnf));
        const double h1 = der12 <= 1e-15 ? std::max(1e-6, h * 1e-3) : std::pow(0.01 / der12, 0.2);
        return std::min({100 * h, h1, m_opt.maxStep});
    }

    // One trial step of size h from (m_t, m_y); leaves y(t+h) in m_y1 and k7 = f(t+h, y1). Returns the
    // scaled RMS error estimate.
    double attempt(double h)
    {
        const int n = m_n;
        const double *y = m_y.data();
        double *yt = m_yt.data();
        const double *k1 = m_k1.data();
        for (int i = 0; i < n; ++i)
            yt[i] = y[i] + h * a21 * k1[i];
        f(m_t + c2 * h, yt, m_k2);
        const double *k2 = m_k2.data();
        for (int i = 0; i < n; ++i)
            yt[i] = y[i] + h * (a31 * k1[i] + a32 * k2[i]);
        f(m_t + c3 * h, yt, m_k3);
        const double *k3 = m_k3.data();
        for (int i = 0; i < n; ++i)
            yt[i] = y[i] + h * (a41 * k1[i] + a42 * k2[i] + a43 * k3[i]);
        f(m_t + c4 * h, yt, m_k4);
        const double *k4 = m_k4.data();
        for (int i = 0; i < n; ++i)
            yt[i] = y[i] + h * (a51 * k1[i] + a52 * k2[i] + a53 * k3[i] + a54 * k4[i]);
        f(m_t + c5 * h, yt, m_k5);
        const double *k5 = m_k5.data();
        for (int i = 0; i < n; ++i)
            yt[i] = y[i] + h * (a61 * k1[i] + a62 * k2[i] + a63 * k3[i] + a64 * k4[i] + a65 * k5[i]);
        f(m_t + h, yt, m_k6);
        const double *k6 = m_k6.data();
        double *y1 = m_y1.data();
        for (int i = 0; i < n; ++i)
            y1[i] = y[i] + h * (a71 * k1[i] + a73 * k3[i] + a74 * k4[i] + a75 * k5[i] + a76 * k6[i]);
        f(m_t + h, y1, m_k7);
        const double *k7 = m_k7.data();
        double err = 0;
        for (int i = 0; i < n; ++i) {
            const double e = h *
                             (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * k7[i]) /
                             sk(i, y[i], y1[i]);
            err += e * e;
        }
        return std::sqrt(err / n);
    }

    // Takes the trial step: dense-output coefficients, state, FSAL.
    void accept(double h, double tNew)
    {
        for (int i = 0; i < m_n; ++i) {
            const double dy = m_y1[i] - m_y[i];
            const double bspl = h * m_k1[i] - dy;
            m_r2[i] = dy;
            m_r3[i] = bspl;
            m_r4[i] = dy - h * m_k7[i] - bspl;
            m_r5[i] =
                h * (d1 * m_k1[i] + d3 * m_k3[i] + d4 * m_k4[i] + d5 * m_k5[i] + d6 * m_k6[i] + d7 * m_k7[i]);
        }
        m_yold.swap(m_y);
        m_y.swap(m_y1);
        m_k1.swap(m_k7);
        m_told = m_t;
        m_hDense = h;
        m_t = tNew;
    }

    // Dense output on the last accepted step [m_told, m_told + m_hDense].
    void dense(double t, std::vector<double> &out) const
    {
        const double th = (t - m_told) / m_hDense, th1 = 1 - th;
        for (int i = 0; i < m_n; ++i)
            out[i] = m_yold[i] + th * (m_r2[i] + th1 * (m_r3[i] + th * (m_r4[i] + th1 * m_r5[i])));
    }

    static bool crossed(double a, double b, int dir)
    {
        const bool up = a < 0 && b >= 0, down = a > 0 && b <= 0;
        return dir > 0 ? up : dir < 0 ? down : (up || down);
    }

    // Illinois (modified regula falsi) on g_i along the dense output in [m_told, m_t]; returns the right end
    // of the final bracket, i.e. a time just past the crossing.
    double locate(int which)
    {
        std::vector<double> g(m_sys.eventCount);
        double a = m_told, b = m_t, ga = m_gOld[which], gb = m_gNew[which];
        int side = 0;
        const double tol = 4 * 2.2e-16 * std::max({1.0, std::abs(a), std::abs(b)});
        for (int iter = 0; iter < 200 && b - a > tol; ++iter) {
            double c = b - gb * (b - a) / (gb - ga);
            if (!(c > a && c < b))
                c = 0.5 * (a + b);
            dense(c, m_yt);
            m_sys.events(c, m_yt.data(), g.data());
            const double gc = g[which];
            if ((gc < 0 && ga < 0) || (gc > 0 && ga > 0) || (gc == 0 && ga == 0)) {
                a = c;
                ga = gc;
                if (side == -1)
                    gb *= 0.5;
                side = -1;
            } else {
                b = c;
                gb = gc;
                if (side == 1)
                    ga *= 0.5;
                side = 1;
            }
        }
        return b;
    }

    // 0: no event, 1: handled, 2: handled and stop.
    int handleEvents()
    {
        m_sys.events(m_t, m_y.data(), m_gNew.data());
        int first = -1;
        double tFirst = m_t;
        for (int i = 0; i < m_sys.eventCount; ++i) {
            const int dir = i < int(m_sys.eventDirection.size()) ? m_sys.eventDirection[i] : 0;
            if (!crossed(m_gOld[i], m_gNew[i], dir))
                continue;
            const double te = locate(i);
            if (first < 0 || te < tFirst) {
                first = i;
                tFirst = te;
            }
        }
        if (first < 0) {
            m_gOld.swap(m_gNew);
            return 0;
        }
        ++m_stats.events;
        dense(tFirst, m_yt);
        m_t = tFirst;
        m_y = m_yt;
        const bool stop = m_sys.onEvent(first, m_t, m_y.data());
        const double h = m_h;
        restart();
        m_h = std::min(m_h, h);
        return stop ? 2 : 1;
    }

    OdeSystem m_sys;
    SolverOptions m_opt;
    SolverStats m_stats;
    std::string m_error;
    int m_n = 0;
    double m_t = 0, m_h = 0, m_told = 0, m_hDense = 1, m_facOld = 1e-4;
    bool m_lastRejected = false;
    bool m_ahead = false; // interpolating: the solver is past the output time m_tOut, whose state is m_yOut
    double m_tOut = 0;
    std::vector<double> m_yOut;
    std::vector<double> m_y, m_k1, m_k2, m_k3, m_k4, m_k5, m_k6, m_k7, m_y1, m_yt, m_yold;
    std::vector<double> m_r2, m_r3, m_r4, m_r5, m_gOld, m_gNew;
};

} // namespace

std::unique_ptr<OdeSolver> makeDopri5()
{
    return std::make_unique<Dopri5>();
}

} // namespace twin::ode
