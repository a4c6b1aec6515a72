#include "twin/ui/telemetry/HealthPanel.h"

#include "twin/formats/TimeText.h"
#include "twin/model/project/Project.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/widgets/PostToGui.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QThreadPool>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace twin::ui {

namespace {

namespace health = model::health;

enum Column
{
    Asset,
    Level,
    Freshness,
    Quality,
    Calibration,
    Drift,
    Model,
    LastRun,
    Columns
};

QColor levelColour(health::HealthLevel level)
{
    switch (level) {
    case health::HealthLevel::Ok:
        return QColor(46, 160, 67);
    case health::HealthLevel::Warning:
        return QColor(230, 150, 20);
    case health::HealthLevel::Bad:
        return QColor(210, 45, 45);
    case health::HealthLevel::Unknown:
        break;
    }
    return QColor(170, 170, 170);
}

QIcon dot(const QColor &colour)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(colour);
    painter.setPen(colour.darker(130));
    painter.drawEllipse(1, 1, 10, 10);
    return QIcon(pixmap);
}

QString seconds(double s)
{
    if (s < 120)
        return QObject::tr("%1 s").arg(s, 0, 'f', 0);
    if (s < 7200)
        return QObject::tr("%1 min").arg(s / 60, 0, 'f', 0);
    return QObject::tr("%1 h").arg(s / 3600, 0, 'f', 1);
}

// The stalest signal: "3 s old (every 1 s)"; "stale: ..." when it is.
QString freshness(const health::AssetHealth &a)
{
    const health::SignalHealth *worst = nullptr;
    for (const auto &s : a.telemetry)
        if (!worst || s.ageSeconds > worst->ageSeconds)
            worst = &s;
    if (!worst)
        return {};
    return QObject::tr("%1%2 old (every %3)")
        .arg(worst->stale ? QObject::tr("stale: ") : QString())
        .arg(seconds(worst->ageSeconds), seconds(worst->periodSeconds));
}

QString quality(const health::AssetHealth &a)
{
    std::uint64_t bad = 0, recent = 0;
    for (const auto &s : a.telemetry) {
        bad += s.bad;
        recent += s.recent;
    }
    if (!recent)
        return {};
    return QObject::tr("%1 % bad").arg(100.0 * double(bad) / double(recent), 0, 'f', 1);
}

} // namespace

HealthPanel::HealthPanel(ProjectDocument &document, QWidget *parent)
    : QWidget(parent), m_document(document), m_tree(new QTreeWidget(this)), m_summary(new QLabel(this)),
      m_refresh(new QPushButton(tr("Refresh"), this)), m_pending(new QTimer(this))
{
    m_tree->setObjectName("healthTree");
    m_summary->setObjectName("healthSummary");
    m_refresh->setObjectName("healthRefresh");
    m_tree->setColumnCount(Columns);
    m_tree->setHeaderLabels({tr("Asset"), tr("Health"), tr("Data freshness"), tr("Quality"),
                             tr("Calibration"), tr("Drift"), tr("Model vs plant (shadow)"),
                             tr("Last scenario run")});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->setColumnWidth(Asset, 230);
    m_tree->setColumnWidth(Level, 80);
    m_tree->setColumnWidth(Freshness, 170);
    m_tree->setColumnWidth(Quality, 80);
    m_tree->setColumnWidth(Calibration, 220);
    m_tree->setColumnWidth(Drift, 180);
    m_tree->setColumnWidth(Model, 260);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_refresh);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_tree);

    m_pending->setSingleShot(true);
    m_pending->setInterval(1000);
    connect(m_pending, &QTimer::timeout, this, &HealthPanel::refresh);
    auto later = [this] {
        if (!m_pending->isActive())
            m_pending->start();
    };
    connect(&document, &ProjectDocument::historyChanged, this, later);
    connect(&document, &ProjectDocument::undoStateChanged, this, later);
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        ++m_generation;
        refresh();
    });
    connect(m_refresh, &QPushButton::clicked, this, &HealthPanel::refresh);
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &HealthPanel::selectionToAssets);
    refresh();
}

void HealthPanel::refresh()
{
    m_pending->stop();
    if (m_working) { // one at a time; the newest state is worked out when it is done
        m_again = true;
        return;
    }
    m_working = true;
    m_again = false;
    // Worked out on a pool thread over a copy (the store is shared and locks itself): kept detectors train
    // and the newest samples of every signal are read, which the GUI thread should not wait for.
    auto data = std::make_shared<model::ProjectData>(model::captureProject(m_document.project()));
    const std::uint64_t generation = m_generation;
    QPointer<HealthPanel> self(this);
    QThreadPool::globalInstance()->start([data, generation, self] {
        model::Project copy;
        auto health = std::make_shared<health::TwinHealth>();
        if (model::restoreProject(*data, copy).ok())
            *health = health::twinHealth(copy);
        postToGui(self, [health, generation](HealthPanel *panel) { panel->showHealth(*health, generation); });
    });
}

void HealthPanel::showHealth(const health::TwinHealth &result, std::uint64_t generation)
{
    m_working = false;
    if (generation != m_generation || m_again) { // the project was replaced or changed meanwhile
        refresh();
        return;
    }
    m_health = result;
    const model::Project &project = m_document.project();
    m_updating = true;
    m_tree->clear();
    std::map<model::AssetId, QTreeWidgetItem *> items;
    int ok = 0, warning = 0, bad = 0;
    for (const health::AssetHealth &a : m_health.assets) {
        const model::Asset *asset = project.graph.find(a.id);
        if (!asset)
            continue;
        QTreeWidgetItem *parent = nullptr;
        if (auto it = items.find(asset->parent); it != items.end())
            parent = it->second;
        auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
        items[a.id] = item;
        item->setData(Asset, Qt::UserRole, qulonglong(a.id));
        item->setText(Asset, QString::fromStdString(asset->name));
        item->setIcon(Level, dot(levelColour(a.level)));
        item->setText(Level, QString::fromUtf8(health::levelName(a.level)));
        item->setText(Freshness, freshness(a));
        item->setText(Quality, quality(a));
        item->setText(Calibration, QString::fromStdString(a.calibration));
        item->setText(Drift, QString::fromStdString(a.drift));
        item->setText(Model, QString::fromStdString(a.model));
        item->setText(LastRun, QString::fromStdString(a.lastRun));
        QStringList why;
        for (const auto &reason : a.reasons)
            why << QString::fromStdString(reason);
        if (!why.isEmpty())
            for (int c = 0; c < Columns; ++c)
                item->setToolTip(c, why.join('\n'));
        if (a.own != a.level)
            item->setToolTip(Level, tr("%1 here; %2 below it (%3 warning, %4 bad)")
                                        .arg(QString::fromUtf8(health::levelName(a.own)),
                                             QString::fromUtf8(health::levelName(a.level)))
                                        .arg(a.warning)
                                        .arg(a.bad));
        if (asset->parent == model::kNoAsset) {
            ok += a.ok;
            warning += a.warning;
            bad += a.bad;
        }
    }
    m_tree->expandAll();
    m_summary->setText(
        m_health.assets.empty()
            ? tr("No assets")
            : tr("At %1: %2 ok, %3 with warnings, %4 bad")
                  .arg(m_health.now ? QString::fromStdString(model::isoUtc(m_health.now)) : tr("no data yet"))
                  .arg(ok)
                  .arg(warning)
                  .arg(bad));
    m_updating = false;
    emit refreshed();
}

void HealthPanel::selectionToAssets()
{
    if (m_updating)
        return;
    std::vector<model::AssetId> ids;
    for (QTreeWidgetItem *item : m_tree->selectedItems())
        ids.push_back(model::AssetId(item->data(Asset, Qt::UserRole).toULongLong()));
    if (!ids.empty())
        m_document.selection().setSelection(std::move(ids));
}

} // namespace twin::ui
