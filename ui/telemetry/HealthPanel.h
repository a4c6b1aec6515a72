#pragma once
// The twin-health dock: per asset, in the tree's hierarchy, the rolled-up level (ok, warning, bad, unknown as
// a coloured dot) and what it is made of: data freshness (the stalest signal's age against its usual period),
// the share of recent samples flagged bad, the calibration status, the kept detector's drift verdict, the
// model against the plant (shadow-simulation residuals against the calibration's acceptance) and the last
// scenario run (model/health/TwinHealth.h, the figures `twinctl health` prints). It is worked out again
// when the history gains data, when the project changes through the undo stack and on Refresh, at most once
// a second, on a pool thread over a copy of the project (kept detectors train there; at most the newest 1000
// samples of each signal are read). Selecting a row selects the asset.
// Child object names (tests): healthTree, healthSummary, healthRefresh.
#include "twin/model/health/TwinHealth.h"

#include <QWidget>

#include <cstdint>

class QLabel;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace twin::ui {

class ProjectDocument;

class HealthPanel : public QWidget
{
    Q_OBJECT
public:
    explicit HealthPanel(ProjectDocument &document, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    QLabel *summary() const { return m_summary; }
    const model::health::TwinHealth &health() const { return m_health; }
    // Works the health out (off the GUI thread) and shows it; refreshed() says when it is shown.
    void refresh();

signals:
    void refreshed();

private:
    void selectionToAssets();
    void showHealth(const model::health::TwinHealth &result, std::uint64_t generation);

    ProjectDocument &m_document;
    QTreeWidget *m_tree;
    QLabel *m_summary;
    QPushButton *m_refresh;
    QTimer *m_pending; // coalesces change notifications
    model::health::TwinHealth m_health;
    bool m_updating = false;
    bool m_working = false, m_again = false; // a refresh on the pool; another one asked for meanwhile
    std::uint64_t m_generation = 0;          // counts project replacements
};

} // namespace twin::ui
