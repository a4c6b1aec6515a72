#pragma once
// Edit and View menus: undo/redo, add/delete/duplicate, fit to selection.
namespace twin::ui {
class MainWindow;
void installEditActions(MainWindow &window);
} // namespace twin::ui
