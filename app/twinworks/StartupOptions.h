#pragma once
// Command line of the workbench: `twinworks [--screenshot out.png] [project.twin]`.
#include <QString>
#include <QStringList>

namespace twin::app {

struct StartupOptions
{
    QString projectPath;    // empty: open the bundled demo
    QString screenshotPath; // non-empty: render the window after load, save, exit
    QString error;
};

StartupOptions parseStartupOptions(const QStringList &arguments);

} // namespace twin::app
