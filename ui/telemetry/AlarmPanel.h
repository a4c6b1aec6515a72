#pragma once
// The alarm dock: active and past alarms of the telemetry session (newest first), a filter (active / all),
// Acknowledge for the selected alarms, Recalibrate for one selected alarm (a drift or model-mismatch alarm:
// the calibration takes the data since it, see CalibrationPanel::recalibrateFrom), and selecting a row
// selects its asset. Child object names (tests): alarmTable, alarmFilter, alarmAcknowledge, alarmRecalibrate.
#include <QWidget>

class QComboBox;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace twin::ui {

class AlarmTableModel;
class ProjectDocument;
class TelemetrySession;

class AlarmPanel : public QWidget
{
    Q_OBJECT
public:
    AlarmPanel(ProjectDocument &document, TelemetrySession &session, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    AlarmTableModel *model() const { return m_model; }
    void setActiveOnly(bool on);
    // Acknowledges the selected unacknowledged alarms; returns how many were sent.
    int acknowledgeSelected();
    // Asks for the recalibration of the one selected alarm's asset on the data since it
    // (recalibrateRequested); false when not exactly one alarm is selected.
    bool recalibrateSelected();

signals:
    void recalibrateRequested(quint64 asset, const QString &alarm, qint64 raised, const QString &message);

private:
    void showSnapshot();
    void selectionToAssets();
    void updateButtons();

    ProjectDocument &m_document;
    TelemetrySession &m_session;
    AlarmTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QComboBox *m_filter;
    QPushButton *m_acknowledge, *m_recalibrate;
    std::uint64_t m_shownVersion = 0;
};

} // namespace twin::ui
