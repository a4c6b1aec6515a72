#pragma once
// File > Import telemetry…: CSV or JSON-lines file (.jsonl, .ndjson, .json: one object per line; its leaf
// fields, named by JSON pointer, act as columns) -> preview (delimiter, timestamp column, format, zone) ->
// column mapping onto asset telemetry (suggested, or the mapping saved for this file name) -> import on a
// worker thread with progress and cancel -> data-quality summary. On success the mapping is saved in the
// project (meta "mapping:<file name>") and ProjectDocument::markHistoryChanged() tells plots and the
// telemetry session (which reloads) that history grew.
//
// Threads: the import runs model::ingestCsv on a QThreadPool thread. It reads the project's graph and types
// and appends to project.history (internally locked; created on the GUI thread before the worker starts).
// The wizard is modal, so no structural edit can run meanwhile. Cancel works while the file is read: then
// nothing is stored. Once reading is done the samples are stored (a few hundred ms even for large files)
// and a cancel arrives too late; the summary says so.
#include "twin/formats/CsvPreview.h"
#include "twin/model/telemetry/JsonLinesPreview.h"
#include "twin/model/telemetry/TelemetryIngest.h"

#include <QWizard>
#include <functional>
#include <optional>

class QLabel;

namespace twin::ui {

class ImportMappingPage;
class ImportPreviewPage;
class ImportRunPage;
class MainWindow;
class ProjectDocument;

// What the pages share; owned by the wizard.
struct ImportState
{
    QString path;
    bool jsonLines = false;       // chosen by the file's extension (see isJsonLinesFile)
    model::CsvPreview preview;    // for JSON lines: toCsvPreview() of the JSON-lines preview
    model::IngestMapping mapping; // delimiter, timestamp column/format/zone from the preview page; columns
    std::optional<model::IngestResult> result;
};

class ImportWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId
    {
        FilePageId,
        PreviewPageId,
        MappingPageId,
        RunPageId
    };
    explicit ImportWizard(ProjectDocument &document, QWidget *parent = nullptr);
    ~ImportWizard() override;

    void setFilePath(const QString &path); // fills the file page
    ImportState &state() { return m_state; }
    ImportPreviewPage *previewPage() const { return m_preview; }
    ImportMappingPage *mappingPage() const { return m_mapping; }
    ImportRunPage *runPage() const { return m_run; }
    // The error shown on the current page ("" when none).
    QString errorText() const;

signals:
    void imported(); // after a successful import (mapping saved, document marked modified)

private:
    ProjectDocument &m_document;
    ImportState m_state;
    class FilePage *m_file;
    ImportPreviewPage *m_preview;
    ImportMappingPage *m_mapping;
    ImportRunPage *m_run;
};

// .jsonl, .ndjson and .json (any case): previewed and imported as JSON lines.
bool isJsonLinesFile(const QString &path);
// The preview the pages show: previewCsv, or toCsvPreview(previewJsonLines) for JSON lines.
Result<model::CsvPreview> previewImportFile(const QString &path, const model::CsvOptions &options = {});

// Adds "Import telemetry…" to the window's File menu (before "Save screenshot…" when found).
void installImportActions(MainWindow &window);
// Runs the wizard modally on the window's document. Returns true when something was imported.
bool runImportWizard(MainWindow &window, const QString &path = {});

} // namespace twin::ui
