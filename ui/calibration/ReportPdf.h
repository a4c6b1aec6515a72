#pragma once
// The calibration report (model/calibration/Report.h) as PDF: the same HTML laid out by QTextDocument on A4,
// each inline SVG plot rendered by QSvgRenderer at print resolution.
//
// Threads: any thread with a QGuiApplication; creates one (offscreen when there is no display) when the
// process has none (twinctl).
#include "twin/util/Result.h"

#include <string>

namespace twin::ui {

Status writeReportPdf(const std::string &html, const std::string &path);

} // namespace twin::ui
