#include "ReportSvg_p.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace twin::model::calibration::report {

namespace {
constexpr double kWidth = 900, kLeft = 64, kRight = 16, kTop = 28, kPlotHeight = 230, kGap = 26,
                 kStripHeight = 80, kBottom = 34;

struct Scale
{
    double d0, d1, r0, r1;
    double operator()(double v) const
    {
        return d1 == d0 ? (r0 + r1) / 2 : r0 + (v - d0) * (r1 - r0) / (d1 - d0);
    }
};

struct TimeUnit
{
    double seconds;
    const char *name;
};

TimeUnit timeUnit(double span)
{
    if (span > 3 * 86400)
        return {86400, "d"};
    if (span > 3 * 3600)
        return {3600, "h"};
    if (span > 180)
        return {60, "min"};
    return {1, "s"};
}

// "Nice" tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int wanted = 5)
{
    std::vector<double> out;
    if (!(hi > lo))
        return {lo};
    const double raw = (hi - lo) / wanted, mag = std::pow(10, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step)
        out.push_back(std::abs(v) < 1e-12 * step ? 0 : v);
    return out;
}

void range(const std::vector<double> &v, double &lo, double &hi)
{
    for (double x : v)
        if (std::isfinite(x)) {
            lo = std::min(lo, x);
            hi = std::max(hi, x);
        }
}

// Indices to draw: all, or about `most` evenly spread (the first and last always).
std::vector<std::size_t> strideOf(std::size_t n, std::size_t most = 1500)
{
    std::vector<std::size_t> idx;
    const std::size_t step = std::max<std::size_t>(1, (n + most - 1) / most);
    for (std::size_t i = 0; i < n; i += step)
        idx.push_back(i);
    if (n && idx.back() != n - 1)
        idx.push_back(n - 1);
    return idx;
}

std::string polyline(const std::vector<double> &t, const std::vector<double> &y, const Scale &x,
                     const Scale &ys, const std::string &style)
{
    std::string out, points;
    auto flush = [&] {
        if (!points.empty())
            out += "<polyline fill=\"none\" " + style + " points=\"" + points + "\"/>\n";
        points.clear();
    };
    for (std::size_t i : strideOf(std::min(t.size(), y.size()))) {
        if (!std::isfinite(y[i])) {
            flush();
            continue;
        }
        points += number(x(t[i]), 6) + "," + number(ys(y[i]), 6) + " ";
    }
    flush();
    return out;
}

// Shaded spans where use == c.
std::string spans(const PlotSeries &s, char c, const Scale &x, double top, double height, const char *fill)
{
    std::string out;
    for (std::size_t i = 0; i < s.use.size() && i < s.t.size();) {
        if (s.use[i] != c) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < s.use.size() && s.use[j + 1] == c)
            ++j;
        const double x0 = x(s.t[i]), x1 = std::max(x(s.t[j]), x0 + 1);
        out += "<rect x=\"" + number(x0, 6) + "\" y=\"" + number(top, 6) + "\" width=\"" +
               number(x1 - x0, 6) + "\" height=\"" + number(height, 6) + "\" fill=\"" + fill + "\"/>\n";
        i = j + 1;
    }
    return out;
}

std::string axisY(const Scale &y, const std::vector<double> &values, double left, double right)
{
    std::string out;
    for (double v : values) {
        const double py = y(v);
        out += "<line x1=\"" + number(left, 6) + "\" x2=\"" + number(right, 6) + "\" y1=\"" + number(py, 6) +
               "\" y2=\"" + number(py, 6) + "\" stroke=\"#e3e3e3\"/>\n";
        out += "<text x=\"" + number(left - 6, 6) + "\" y=\"" + number(py + 4, 6) +
               "\" text-anchor=\"end\" font-size=\"11\">" + number(v) + "</text>\n";
    }
    return out;
}
} // namespace

std::string escape(const std::string &text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string number(double v, int digits)
{
    if (!std::isfinite(v))
        return "–";
    char text[40];
    std::snprintf(text, sizeof text, "%.*g", digits, v);
    return text;
}

std::string timePlotSvg(const PlotSeries &s, const std::string &title)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto *v : {&s.observed, &s.simulated, &s.initial, &s.lower, &s.upper})
        range(*v, lo, hi);
    if (!std::isfinite(lo) || s.t.empty())
        return "<p>No data to plot.</p>";
    const double pad = std::max(1e-9, (hi - lo) * 0.05);
    lo -= pad;
    hi += pad;
    const double t0 = s.t.front(), t1 = std::max(s.t.back(), t0 + 1e-9);
    const TimeUnit unit = timeUnit(t1 - t0);
    const double right = kWidth - kRight, stripTop = kTop + kPlotHeight + kGap;
    const double height = stripTop + kStripHeight + kBottom;
    const Scale x{t0, t1, kLeft, right}, y{lo, hi, kTop + kPlotHeight, kTop};

    std::vector<double> residual(s.t.size(), NAN);
    double rmax = 0;
    for (std::size_t i = 0; i < residual.size() && i < s.observed.size() && i < s.simulated.size(); ++i)
        if (s.use.size() > i && s.use[i] != 'X' && std::isfinite(s.observed[i] - s.simulated[i])) {
            residual[i] = s.observed[i] - s.simulated[i];
            rmax = std::max(rmax, std::abs(residual[i]));
        }
    rmax = rmax > 0 ? rmax * 1.1 : 1;
    const Scale r{-rmax, rmax, stripTop + kStripHeight, stripTop};

    std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(kWidth, 6) + "\" height=\"" +
        number(height, 6) + "\" viewBox=\"0 0 " + number(kWidth, 6) + " " + number(height, 6) +
        "\" font-family=\"DejaVu Sans, sans-serif\" role=\"img\" aria-label=\"" + escape(title) + "\">\n";
    svg += "<text x=\"" + number(kLeft, 6) + "\" y=\"18\" font-size=\"13\" font-weight=\"bold\">" +
           escape(title) + (s.unit.empty() ? "" : " [" + escape(s.unit) + "]") + "</text>\n";
    svg += spans(s, 'F', x, kTop, kPlotHeight, "#eaf2fb") + spans(s, 'H', x, kTop, kPlotHeight, "#fdf0e0");
    svg += axisY(y, ticks(lo, hi), kLeft, right);
    if (!s.lower.empty() && s.lower.size() == s.t.size() && s.upper.size() == s.t.size()) {
        std::string points;
        const auto idx = strideOf(s.t.size());
        for (std::size_t i : idx)
            points += number(x(s.t[i]), 6) + "," + number(y(s.upper[i]), 6) + " ";
        for (auto it = idx.rbegin(); it != idx.rend(); ++it)
            points += number(x(s.t[*it]), 6) + "," + number(y(s.lower[*it]), 6) + " ";
        svg +=
            "<polygon fill=\"#2b6cb0\" fill-opacity=\"0.22\" stroke=\"none\" points=\"" + points + "\"/>\n";
    }
    svg += polyline(s.t, s.observed, x, y, "stroke=\"#555\" stroke-width=\"0.7\" stroke-opacity=\"0.8\"");
    if (!s.initial.empty())
        svg += polyline(s.t, s.initial, x, y,
                        "stroke=\"#c53030\" stroke-width=\"1.4\" stroke-dasharray=\"6 4\"");
    svg += polyline(s.t, s.simulated, x, y, "stroke=\"#1a4f8b\" stroke-width=\"1.8\"");
    svg += "<rect x=\"" + number(kLeft, 6) + "\" y=\"" + number(kTop, 6) + "\" width=\"" +
           number(right - kLeft, 6) + "\" height=\"" + number(kPlotHeight, 6) +
           "\" fill=\"none\" stroke=\"#999\"/>\n";

    // Legend.
    double lx = kLeft + 8;
    auto legend = [&](const std::string &style, const std::string &label, bool area = false) {
        const double ly = kTop + 14;
        svg += area ? "<rect x=\"" + number(lx, 6) + "\" y=\"" + number(ly - 7, 6) +
                          "\" width=\"18\" height=\"9\" fill=\"#2b6cb0\" fill-opacity=\"0.22\"/>\n"
                    : "<line x1=\"" + number(lx, 6) + "\" x2=\"" + number(lx + 18, 6) + "\" y1=\"" +
                          number(ly - 3, 6) + "\" y2=\"" + number(ly - 3, 6) + "\" " + style + "/>\n";
        svg += "<text x=\"" + number(lx + 22, 6) + "\" y=\"" + number(ly, 6) + "\" font-size=\"11\">" +
               label + "</text>\n";
        lx += 30 + 6.2 * double(label.size());
    };
    legend("stroke=\"#555\"", "observed");
    legend("stroke=\"#1a4f8b\" stroke-width=\"2\"", "calibrated");
    if (!s.initial.empty())
        legend("stroke=\"#c53030\" stroke-dasharray=\"6 4\" stroke-width=\"1.5\"", "before calibration");
    if (!s.lower.empty())
        legend("", "95 % prediction band", true);
    auto swatch = [&](const char *fill, const std::string &label) {
        const double ly = kTop + 14;
        svg += "<rect x=\"" + number(lx, 6) + "\" y=\"" + number(ly - 8, 6) +
               "\" width=\"12\" height=\"10\" fill=\"" + fill + "\" stroke=\"#bbb\"/>\n<text x=\"" +
               number(lx + 16, 6) + "\" y=\"" + number(ly, 6) + "\" font-size=\"11\">" + label + "</text>\n";
        lx += 26 + 6.2 * double(label.size());
    };
    swatch("#eaf2fb", "calibration");
    swatch("#fdf0e0", "hold-out");

    // Residual strip.
    svg += spans(s, 'F', x, stripTop, kStripHeight, "#eaf2fb") +
           spans(s, 'H', x, stripTop, kStripHeight, "#fdf0e0");
    svg += axisY(r, {-rmax / 1.1, 0, rmax / 1.1}, kLeft, right);
    svg += polyline(s.t, residual, x, r, "stroke=\"#1a4f8b\" stroke-width=\"0.7\"");
    svg += "<rect x=\"" + number(kLeft, 6) + "\" y=\"" + number(stripTop, 6) + "\" width=\"" +
           number(right - kLeft, 6) + "\" height=\"" + number(kStripHeight, 6) +
           "\" fill=\"none\" stroke=\"#999\"/>\n";
    svg += "<text x=\"" + number(kLeft, 6) + "\" y=\"" + number(stripTop - 6, 6) +
           "\" font-size=\"11\">residual (observed − calibrated)</text>\n";
    for (double v : ticks(t0 / unit.seconds, t1 / unit.seconds, 8)) {
        const double px = x(v * unit.seconds);
        svg += "<text x=\"" + number(px, 6) + "\" y=\"" + number(stripTop + kStripHeight + 15, 6) +
               "\" text-anchor=\"middle\" font-size=\"11\">" + number(v) + "</text>\n";
    }
    svg += "<text x=\"" + number((kLeft + right) / 2, 6) + "\" y=\"" + number(height - 4, 6) +
           "\" text-anchor=\"middle\" font-size=\"11\">time from start [" + unit.name + "]</text>\n";
    return svg + "</svg>\n";
}

std::string correlationSvg(const std::vector<std::string> &names, const std::vector<std::vector<double>> &rho)
{
    const std::size_t p = names.size();
    const double cell = 64, left = 110, top = 24;
    const double size = left + cell * double(p) + 10, height = top + cell * double(p) + 10;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(size, 6) +
                      "\" height=\"" + number(height, 6) +
                      "\" font-family=\"DejaVu Sans, sans-serif\" role=\"img\" "
                      "aria-label=\"parameter correlation\">\n";
    for (std::size_t i = 0; i < p; ++i) {
        svg += "<text x=\"" + number(left - 6, 6) + "\" y=\"" + number(top + cell * (double(i) + 0.55), 6) +
               "\" text-anchor=\"end\" font-size=\"12\">" + escape(names[i]) + "</text>\n";
        svg += "<text x=\"" + number(left + cell * (double(i) + 0.5), 6) + "\" y=\"" + number(top - 6, 6) +
               "\" text-anchor=\"middle\" font-size=\"12\">" + escape(names[i]) + "</text>\n";
        for (std::size_t j = 0; j < p; ++j) {
            const double v = i < rho.size() && j < rho[i].size() ? rho[i][j] : NAN;
            const double a = std::isfinite(v) ? std::min(1.0, std::abs(v)) : 0;
            const int shade = int(255 - 200 * a);
            char colour[16];
            if (!std::isfinite(v))
                std::snprintf(colour, sizeof colour, "#cccccc");
            else if (v >= 0)
                std::snprintf(colour, sizeof colour, "#ff%02x%02x", shade, shade);
            else
                std::snprintf(colour, sizeof colour, "#%02x%02xff", shade, shade);
            const bool high = i != j && std::isfinite(v) && std::abs(v) > 0.95;
            svg += "<rect x=\"" + number(left + cell * double(j), 6) + "\" y=\"" +
                   number(top + cell * double(i), 6) + "\" width=\"" + number(cell - 2, 6) + "\" height=\"" +
                   number(cell - 2, 6) + "\" fill=\"" + colour + "\" stroke=\"" +
                   (high ? "#b00000" : "#ffffff") + "\" stroke-width=\"" + (high ? "3" : "1") + "\"/>\n";
            svg += "<text x=\"" + number(left + cell * (double(j) + 0.5) - 1, 6) + "\" y=\"" +
                   number(top + cell * (double(i) + 0.55), 6) +
                   "\" text-anchor=\"middle\" font-size=\"12\">" + number(v, 2) + "</text>\n";
        }
    }
    return svg + "</svg>\n";
}

std::string tornadoSvg(const std::string &title, std::vector<TornadoBar> bars, const std::string &valueLabel,
                       const std::string &innerLabel)
{
    std::sort(bars.begin(), bars.end(), [](const TornadoBar &a, const TornadoBar &b) {
        return std::abs(a.value) > std::abs(b.value) || (!std::isfinite(b.value) && std::isfinite(a.value));
    });
    double lo = 0, hi = 0;
    for (const auto &b : bars)
        for (double v : {b.value, b.inner})
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    if (hi == lo)
        hi = lo + 1;
    const double left = 130, right = 560, top = 30, row = 24, width = 640;
    const double height = top + row * double(bars.size()) + 30;
    const Scale x{lo, hi, left, right};
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width, 6) +
                      "\" height=\"" + number(height, 6) +
                      "\" font-family=\"DejaVu Sans, sans-serif\" role=\"img\" aria-label=\"" +
                      escape(title) + "\">\n";
    svg += "<text x=\"" + number(left, 6) + "\" y=\"16\" font-size=\"13\" font-weight=\"bold\">" +
           escape(title) + "</text>\n";
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double y = top + row * double(i);
        const auto &b = bars[i];
        svg += "<text x=\"" + number(left - 6, 6) + "\" y=\"" + number(y + 15, 6) +
               "\" text-anchor=\"end\" font-size=\"12\">" + escape(b.name) + "</text>\n";
        if (!std::isfinite(b.value))
            continue;
        const double x0 = x(std::min(0.0, b.value)), x1 = x(std::max(0.0, b.value));
        svg += "<rect x=\"" + number(x0, 6) + "\" y=\"" + number(y + 3, 6) + "\" width=\"" +
               number(std::max(1.0, x1 - x0), 6) + "\" height=\"16\" fill=\"#5a8ac6\"/>\n";
        if (std::isfinite(b.inner)) {
            const double i0 = x(std::min(0.0, b.inner)), i1 = x(std::max(0.0, b.inner));
            svg += "<rect x=\"" + number(i0, 6) + "\" y=\"" + number(y + 8, 6) + "\" width=\"" +
                   number(std::max(1.0, i1 - i0), 6) + "\" height=\"6\" fill=\"#1a4f8b\"/>\n";
        }
        const double end = std::isfinite(b.inner) ? std::max(x1, x(std::max(0.0, b.inner))) : x1;
        svg += "<text x=\"" + number(end + 4, 6) + "\" y=\"" + number(y + 15, 6) + "\" font-size=\"11\">" +
               number(b.value, 3) + "</text>\n";
    }
    const double zero = x(0);
    svg += "<line x1=\"" + number(zero, 6) + "\" x2=\"" + number(zero, 6) + "\" y1=\"" + number(top, 6) +
           "\" y2=\"" + number(height - 26, 6) + "\" stroke=\"#333\"/>\n";
    svg += "<text x=\"" + number(left, 6) + "\" y=\"" + number(height - 8, 6) + "\" font-size=\"11\">" +
           "<tspan fill=\"#5a8ac6\">■</tspan> " + escape(valueLabel) +
           (innerLabel.empty() ? "" : "  <tspan fill=\"#1a4f8b\">■</tspan> " + escape(innerLabel)) +
           "</text>\n";
    return svg + "</svg>\n";
}

} // namespace twin::model::calibration::report
