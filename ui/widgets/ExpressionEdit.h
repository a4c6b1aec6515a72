#pragma once
// A one-line editor for rule conditions that completes the word under the cursor from a list of variable
// names (telemetry, numeric properties, stateTime) instead of replacing the whole text.
#include <QLineEdit>
#include <QStringList>

class QCompleter;
class QStringListModel;

namespace twin::ui {

class ExpressionEdit : public QLineEdit
{
    Q_OBJECT
public:
    explicit ExpressionEdit(QWidget *parent = nullptr);
    void setVariables(const QStringList &names);
    QCompleter *completer() const { return m_completer; } // Owned (child).
    // Marks the field as the one an error points at (red frame, the error as tooltip); empty clears it.
    void setError(const QString &error);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QString wordBeforeCursor() const;
    void insertCompletion(const QString &completion);

    QCompleter *m_completer;
    QStringListModel *m_names; // Owned (child).
};

} // namespace twin::ui
