// `twinctl screenshot p.twin --out shot.png [--size 1280x800]`: renders the project's 3D scene to a PNG.
// Needs a display (works under Xvfb); Quick 3D draws nothing on the offscreen platform.
#include "CliOutput.h"
#include "VerbHelp.h"
#include "Verbs.h"

#include "twin/model/project/ProjectFile.h"
#include "twin/viz/SceneController.h"

#include <QGuiApplication>
#include <QImage>
#include <QQuickItem>
#include <QQuickView>
#include <QTimer>

namespace twin::cli {

int verbScreenshot(int argc, char **argv, const Args &argsIn, bool json)
{
    Args args = argsIn;
    Report report;
    report.verb = "screenshot";
    const std::string out = takeOption(args, "--out");
    const std::string size = takeOption(args, "--size");
    int width = 1280, height = 800;
    if (!size.empty() && std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2) {
        report.ok = false;
        report.badInput = true;
        report.error = "--size must look like 1280x800";
        return emitReport(report, json);
    }
    if (args.empty() || out.empty()) {
        report.ok = false;
        report.badInput = true;
        report.error = verbUsage("screenshot");
        return emitReport(report, json);
    }
    model::Project project;
    if (auto status = model::loadProject(args[0], project); !status) {
        report.ok = false;
        report.error = status.error();
        return emitReport(report, json);
    }
    QGuiApplication app(argc, argv);
    if (QGuiApplication::platformName() == "offscreen" || QGuiApplication::platformName() == "minimal") {
        report.ok = false;
        report.error = "screenshot needs a display (run under xvfb-run); the " +
                       QGuiApplication::platformName().toStdString() + " platform draws no 3D";
        return emitReport(report, json);
    }
    viz::SceneController controller;
    controller.setProject(&project);
    QQuickView view;
    view.setResizeMode(QQuickView::SizeRootObjectToView);
    view.setInitialProperties({{"controller", QVariant::fromValue<QObject *>(&controller)}});
    view.setSource(QUrl("qrc:/twinworks/qml/SceneView.qml"));
    if (view.status() != QQuickView::Ready) {
        report.ok = false;
        report.error = "cannot load the 3D scene";
        for (const auto &e : view.errors())
            report.error += ": " + e.toString().toStdString();
        return emitReport(report, json);
    }
    view.resize(width, height);
    view.show();
    int frames = 0;
    QImage image;
    QObject::connect(&view, &QQuickWindow::frameSwapped, &view, [&] {
        if (++frames != 2)
            return;
        QMetaObject::invokeMethod(view.rootObject(), "fitTo", Q_ARG(QVariant, false));
        // Grab while the window is still shown: in Qt 6 quit() closes the windows first, and grabbing a
        // closed window crashes the threaded render loop (or gives a null image on the basic one).
        QTimer::singleShot(700, &view, [&] {
            image = view.grabWindow(); // renders a fresh frame
            QGuiApplication::quit();
        });
    });
    QTimer::singleShot(20000, &app, &QGuiApplication::quit); // never hang
    QGuiApplication::exec();
    if (image.isNull()) {
        report.ok = false;
        report.error = "no frame was rendered within 20 s";
        return emitReport(report, json);
    }
    if (!image.save(QString::fromStdString(out), "PNG")) {
        report.ok = false;
        report.error = "cannot write " + out;
        return emitReport(report, json);
    }
    controller.setProject(nullptr);
    report.fields = {{"path", jsonString(out)},
                     {"width", std::to_string(image.width())},
                     {"height", std::to_string(image.height())},
                     {"assets", std::to_string(project.graph.assetCount())}};
    report.messages = {"wrote " + out + " (" + std::to_string(image.width()) + "x" +
                       std::to_string(image.height()) + ")"};
    return emitReport(report, json);
}

} // namespace twin::cli
