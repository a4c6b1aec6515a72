#include "twin/ui/calibration/ReportPdf.h"

#include <QByteArray>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgRenderer>
#include <QTextDocument>
#include <QUrl>

#include <memory>

namespace twin::ui {

namespace {
// Replaces every inline <svg>...</svg> by an <img> whose image is the SVG rendered at `scale`.
QString inlineSvgAsImages(const QString &html, QTextDocument &doc, double scale, int maxWidth)
{
    QString out;
    int from = 0, n = 0;
    for (int at; (at = html.indexOf("<svg", from)) >= 0;) {
        const int end = html.indexOf("</svg>", at);
        if (end < 0)
            break;
        const QString svg = html.mid(at, end + 6 - at);
        QSvgRenderer renderer(svg.toUtf8());
        const QSize size = renderer.defaultSize().isValid() ? renderer.defaultSize() : QSize(600, 300);
        QImage image(size * scale, QImage::Format_ARGB32);
        const double shown = maxWidth > 0 && size.width() > maxWidth ? double(maxWidth) / size.width() : 1.0;
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            renderer.render(&painter);
        }
        const QString name = QString("svg%1").arg(n++);
        doc.addResource(QTextDocument::ImageResource, QUrl(name), image);
        out += html.mid(from, at - from);
        out += QString("<p><img src=\"%1\" width=\"%2\" height=\"%3\"></p>")
                   .arg(name)
                   .arg(int(size.width() * shown))
                   .arg(int(size.height() * shown));
        from = end + 6;
    }
    return out + html.mid(from);
}
} // namespace

void setReportHtml(QTextDocument &doc, const std::string &html, double scale, int maxWidth)
{
    doc.setHtml(inlineSvgAsImages(QString::fromStdString(html), doc, scale, maxWidth));
}

Status writeReportPdf(const std::string &html, const std::string &path)
{
    std::unique_ptr<QGuiApplication> app;
    static int argc = 1;
    static char name[] = "twinworks-report";
    static char *argv[] = {name, nullptr};
    if (!QCoreApplication::instance()) {
        if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
            qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    }
    QPdfWriter writer(QString::fromStdString(path));
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setResolution(150);
    writer.setTitle("Calibration report");
    writer.setCreator("Twinworks");
    QTextDocument doc;
    doc.setDefaultFont(QFont("DejaVu Sans", 8));
    setReportHtml(doc, html, 2.0, 0);
    // Lay the document out at the page's width in points, so the 900 px plots fit the A4 text width.
    const QRectF page = writer.pageLayout().paintRect(QPageLayout::Point);
    doc.setPageSize(QSizeF(960, 960 * page.height() / page.width()));
    doc.print(&writer);
    if (QFileInfo(QString::fromStdString(path)).size() <= 0)
        return Error{path + ": cannot write the PDF"};
    return okStatus();
}

} // namespace twin::ui
