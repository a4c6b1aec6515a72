#include "twin/ui/widgets/ExpressionEdit.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QStringListModel>

namespace twin::ui {

ExpressionEdit::ExpressionEdit(QWidget *parent)
    : QLineEdit(parent), m_completer(new QCompleter(this)), m_names(new QStringListModel(this))
{
    m_completer->setModel(m_names);
    m_completer->setWidget(this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
            &ExpressionEdit::insertCompletion);
    setPlaceholderText(tr("e.g. flow > 20 && stateTime > 5"));
}

void ExpressionEdit::setVariables(const QStringList &names)
{
    m_names->setStringList(names);
    setToolTip(tr("Variables: %1").arg(names.join(QStringLiteral(", "))));
}

void ExpressionEdit::setError(const QString &error)
{
    setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("QLineEdit { border: 2px solid #d03030; }"));
    if (!error.isEmpty())
        setToolTip(error);
}

QString ExpressionEdit::wordBeforeCursor() const
{
    const QString t = text();
    int start = cursorPosition();
    while (start > 0 && (t[start - 1].isLetterOrNumber() || t[start - 1] == u'_'))
        --start;
    return t.mid(start, cursorPosition() - start);
}

void ExpressionEdit::insertCompletion(const QString &completion)
{
    const int length = int(wordBeforeCursor().size());
    const int end = cursorPosition();
    QString t = text();
    t.replace(end - length, length, completion);
    setText(t);
    setCursorPosition(end - length + int(completion.size()));
    emit textEdited(text());
}

void ExpressionEdit::keyPressEvent(QKeyEvent *event)
{
    if (m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore(); // the completer's popup handles these
            return;
        default:
            break;
        }
    }
    const bool forced = event->key() == Qt::Key_Space && event->modifiers() & Qt::ControlModifier;
    if (!forced)
        QLineEdit::keyPressEvent(event);
    const QString word = wordBeforeCursor();
    const bool typed = !event->text().isEmpty() && event->text().at(0).isPrint();
    if ((!typed && !forced) || (word.isEmpty() && !forced) || (!word.isEmpty() && word[0].isDigit())) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(word);
    if (m_completer->completionCount() == 0 ||
        (m_completer->completionCount() == 1 && m_completer->currentCompletion() == word)) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0) + 24);
    m_completer->complete(rect);
}

} // namespace twin::ui
