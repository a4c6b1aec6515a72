#include "twin/ui/import/ImportWizard.h"

#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/import/ImportPages.h"
#include "twin/ui/shell/MainWindow.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>
#include <QVBoxLayout>

namespace twin::ui {

bool isJsonLinesFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == "jsonl" || suffix == "ndjson" || suffix == "json";
}

Result<model::CsvPreview> previewImportFile(const QString &path, const model::CsvOptions &options)
{
    if (!isJsonLinesFile(path))
        return model::previewCsv(path.toStdString(), 100, options);
    auto preview = model::previewJsonLines(path.toStdString(), 100);
    if (!preview)
        return Error{preview.error()};
    return model::toCsvPreview(preview.value());
}

FilePage::FilePage(ImportState &state, QWidget *parent) : QWizardPage(parent), m_state(state)
{
    setTitle(tr("Telemetry file"));
    setSubTitle(tr("A CSV file with a timestamp column and one column per signal (any delimiter, with or "
                   "without header, quoted fields, CRLF or LF, UTF-8 with or without BOM), or a JSON-lines "
                   "file (.jsonl, .ndjson, .json: one object per line, nested fields allowed)."));
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(tr("Path of a .csv or .jsonl file"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    row->addWidget(m_path);
    row->addWidget(browse);
    layout->addLayout(row);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet("color: #b91c1c");
    layout->addWidget(m_error);
    layout->addStretch();
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Import telemetry"), m_path->text(),
            tr("Telemetry files (*.csv *.txt *.tsv *.jsonl *.ndjson *.json);;CSV files (*.csv *.txt *.tsv);;"
               "JSON lines (*.jsonl *.ndjson *.json);;All files (*)"));
        if (!file.isEmpty())
            m_path->setText(file);
    });
    connect(m_path, &QLineEdit::textChanged, this, [this] {
        m_error->clear();
        emit completeChanged();
    });
}

bool FilePage::isComplete() const
{
    return !m_path->text().trimmed().isEmpty();
}

QString FilePage::errorText() const
{
    return m_error->text();
}

bool FilePage::validatePage()
{
    const QString path = m_path->text().trimmed();
    if (!QFileInfo(path).isFile()) {
        m_error->setText(tr("%1: no such file").arg(path));
        return false;
    }
    auto preview = previewImportFile(path);
    if (!preview) {
        m_error->setText(QString::fromStdString(preview.error()));
        return false;
    }
    m_state.path = path;
    m_state.jsonLines = isJsonLinesFile(path);
    m_state.preview = std::move(preview.value());
    m_state.mapping = {};
    m_state.mapping.timestampFormat = "auto";
    m_state.result.reset();
    return true;
}

ImportWizard::ImportWizard(ProjectDocument &document, QWidget *parent) : QWizard(parent), m_document(document)
{
    setObjectName("importWizard");
    setWindowTitle(tr("Import telemetry"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage, true);
    setOption(QWizard::NoCancelButtonOnLastPage, true);
    resize(900, 620);
    m_file = new FilePage(m_state, this);
    m_preview = new ImportPreviewPage(m_state, this);
    m_mapping = new ImportMappingPage(document, m_state, this);
    m_run = new ImportRunPage(document, m_state, this);
    setPage(FilePageId, m_file);
    setPage(PreviewPageId, m_preview);
    setPage(MappingPageId, m_mapping);
    setPage(RunPageId, m_run);
    connect(m_run, &ImportRunPage::finished, this, [this](bool ok) {
        if (ok)
            emit imported();
    });
}

ImportWizard::~ImportWizard() = default;

void ImportWizard::setFilePath(const QString &path)
{
    m_file->pathEdit()->setText(path);
}

QString ImportWizard::errorText() const
{
    switch (currentId()) {
    case FilePageId:
        return m_file->errorText();
    case PreviewPageId:
        return m_preview->errorText();
    case MappingPageId:
        return m_mapping->errorText();
    case RunPageId:
        return m_run->errorText();
    default:
        return {};
    }
}

bool runImportWizard(MainWindow &window, const QString &path)
{
    ImportWizard wizard(window.document(), &window);
    if (!path.isEmpty())
        wizard.setFilePath(path);
    bool imported = false;
    QObject::connect(&wizard, &ImportWizard::imported, &window, [&imported, &wizard, &window] {
        imported = true;
        const auto &r = *wizard.state().result;
        window.statusBar()->showMessage(QObject::tr("Imported %1 rows, %2 samples from %3")
                                            .arg(r.rows)
                                            .arg(r.stored)
                                            .arg(QFileInfo(wizard.state().path).fileName()),
                                        10000);
    });
    wizard.exec();
    return imported;
}

void installImportActions(MainWindow &window)
{
    auto *action = new QAction(QObject::tr("Import &telemetry…"), &window);
    action->setObjectName("importTelemetryAction");
    action->setStatusTip(QObject::tr("Import recorded telemetry from a CSV file into the project's history"));
    QObject::connect(action, &QAction::triggered, &window, [w = &window] { runImportWizard(*w); });
    for (QAction *menuAction : window.menuBar()->actions()) {
        QMenu *menu = menuAction->menu();
        if (!menu || menuAction->text().remove('&') != QObject::tr("File"))
            continue;
        QAction *before = nullptr;
        for (QAction *a : menu->actions())
            if (a->text().remove('&').startsWith(QObject::tr("Export DTDL")))
                before = a;
        // After "Export DTDL v3…" when present, else at the end.
        const auto actions = menu->actions();
        const int index = before ? int(actions.indexOf(before)) + 1 : int(actions.size());
        menu->insertAction(index < actions.size() ? actions[index] : nullptr, action);
        return;
    }
    window.menuBar()->addMenu(QObject::tr("&File"))->addAction(action);
}

} // namespace twin::ui
