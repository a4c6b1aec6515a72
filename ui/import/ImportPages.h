#pragma once
// The pages of the ImportWizard (see ImportWizard.h). Each page reads and writes the wizard's ImportState.
#include "twin/ui/import/ImportWizard.h"

#include <QWizardPage>
#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTextBrowser;
class QTimer;

namespace twin::ui {

class FilePage : public QWizardPage
{
    Q_OBJECT
public:
    FilePage(ImportState &state, QWidget *parent = nullptr);
    QLineEdit *pathEdit() const { return m_path; }
    QString errorText() const;
    bool validatePage() override; // previews the file; stays here with the error when that fails
    bool isComplete() const override;

private:
    ImportState &m_state;
    QLineEdit *m_path;
    QLabel *m_error;
};

class ImportPreviewPage : public QWizardPage
{
    Q_OBJECT
public:
    ImportPreviewPage(ImportState &state, QWidget *parent = nullptr);
    void initializePage() override;
    bool validatePage() override;
    bool isComplete() const override;
    QString errorText() const;
    // Controls (also driven by tests).
    QComboBox *delimiterBox() const { return m_delimiter; }
    QComboBox *timestampColumnBox() const { return m_timestampColumn; }
    QComboBox *formatBox() const { return m_format; }
    QComboBox *zoneBox() const { return m_zone; }
    QTableWidget *table() const { return m_table; }

private:
    void repreview(); // the delimiter changed: read the preview again
    void fill();

    ImportState &m_state;
    QComboBox *m_delimiter, *m_timestampColumn, *m_format, *m_zone;
    QTableWidget *m_table;
    QLabel *m_notes, *m_error;
    bool m_filling = false;
};

class ImportMappingPage : public QWizardPage
{
    Q_OBJECT
public:
    ImportMappingPage(ProjectDocument &document, ImportState &state, QWidget *parent = nullptr);
    void initializePage() override;
    bool validatePage() override;
    QString errorText() const;
    QTableWidget *table() const { return m_table; }
    // Maps a column (asset path empty: not imported). False when the column, asset, telemetry or unit is
    // not offered.
    bool setColumnTarget(const QString &column, const QString &assetPath, const QString &telemetry,
                         const QString &unit = {});
    // The current target of a column as "asset|telemetry|unit" ("" when not imported).
    QString columnTarget(const QString &column) const;

private:
    void fillTelemetry(int row);
    void fillUnits(int row, const std::string &preferred);
    int rowOf(const QString &column) const;

    ProjectDocument &m_document;
    ImportState &m_state;
    QTableWidget *m_table;
    QLabel *m_info, *m_error;
};

class ImportRunPage : public QWizardPage
{
    Q_OBJECT
public:
    ImportRunPage(ProjectDocument &document, ImportState &state, QWidget *parent = nullptr);
    ~ImportRunPage() override; // cancels a running import and waits for it
    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;
    bool running() const;
    void cancelImport();
    QString errorText() const;
    QString summaryText() const; // plain text of the summary
    // Test hook, called on the worker thread with (bytes done, total) before the cancel check.
    void setProgressObserver(std::function<void(std::uint64_t, std::uint64_t)> observer);

signals:
    void finished(bool ok);

private:
    struct Job;
    void start();
    void poll();
    void finish();

    ProjectDocument &m_document;
    ImportState &m_state;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_cancel;
    QTextBrowser *m_summary;
    QTimer *m_timer;
    std::shared_ptr<Job> m_job; // shared with the worker
    std::function<void(std::uint64_t, std::uint64_t)> m_observer;
    QString m_error;
    bool m_done = false;
};

} // namespace twin::ui
