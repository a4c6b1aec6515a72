// twinworks: the workbench. Wiring only; everything else lives in ui/, viz/ and model/.
#include "StartupOptions.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/shell/MainWindow.h"

#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <QTimer>
#include <cstdio>

using namespace twin;

namespace {
bool offerRecovery(const QString &autosave, const QString &label)
{
    if (qEnvironmentVariableIsSet("TWIN_NO_PROMPTS"))
        return false;
    return QMessageBox::question(
               nullptr, QObject::tr("Recover unsaved work?"),
               QObject::tr("Twinworks did not close cleanly. A recovered copy of %1 was found "
                           "(%2). Open the recovered copy?")
                   .arg(label, autosave)) == QMessageBox::Yes;
}

// Loads what the command line asks for; returns an error text (the window then shows an empty project).
QString loadInitialProject(ui::ProjectDocument &document, const QString &path)
{
    if (path.isEmpty()) {
        const QString untitled = document.autosaveTarget();
        if (QFileInfo::exists(untitled) && offerRecovery(untitled, QObject::tr("an untitled project"))) {
            auto project = std::make_unique<model::Project>();
            if (model::loadProject(untitled.toStdString(), *project))
                document.adopt(std::move(project), {}, true);
            return {};
        }
        auto project = std::make_unique<model::Project>();
        auto status = model::buildDemoTwin(*project);
        document.adopt(std::move(project), {}, false);
        return status ? QString() : QString::fromStdString(status.error());
    }
    if (model::hasNewerAutosave(path.toStdString())) {
        const QString autosave = QString::fromStdString(model::autosavePath(path.toStdString()));
        if (offerRecovery(autosave, path)) {
            auto project = std::make_unique<model::Project>();
            auto status = model::loadProject(autosave.toStdString(), *project);
            if (status) {
                document.adopt(std::move(project), path, true);
                return {};
            }
        }
    }
    return document.open(path);
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName("Twinworks");
    QApplication::setApplicationName("Twinworks");
    QApplication::setApplicationVersion("0.1.0");
    const auto options = app::parseStartupOptions(QApplication::arguments());
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "twinworks: %s\nusage: twinworks [--screenshot out.png] [project.twin]\n",
                     qPrintable(options.error));
        return 2;
    }
    ui::ProjectDocument document;
    ui::MainWindow window(document);
    const QString error = loadInitialProject(document, options.projectPath);
    window.show();
    if (!error.isEmpty()) {
        std::fprintf(stderr, "twinworks: %s\n", qPrintable(error));
        window.showError(error);
        if (!options.screenshotPath.isEmpty())
            return 1;
    }
    if (!options.screenshotPath.isEmpty()) {
        // Give the 3D view time to load its QML and render a few frames, then capture and quit.
        QTimer::singleShot(2500, &window, [&] {
            const QString problem = window.saveScreenshot(options.screenshotPath);
            if (!problem.isEmpty())
                std::fprintf(stderr, "twinworks: %s\n", qPrintable(problem));
            QApplication::exit(problem.isEmpty() ? 0 : 1);
        });
    }
    return QApplication::exec();
}
