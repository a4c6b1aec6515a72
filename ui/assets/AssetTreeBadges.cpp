// AssetTreeModel: state and data-quality badges (a coloured dot, a warning triangle) and their tooltips.
#include "twin/ui/assets/AssetTreeModel.h"

#include "twin/ui/document/ProjectDocument.h"

#include <QHash>
#include <QIcon>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace twin::ui {

namespace {
QIcon badgeIcon(const QColor &state, const QColor &warning, const QColor &calibration)
{
    static QHash<QString, QIcon> cache; // GUI thread only
    const QString key =
        state.name(QColor::HexArgb) + warning.name(QColor::HexArgb) + calibration.name(QColor::HexArgb);
    if (auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    QPixmap pixmap(calibration.isValid() ? 48 : 32, 16);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    if (state.isValid()) {
        p.setPen(QPen(state.darker(160), 1));
        p.setBrush(state);
        p.drawEllipse(QRectF(2, 2, 12, 12));
    }
    if (warning.isValid()) {
        QPainterPath triangle;
        triangle.moveTo(24, 1.5);
        triangle.lineTo(31, 14.5);
        triangle.lineTo(17, 14.5);
        triangle.closeSubpath();
        p.setPen(QPen(warning.darker(170), 1));
        p.setBrush(warning);
        p.drawPath(triangle);
        p.setPen(QPen(Qt::black, 1.6));
        p.drawLine(QPointF(24, 5.5), QPointF(24, 10));
        p.drawPoint(QPointF(24, 12.5));
    }
    if (calibration.isValid()) { // a diamond: the model's calibration
        QPainterPath diamond;
        diamond.moveTo(40, 1.5);
        diamond.lineTo(46.5, 8);
        diamond.lineTo(40, 14.5);
        diamond.lineTo(33.5, 8);
        diamond.closeSubpath();
        p.setPen(QPen(calibration.darker(160), 1));
        p.setBrush(calibration);
        p.drawPath(diamond);
    }
    p.end();
    return *cache.insert(key, QIcon(pixmap));
}
} // namespace

const AssetTreeModel::Badge *AssetTreeModel::badge(BadgeKind kind, model::AssetId id) const
{
    const BadgeMap &badges = m_badges[size_t(kind)];
    auto it = badges.find(id);
    return it == badges.end() ? nullptr : &it->second;
}

void AssetTreeModel::setBadges(BadgeKind kind, BadgeMap badges)
{
    BadgeMap &current = m_badges[size_t(kind)];
    std::vector<model::AssetId> changed;
    for (const auto &[id, b] : badges)
        if (auto it = current.find(id); it == current.end() || !(it->second == b))
            changed.push_back(id);
    for (const auto &[id, b] : current)
        if (!badges.count(id))
            changed.push_back(id);
    current = std::move(badges);
    for (model::AssetId id : changed)
        if (const QModelIndex index = indexOf(id); index.isValid())
            emit dataChanged(
                index, index,
                {Qt::DecorationRole, Qt::ToolTipRole, BadgeColorRole, WarningRole, CalibrationRole});
}

QVariant AssetTreeModel::badgeData(model::AssetId id, int role) const
{
    const Badge *state = badge(BadgeKind::State, id);
    const Badge *quality = badge(BadgeKind::DataQuality, id);
    const Badge *calibration = badge(BadgeKind::Calibration, id);
    switch (role) {
    case Qt::DecorationRole:
        if (!state && !quality && !calibration)
            return {};
        return badgeIcon(state ? state->color : QColor(), quality ? quality->color : QColor(),
                         calibration ? calibration->color : QColor());
    case CalibrationRole:
        return calibration ? calibration->text : QString();
    case BadgeColorRole:
        return state ? state->color : QColor();
    case WarningRole:
        return quality ? quality->text : QString();
    case Qt::ToolTipRole: {
        const model::Asset *asset = graph().find(id);
        QString tip = asset ? QString::fromStdString(asset->typeId) : QString();
        if (state && !state->text.isEmpty())
            tip += "\n" + state->text;
        if (quality && !quality->text.isEmpty())
            tip += "\n" + quality->text;
        if (calibration && !calibration->text.isEmpty())
            tip += "\n" + calibration->text;
        return tip;
    }
    default:
        return {};
    }
}

} // namespace twin::ui
