#pragma once
// The calibration report (model/calibration/Report.h) as PDF: the same HTML laid out by QTextDocument on A4,
// each inline SVG plot rendered by QSvgRenderer at print resolution.
//
// Threads: any thread with a QGuiApplication; creates one (offscreen when there is no display) when the
// process has none (twinctl).
#include "twin/util/Result.h"

#include <string>

class QTextDocument;

namespace twin::ui {

// Loads the report into a document (the review view shows it in a QTextBrowser): each inline SVG becomes an
// image rendered at `scale` times its size, shown at most `maxWidth` pixels wide (0: its own width).
void setReportHtml(QTextDocument &doc, const std::string &html, double scale = 2.0, int maxWidth = 0);

Status writeReportPdf(const std::string &html, const std::string &path);

} // namespace twin::ui
