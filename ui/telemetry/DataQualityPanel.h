#pragma once
// The data-quality dock: per stored signal its asset, unit, sample count, time span, rate, freshness against
// the telemetry clock and counts of samples by quality flag; problem rows highlighted; selecting a row
// selects the asset. The store is scanned on a pool thread (again whenever its content changes, checked once
// a second) and the result comes back to the GUI thread; the GUI thread never walks samples. Child object
// names (tests): dataQualityTable, dataQualitySummary, retentionCombo (history retention: keep everything or
// the last N days, saved in the project meta "history:retention" and applied to the store).
#include "twin/model/graph/Asset.h"

#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace twin::ui {

class DataQualityModel;
class ProjectDocument;
class TelemetrySession;

class DataQualityPanel : public QWidget
{
    Q_OBJECT
public:
    DataQualityPanel(ProjectDocument &document, TelemetrySession &session, QWidget *parent = nullptr);
    ~DataQualityPanel() override; // cancels a running scan

    QTableView *view() const { return m_view; }
    DataQualityModel *model() const { return m_model; }
    // Problems per asset (flagged samples of its signals, stale signals); see assetProblemsChanged.
    const std::vector<std::pair<model::AssetId, QString>> &assetProblems() const { return m_problems; }
    bool scanning() const { return m_job != nullptr; }
    QComboBox *retentionCombo() const { return m_retention; }
    // Saves the retention (days; 0 keeps everything) in the project meta and applies it to the store.
    void setRetentionDays(int days);
    // Starts a scan now unless one is running (then one follows it).
    void rescan();

signals:
    void assetProblemsChanged();
    void scanFinished();

private:
    struct ScanJob;
    void checkStore();
    void scanDone(std::shared_ptr<ScanJob> job);
    void showSnapshot();
    void updateProblems();
    void selectionToAssets();
    void showRetention();

    ProjectDocument &m_document;
    TelemetrySession &m_session;
    DataQualityModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLabel *m_summary;
    QComboBox *m_retention;
    QTimer *m_poll;
    std::shared_ptr<ScanJob> m_job; // the scan in flight, if any
    bool m_rescanAfter = false;
    std::uint64_t m_scannedKey = 0;
    bool m_scannedOnce = false;
    std::vector<std::pair<model::AssetId, QString>> m_problems;
};

} // namespace twin::ui
