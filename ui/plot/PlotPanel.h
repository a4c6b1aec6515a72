#pragma once
// The plot dock: a series chooser (the store's signals as "asset · telemetry [unit]" with checkboxes; the
// selected asset's signals first) beside a PlotWidget. Watches the document's history store and redraws
// when it grows (import, live data).
#include "twin/formats/Sample.h"

#include <QWidget>
#include <map>
#include <memory>
#include <optional>

class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QTimer;

namespace twin::model {
class TimeSeriesStore;
}

namespace twin::ui {

class MainWindow;
class PlotWidget;
class ProjectDocument;

class PlotPanel : public QWidget
{
    Q_OBJECT
public:
    explicit PlotPanel(ProjectDocument &document, QWidget *parent = nullptr);
    ~PlotPanel() override;

    PlotWidget *plot() const { return m_plot; }
    QListWidget *signalList() const { return m_list; }
    // Ticks exactly these signals (others unticked). Unknown keys are ignored.
    void showSignals(const std::vector<model::SignalKey> &keys);
    // Re-reads the store: the signal list and the plot (also done by a poll while the store grows).
    void refresh();
    // Adds a widget under the signal list (the forecast's button and text).
    void addSideWidget(QWidget *widget);
    // A session's clock drives the cursor; without one a click in the plot moves the cursor itself.
    void setCursorDrivenExternally(bool external) { m_externalCursor = external; }

private:
    void rebuildList();
    void orderBySelection();
    void updatePlotSeries();
    void poll();

    ProjectDocument &m_document;
    PlotWidget *m_plot;                              // Owned (child).
    QListWidget *m_list;                             // Owned (child).
    QLineEdit *m_filter;                             // Owned (child).
    QWidget *m_side;                                 // Owned (child): the list's column
    QTimer *m_poll;                                  // Owned (child).
    std::shared_ptr<model::TimeSeriesStore> m_store; // the store the list was built from
    std::size_t m_signalCount = 0;
    std::uint64_t m_sampleCount = 0;
    std::map<model::SignalKey, int> m_colorIndex; // stable colours per signal
    int m_nextColor = 0;
    bool m_externalCursor = false;
    bool m_updating = false;
    bool m_userPicked = false; // once the user ticks signals, selection no longer changes what is plotted
};

// Adds the plot dock ("Plots", bottom area) to the window and returns its panel.
PlotPanel *installPlotDock(MainWindow &window);

} // namespace twin::ui
