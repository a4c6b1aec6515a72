#include "twin/ui/calibration/CorrelationMap.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace twin::ui {

namespace {
constexpr int kCell = 64;
}

CorrelationMap::CorrelationMap(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void CorrelationMap::setMatrix(std::vector<std::string> names, std::vector<double> values)
{
    m_names = std::move(names);
    m_values = std::move(values);
    if (m_values.size() != m_names.size() * m_names.size())
        m_values.assign(m_names.size() * m_names.size(), NAN);
    updateGeometry();
    update();
}

QColor CorrelationMap::colorOf(double rho)
{
    if (!std::isfinite(rho))
        return QColor(220, 220, 220);
    const double a = std::clamp(std::abs(rho), 0.0, 1.0);
    const QColor end = rho < 0 ? QColor(33, 102, 172) : QColor(178, 24, 43);
    auto mix = [&](int from, int to) { return int(std::lround(from + (to - from) * a)); };
    return QColor(mix(247, end.red()), mix(247, end.green()), mix(247, end.blue()));
}

QSize CorrelationMap::sizeHint() const
{
    const int n = int(m_names.size());
    return {120 + kCell * std::max(1, n) + 10, 30 + kCell * std::max(1, n) + 10};
}

void CorrelationMap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    const int n = int(m_names.size());
    if (n == 0) {
        p.drawText(rect(), Qt::AlignCenter, tr("No parameters"));
        return;
    }
    const QFontMetrics fm = p.fontMetrics();
    int labelWidth = 0;
    for (const auto &name : m_names)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(QString::fromStdString(name)));
    const int left = std::min(labelWidth + 12, width() / 3), top = fm.height() + 10;
    const int cell = std::max(24, std::min((width() - left - 10) / n, (height() - top - 10) / n));
    for (int i = 0; i < n; ++i) {
        const QString name = QString::fromStdString(m_names[std::size_t(i)]);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(0, top + i * cell, left - 6, cell), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(name, Qt::ElideMiddle, left - 6));
        p.drawText(QRect(left + i * cell, 2, cell, top - 4), Qt::AlignCenter | Qt::AlignBottom,
                   fm.elidedText(name, Qt::ElideMiddle, cell - 2));
        for (int j = 0; j < n; ++j) {
            const double rho = m_values[std::size_t(i * n + j)];
            const QRect box(left + j * cell, top + i * cell, cell, cell);
            p.fillRect(box, colorOf(rho));
            p.setPen(std::abs(rho) > 0.6 ? Qt::white : palette().color(QPalette::Text));
            p.drawText(box, Qt::AlignCenter, std::isfinite(rho) ? QString::number(rho, 'f', 2) : "—");
            if (i != j && std::isfinite(rho) && std::abs(rho) > 0.95) {
                p.setPen(QPen(Qt::black, 2.5));
                p.setBrush(Qt::NoBrush);
                p.drawRect(box.adjusted(1, 1, -2, -2));
            }
        }
    }
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRect(left, top, cell * n, cell * n));
}

} // namespace twin::ui
