#pragma once
// Hands work done on a pool thread back to the GUI thread: `fn(target)` runs there later, unless `target`
// was destroyed meanwhile. Safe to call from any thread: the application object, which outlives the pool's
// work, carries the call, and the QPointer is only read on the GUI thread.
#include <QCoreApplication>
#include <QPointer>

namespace twin::ui {

template <typename T, typename F> void postToGui(QPointer<T> target, F fn)
{
    QMetaObject::invokeMethod(
        qApp,
        [target, fn = std::move(fn)]() mutable {
            if (target)
                fn(target.data());
        },
        Qt::QueuedConnection);
}

} // namespace twin::ui
