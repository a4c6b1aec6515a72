#include "twin/viz/StateColors.h"

#include <QHash>
#include <QString>
#include <variant>

namespace twin::viz {

QColor stateColor(const std::string &state)
{
    if (state == "Running")
        return QColor(60, 190, 90);
    if (state == "Degraded")
        return QColor(245, 170, 30);
    if (state == "Fault")
        return QColor(220, 50, 45);
    if (state == "Off")
        return QColor(130, 130, 135);
    return {};
}

const std::vector<std::string> &stateNames()
{
    static const std::vector<std::string> names = {"Running", "Degraded", "Fault", "Off"};
    return names;
}

QColor alarmColor(int severity)
{
    switch (severity) {
    case 1:
        return QColor(60, 130, 220);
    case 2:
        return QColor(245, 170, 30);
    case 3:
        return QColor(240, 110, 30);
    default:
        return QColor(220, 50, 45);
    }
}

QColor neutralColor(const std::string &typeId)
{
    const size_t hash = qHash(QByteArrayView(typeId.data(), qsizetype(typeId.size())));
    const int hue = int(hash % 360);
    return QColor::fromHsv(hue, 45, 205);
}

QColor assetColor(const model::Asset &asset, const std::string &colorProperty)
{
    if (auto it = asset.properties.find(colorProperty); it != asset.properties.end()) {
        if (const auto *text = std::get_if<std::string>(&it->second)) {
            const QColor c = stateColor(*text);
            if (c.isValid())
                return c;
        }
    }
    return neutralColor(asset.typeId);
}

QColor selectedColor(const QColor &base)
{
    const QColor tint(40, 150, 255);
    return QColor::fromRgbF(0.25f * base.redF() + 0.75f * tint.redF(),
                            0.25f * base.greenF() + 0.75f * tint.greenF(),
                            0.25f * base.blueF() + 0.75f * tint.blueF());
}

} // namespace twin::viz
