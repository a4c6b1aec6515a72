// Guards the fixed architecture choices on the built binaries:
// no Qt 5 library anywhere (Debian's VTK Qt module would drag it in), and a Qt-free core library.
#include <QProcess>
#include <QtTest>

class TestLinkDeps : public QObject
{
    Q_OBJECT
private slots:
    void noQt5InBinaries_data();
    void noQt5InBinaries();
    void coreLibraryUsesNoQt();
};

namespace {
QString run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    p.waitForFinished(60000);
    return QString::fromLocal8Bit(p.readAllStandardOutput() + p.readAllStandardError());
}
} // namespace

void TestLinkDeps::noQt5InBinaries_data()
{
    QTest::addColumn<QString>("binary");
    for (const char *name : {"bin/twinworks", "bin/twinctl", "tests/tst_workbench"})
        QTest::newRow(name) << QString(TWIN_BINARY_DIR "/") + name;
}

void TestLinkDeps::noQt5InBinaries()
{
    QFETCH(QString, binary);
    if (!QFileInfo::exists(binary))
        QSKIP("binary not built in this configuration (TWIN_BUILD_GUI=OFF)");
    const QString libs = run("ldd", {binary});
    QVERIFY2(libs.contains("libc.so"), qPrintable(libs)); // ldd worked on it
    QVERIFY2(!libs.contains("libQt5"), qPrintable("Qt 5 is linked:\n" + libs));
    QVERIFY2(!libs.contains("vtkGUISupportQt") && !libs.contains("vtkRenderingQt"), qPrintable(libs));
}

void TestLinkDeps::coreLibraryUsesNoQt()
{
    const QString lib = TWIN_BINARY_DIR "/model/libtwin_model.a";
    QVERIFY(QFileInfo::exists(lib));
    const QString undefined = run("nm", {"-C", "--undefined-only", lib});
    QVERIFY2(undefined.contains("sqlite3_open_v2"),
             "nm output looks wrong"); // the check itself can see symbols
    for (const QString &line : undefined.split('\n')) {
        const bool qtSymbol = line.contains(QRegularExpression("\\bQ[A-Z][A-Za-z]+::")) ||
                              line.contains("qt_") || line.contains("QString");
        QVERIFY2(!qtSymbol, qPrintable("model/ uses Qt: " + line));
    }
}

QTEST_GUILESS_MAIN(TestLinkDeps)
#include "tst_link_deps.moc"
