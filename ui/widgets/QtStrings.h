#pragma once
// The one conversion between Qt's and the core's strings (UTF-8 std::string on the model side).
#include <QString>

#include <string>

namespace twin::ui {

inline QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

// User-typed text for the model: surrounding white space removed.
inline std::string ss(const QString &text)
{
    return text.trimmed().toStdString();
}

} // namespace twin::ui
