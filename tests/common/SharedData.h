#pragma once
// Third-party data beside the checkout (../shared/data, TWIN_SHARED_DATA) exists only in the team's
// workplace. A test function that reads it starts with TWIN_SKIP_WITHOUT_SHARED_DATA(): on a plain clone it
// skips with a message; core coverage uses small files the tests write themselves.
#include <QFileInfo>
#include <QTest>

#define TWIN_SKIP_WITHOUT_SHARED_DATA()                                                                      \
    do {                                                                                                     \
        if (!QFileInfo(QStringLiteral(TWIN_SHARED_DATA)).isDir())                                            \
            QSKIP("needs the third-party files of ../shared/data beside the checkout");                      \
    } while (false)
