#pragma once
// File menu: new, open, recent files, save, save as, screenshot, quit.
#include <QString>
#include <QStringList>

namespace twin::ui {

class MainWindow;

void installFileActions(MainWindow &window);
bool openProjectFile(MainWindow &window,
                     const QString &path); // shows errors; keeps the open project on failure
bool saveDocument(MainWindow &window, bool askForName);
// Imports DTDL files or folders into the open project; on any error nothing is imported.
QString importDtdl(MainWindow &window, const QStringList &paths);
QStringList recentFiles();
void addRecentFile(const QString &path);

} // namespace twin::ui
