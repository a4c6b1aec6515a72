#include "twin/ui/shell/EditActions.h"

#include "twin/ui/assets/CameraBookmarks.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/EditOperations.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/shell/MainWindow.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>

namespace twin::ui {

void installEditActions(MainWindow &window)
{
    auto *w = &window;
    ProjectDocument &doc = window.document();
    QMenu *edit = window.menuBar()->addMenu(QObject::tr("&Edit"));
    QAction *undo = edit->addAction(QObject::tr("&Undo"), QKeySequence::Undo, w, [&doc] { doc.undo(); });
    undo->setObjectName("actionUndo");
    QAction *redo = edit->addAction(QObject::tr("&Redo"), QKeySequence(QObject::tr("Ctrl+Shift+Z")), w,
                                    [&doc] { doc.redo(); });
    redo->setObjectName("actionRedo");
    auto updateUndo = [&doc, undo, redo] {
        undo->setEnabled(doc.undoStack().canUndo());
        redo->setEnabled(doc.undoStack().canRedo());
        undo->setText(QObject::tr("&Undo %1").arg(QString::fromStdString(doc.undoStack().undoText())));
        redo->setText(QObject::tr("&Redo %1").arg(QString::fromStdString(doc.undoStack().redoText())));
    };
    QObject::connect(&doc, &ProjectDocument::undoStateChanged, w, updateUndo);
    updateUndo();
    edit->addSeparator();
    QAction *del =
        edit->addAction(QObject::tr("&Delete"), QKeySequence::Delete, w, [&doc] { deleteSelection(doc); });
    del->setObjectName("actionDelete");
    del->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    QAction *dup = edit->addAction(QObject::tr("D&uplicate"), QKeySequence(QObject::tr("Ctrl+D")), w,
                                   [&doc] { duplicateSelection(doc); });
    dup->setObjectName("actionDuplicate");
    edit->addAction(QObject::tr("Select &none"), w, [&doc] { doc.selection().clear(); });

    QMenu *view = window.menuBar()->addMenu(QObject::tr("&View"));
    view->setObjectName("viewMenu");
    view->addAction(QObject::tr("&Fit to selection"), QKeySequence(QObject::tr("F")), w,
                    [w] { w->sceneWidget()->fit(true); });
    view->addAction(QObject::tr("Fit &all"), QKeySequence(QObject::tr("Shift+F")), w,
                    [w] { w->sceneWidget()->fit(false); });
    QMenu *bookmarks = view->addMenu(QObject::tr("&Bookmarks"));
    bookmarks->setObjectName("bookmarksMenu");
    new CameraBookmarks(doc, *w->sceneWidget(), bookmarks, w);
    view->addSeparator();
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
}

} // namespace twin::ui
