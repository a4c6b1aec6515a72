#include "twin/ui/plot/PlotPanel.h"

#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/plot/PlotAxes.h"
#include "twin/ui/plot/PlotForecast.h"
#include "twin/ui/plot/PlotWidget.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/telemetry/SceneValueLabels.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <set>

namespace twin::ui {
namespace {
constexpr int kAssetRole = Qt::UserRole;
constexpr int kTelemetryRole = Qt::UserRole + 1;
constexpr int kSignalRole = Qt::UserRole + 2;

// Tableau 10: distinct on white and readable for most colour-vision deficiencies.
const QColor kColors[] = {{31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
                          {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};

model::SignalKey keyOf(const QListWidgetItem *item)
{
    return {item->data(kAssetRole).toULongLong(), item->data(kTelemetryRole).toString().toStdString()};
}

// The last two components of an asset path ("Skid 2/Pump P-102"): enough to tell assets apart in a list.
QString shortPath(const std::string &path)
{
    const QStringList parts = QString::fromStdString(path).split('/');
    return parts.size() <= 2 ? parts.join('/') : parts.mid(parts.size() - 2).join('/');
}
} // namespace

PlotPanel::PlotPanel(ProjectDocument &document, QWidget *parent) : QWidget(parent), m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    auto *side = m_side = new QWidget(splitter);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit(side);
    m_filter->setPlaceholderText(tr("Filter signals"));
    m_filter->setClearButtonEnabled(true);
    m_list = new QListWidget(side);
    m_list->setObjectName("plotSignalList");
    m_list->setUniformItemSizes(true);
    sideLayout->addWidget(m_filter);
    sideLayout->addWidget(m_list);
    m_plot = new PlotWidget(splitter);
    m_plot->setObjectName("plotWidget");
    splitter->addWidget(side);
    splitter->addWidget(m_plot);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({330, 900});
    layout->addWidget(splitter);

    connect(m_list, &QListWidget::itemChanged, this, [this] {
        if (m_updating)
            return;
        m_userPicked = true;
        updatePlotSeries();
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        for (int i = 0; i < m_list->count(); ++i)
            m_list->item(i)->setHidden(!text.isEmpty() &&
                                       !m_list->item(i)->text().contains(text, Qt::CaseInsensitive));
    });
    connect(m_plot, &PlotWidget::seekRequested, this, [this](model::TimeNs t) {
        if (!m_externalCursor)
            m_plot->setCursorTime(t);
    });
    connect(&document, &ProjectDocument::projectReplaced, this, &PlotPanel::refresh);
    connect(&document, &ProjectDocument::historyChanged, this, &PlotPanel::refresh);
    connect(&document.selection(), &SelectionModel::selectionChanged, this, &PlotPanel::orderBySelection);
    m_poll = new QTimer(this);
    m_poll->setInterval(500);
    connect(m_poll, &QTimer::timeout, this, &PlotPanel::poll);
    m_poll->start();
    refresh();
}

PlotPanel::~PlotPanel() = default;

void PlotPanel::addSideWidget(QWidget *widget)
{
    widget->setParent(m_side);
    static_cast<QVBoxLayout *>(m_side->layout())->addWidget(widget);
}

void PlotPanel::poll()
{
    if (!isVisible())
        return;
    const auto &store = m_document.project().history;
    if (store != m_store ||
        (store && (store->signalCount() != m_signalCount || store->sampleCount() != m_sampleCount)))
        refresh();
}

void PlotPanel::refresh()
{
    const auto &store = m_document.project().history;
    const bool newStore = store != m_store;
    if (newStore || !store || store->signalCount() != m_signalCount)
        rebuildList();
    m_sampleCount = store ? store->sampleCount() : 0;
    if (newStore) {
        m_plot->setStore(store);
        updatePlotSeries();
    } else {
        m_plot->refreshData();
    }
}

void PlotPanel::rebuildList()
{
    const auto &store = m_document.project().history;
    std::set<model::SignalKey> checked;
    if (store == m_store)
        for (int i = 0; i < m_list->count(); ++i)
            if (m_list->item(i)->checkState() == Qt::Checked)
                checked.insert(keyOf(m_list->item(i)));
    if (store != m_store) {
        m_colorIndex.clear();
        m_nextColor = 0;
    }
    m_store = store;
    m_updating = true;
    m_list->clear();
    const auto infos = store ? store->allSignals() : std::vector<model::SignalInfo>{};
    m_signalCount = infos.size();
    const model::Project &project = m_document.project();
    for (std::size_t id = 0; id < infos.size(); ++id) {
        const auto &info = infos[id];
        const model::Asset *asset = project.graph.find(info.key.asset);
        const std::string path =
            asset ? project.graph.path(info.key.asset) : "#" + std::to_string(info.key.asset);
        QString text = shortPath(path) + QStringLiteral(" · ") + QString::fromStdString(info.key.telemetry);
        if (!info.unit.empty())
            text += QStringLiteral(" [%1]").arg(unitSymbol(info.unit));
        auto *item = new QListWidgetItem(text, m_list);
        item->setToolTip(QString::fromStdString(path + " / " + info.key.telemetry +
                                                (info.unit.empty() ? "" : " (" + info.unit + ")")));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.count(info.key) ? Qt::Checked : Qt::Unchecked);
        item->setData(kAssetRole, qulonglong(info.key.asset));
        item->setData(kTelemetryRole, QString::fromStdString(info.key.telemetry));
        item->setData(kSignalRole, uint(id));
    }
    m_list->sortItems();
    m_updating = false;
    orderBySelection();
    emit m_filter->textChanged(m_filter->text());
}

void PlotPanel::orderBySelection()
{
    // The selected assets' signals (and those of their descendants) first, in bold.
    const auto &selected = m_document.selection().selection();
    const model::TwinGraph &graph = m_document.project().graph;
    auto related = [&](model::AssetId asset) {
        for (model::AssetId s : selected)
            if (s == asset || graph.isAncestor(s, asset))
                return true;
        return false;
    };
    m_updating = true;
    std::vector<QListWidgetItem *> first, rest;
    while (m_list->count() > 0) {
        QListWidgetItem *item = m_list->takeItem(0);
        (related(keyOf(item).asset) ? first : rest).push_back(item);
    }
    for (auto *group : {&first, &rest})
        for (QListWidgetItem *item : *group) {
            QFont f = item->font();
            f.setBold(group == &first);
            item->setFont(f);
            m_list->addItem(item);
        }
    m_updating = false;
    // Until the user picks signals, the plot follows the selection: select a pump, see its signals.
    if (!m_userPicked && !first.empty()) {
        std::vector<model::SignalKey> keys;
        for (QListWidgetItem *item : first)
            keys.push_back(keyOf(item));
        showSignals(keys);
    }
}

void PlotPanel::showSignals(const std::vector<model::SignalKey> &keys)
{
    const std::set<model::SignalKey> wanted(keys.begin(), keys.end());
    m_updating = true;
    for (int i = 0; i < m_list->count(); ++i)
        m_list->item(i)->setCheckState(wanted.count(keyOf(m_list->item(i))) ? Qt::Checked : Qt::Unchecked);
    m_updating = false;
    updatePlotSeries();
}

void PlotPanel::updatePlotSeries()
{
    std::vector<PlotSeries> series;
    const auto infos = m_store ? m_store->allSignals() : std::vector<model::SignalInfo>{};
    for (int i = 0; i < m_list->count(); ++i) {
        const QListWidgetItem *item = m_list->item(i);
        if (item->checkState() != Qt::Checked)
            continue;
        const model::SignalKey key = keyOf(item);
        auto color = m_colorIndex.find(key);
        if (color == m_colorIndex.end())
            color = m_colorIndex.emplace(key, m_nextColor++).first;
        const uint id = item->data(kSignalRole).toUInt();
        PlotSeries s;
        s.id = id;
        s.label = item->text().section(QStringLiteral(" ["), 0, 0);
        s.unit = id < infos.size() ? infos[id].unit : std::string();
        s.color = kColors[std::size_t(color->second) % std::size(kColors)];
        series.push_back(std::move(s));
    }
    m_plot->setSeries(std::move(series));
}

PlotPanel *installPlotDock(MainWindow &window)
{
    auto *panel = new PlotPanel(window.document(), &window);
    auto *dock = new QDockWidget(QObject::tr("Plots"), &window);
    dock->setObjectName("plotDock");
    dock->setWidget(panel);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    // The replay/live clock drives the cursor; a click in the plot seeks the session.
    if (TelemetrySession *session = window.telemetrySession()) {
        panel->setCursorDrivenExternally(true);
        PlotWidget *plot = panel->plot();
        QObject::connect(session, &TelemetrySession::snapshotChanged, plot, [plot, session] {
            const auto snapshot = session->snapshot();
            const bool hasClock = snapshot && (snapshot->live || snapshot->end > snapshot->begin);
            plot->setCursorTime(hasClock ? std::optional<model::TimeNs>(snapshot->position) : std::nullopt);
        });
        QObject::connect(plot, &PlotWidget::seekRequested, session,
                         [session](model::TimeNs time) { session->seek(time); });
    }
    auto *forecast = new PlotForecast(window.document(), *panel);
    if (auto *labels = window.findChild<SceneValueLabels *>())
        QObject::connect(forecast, &PlotForecast::thresholdsForecast, labels,
                         &SceneValueLabels::setForecastLines);
    return panel;
}

} // namespace twin::ui
