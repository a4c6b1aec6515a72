#pragma once
// Shadow simulation from the workbench: right-click an asset in the tree, "Shadow simulation". Its bound
// model runs alongside the recorded history (model/shadow/Shadow.h) on a background thread, chunk by chunk,
// with progress in the status bar and "Stop shadow simulation" to cancel (nothing is kept then). When it
// completes, the simulated values and residuals join the history as <telemetry>_shadow and
// <telemetry>_residual: the Plots list shows them and rules read them.
#include "twin/model/graph/Asset.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QAction;

namespace twin::ui {

class MainWindow;

class ShadowRunner : public QObject
{
    Q_OBJECT
public:
    explicit ShadowRunner(MainWindow &window);
    ~ShadowRunner() override;
    // Where the plugins and twin-simworker are (defaults: beside the running executable).
    void setPluginDir(const QString &dir) { m_pluginDir = dir; }
    void setWorkerPath(const QString &path) { m_workerPath = path; }
    // Starts the shadow of `asset` over the whole history; false with lastMessage() when it cannot.
    bool start(model::AssetId asset);
    void cancel();
    bool running() const { return bool(m_job); }
    QString lastMessage() const { return m_message; }

signals:
    void progressed(int percent);
    void finished(bool ok, const QString &message);

private:
    struct Job;
    void done(const std::shared_ptr<Job> &job);

    MainWindow &m_window;
    QString m_pluginDir, m_workerPath, m_message;
    std::shared_ptr<Job> m_job;
    QAction *m_run = nullptr, *m_stop = nullptr;
};

// The tree's "Shadow simulation" and "Stop shadow simulation" actions.
ShadowRunner *installShadowRunner(MainWindow &window);

} // namespace twin::ui
