#include "twin/ui/shell/FileActions.h"

#include "twin/ui/import/DtdlIssuesDialog.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/dtdl/DtdlExporter.h"
#include "twin/model/dtdl/DtdlImporter.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/shell/MainWindow.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace twin::ui {
namespace {
constexpr int kMaxRecent = 8;
const char *kFilter = "Twinworks project (*.twin)";

void fillRecentMenu(MainWindow &window, QMenu *menu)
{
    menu->clear();
    for (const QString &path : recentFiles())
        menu->addAction(QFileInfo(path).fileName(), &window,
                        [&window, path] {
                            if (window.maybeSave())
                                openProjectFile(window, path);
                        })
            ->setToolTip(path);
    menu->setEnabled(!menu->isEmpty());
}
} // namespace

QStringList recentFiles()
{
    return QSettings().value("recentFiles").toStringList();
}

void addRecentFile(const QString &path)
{
    QStringList files = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecent)
        files.removeLast();
    QSettings().setValue("recentFiles", files);
}

bool openProjectFile(MainWindow &window, const QString &path)
{
    const QString error = window.document().open(path);
    if (!error.isEmpty()) {
        window.showError(error);
        if (!qEnvironmentVariableIsSet("TWIN_NO_PROMPTS"))
            QMessageBox::critical(&window, QObject::tr("Cannot open project"), error);
        return false;
    }
    addRecentFile(path);
    window.statusBar()->showMessage(QObject::tr("Opened %1").arg(path), 5000);
    return true;
}

bool saveDocument(MainWindow &window, bool askForName)
{
    ProjectDocument &document = window.document();
    QString path = document.filePath();
    if (askForName || path.isEmpty()) {
        path = QFileDialog::getSaveFileName(&window, QObject::tr("Save project"), path, kFilter);
        if (path.isEmpty())
            return false;
        if (!path.endsWith(".twin"))
            path += ".twin";
    }
    const QString error = document.saveAs(path);
    if (!error.isEmpty()) {
        window.showError(error);
        QMessageBox::critical(&window, QObject::tr("Cannot save project"), error);
        return false;
    }
    addRecentFile(path);
    window.statusBar()->showMessage(QObject::tr("Saved %1").arg(path), 5000);
    return true;
}

QString importDtdl(MainWindow &window, const QStringList &paths)
{
    std::vector<std::string> inputs;
    for (const QString &p : paths)
        inputs.push_back(p.toStdString());
    auto result = model::dtdl::importPaths(inputs);
    const bool prompts = !qEnvironmentVariableIsSet("TWIN_NO_PROMPTS");
    if (!result.ok()) {
        QStringList lines;
        for (size_t i = 0; i < result.errors.size() && i < 20; ++i)
            lines << QString::fromStdString(result.errors[i].toString());
        const QString message = QObject::tr("%n error(s) in the DTDL input; nothing was imported.\n\n",
                                            nullptr, int(result.errors.size())) +
                                lines.join("\n");
        window.showError(lines.first());
        if (prompts)
            DtdlIssuesDialog(result, false, &window).exec();
        return message;
    }
    const int count = int(result.types.size());
    if (!result.warnings.empty() && prompts)
        DtdlIssuesDialog(result, true, &window).exec();
    const std::size_t warnings = result.warnings.size();
    window.document().addTypes(std::move(result.types));
    window.showError(
        warnings == 0
            ? QObject::tr("Imported %1 interfaces").arg(count)
            : QObject::tr("Imported %1 interfaces with %2 warnings (limits of the reference parser)")
                  .arg(count)
                  .arg(warnings));
    return {};
}

void installFileActions(MainWindow &window)
{
    QMenu *file = window.menuBar()->addMenu(QObject::tr("&File"));
    auto *w = &window;
    file->addAction(QObject::tr("&New"), QKeySequence::New, w, [w] {
        if (w->maybeSave())
            w->document().adopt(std::make_unique<model::Project>(), {}, false);
    });
    file->addAction(QObject::tr("New from &demo"), w, [w] {
        if (!w->maybeSave())
            return;
        auto project = std::make_unique<model::Project>();
        if (auto built = model::buildDemoTwin(*project); !built) {
            QMessageBox::warning(w, QObject::tr("New from demo"), QString::fromStdString(built.error()));
            return;
        }
        w->document().adopt(std::move(project), {}, false);
    });
    file->addAction(QObject::tr("&Open…"), QKeySequence::Open, w, [w] {
        if (!w->maybeSave())
            return;
        const QString path = QFileDialog::getOpenFileName(w, QObject::tr("Open project"), {}, kFilter);
        if (!path.isEmpty())
            openProjectFile(*w, path);
    });
    QMenu *recent = file->addMenu(QObject::tr("Open &recent"));
    QObject::connect(file, &QMenu::aboutToShow, w, [w, recent] { fillRecentMenu(*w, recent); });
    fillRecentMenu(window, recent);
    file->addSeparator();
    file->addAction(QObject::tr("&Save"), QKeySequence::Save, w, [w] { saveDocument(*w, false); });
    file->addAction(QObject::tr("Save &as…"), QKeySequence::SaveAs, w, [w] { saveDocument(*w, true); });
    file->addSeparator();
    file->addAction(QObject::tr("&Import DTDL folder…"), w, [w] {
        const QString dir = QFileDialog::getExistingDirectory(w, QObject::tr("Import DTDL interfaces"));
        if (!dir.isEmpty())
            importDtdl(*w, {dir});
    });
    file->addAction(QObject::tr("Import DTDL &files…"), w, [w] {
        const QStringList files =
            QFileDialog::getOpenFileNames(w, QObject::tr("Import DTDL interfaces"), {}, "DTDL (*.json)");
        if (!files.isEmpty())
            importDtdl(*w, files);
    });
    for (int version : {3, 4})
        file->addAction(QObject::tr("&Export DTDL v%1…").arg(version), w, [w, version] {
            const QString dir =
                QFileDialog::getExistingDirectory(w, QObject::tr("Export DTDL v%1 into").arg(version));
            if (dir.isEmpty())
                return;
            auto status = model::dtdl::exportDtdl(w->document().project().types, dir.toStdString(), version);
            w->showError(status ? QObject::tr("Exported %1 interfaces to %2 as DTDL v%3")
                                      .arg(w->document().project().types.size())
                                      .arg(dir)
                                      .arg(version)
                                : QString::fromStdString(status.error()));
        });
    file->addSeparator();
    file->addAction(QObject::tr("Save screens&hot…"), w, [w] {
        const QString path = QFileDialog::getSaveFileName(w, QObject::tr("Save screenshot"), "twinworks.png",
                                                          "PNG image (*.png)");
        if (!path.isEmpty())
            w->showError(w->saveScreenshot(path));
    });
    file->addSeparator();
    file->addAction(QObject::tr("&Quit"), QKeySequence::Quit, w, &QWidget::close);
}

} // namespace twin::ui
