#include "twin/ui/import/ImportPages.h"

#include "twin/formats/TimeZone.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace twin::ui {
namespace {
struct Delimiter
{
    const char *label;
    char value;
};
const Delimiter kDelimiters[] = {
    {"Detect", 0}, {"Comma ,", ','}, {"Semicolon ;", ';'}, {"Tab", '\t'}, {"Pipe |", '|'}};

struct Format
{
    const char *label, *value;
};
const Format kFormats[] = {{"Detect from the data", "auto"},
                           {"ISO 8601 (with or without zone)", "iso8601"},
                           {"Epoch seconds", "epoch-s"},
                           {"Epoch milliseconds", "epoch-ms"},
                           {"Epoch microseconds", "epoch-us"},
                           {"Epoch nanoseconds", "epoch-ns"},
                           {"M/D/Y h:mm (US)", "m/d/y"},
                           {"D/M/Y h:mm (EU)", "d/m/y"},
                           {"dd-Mon-yy hh:mm:ss AM ZONE", "dd-mon-yy"}};
const char *const kZones[] = {"UTC",
                              "Europe/London",
                              "Europe/Berlin",
                              "Europe/Moscow",
                              "America/New_York",
                              "America/Chicago",
                              "America/Denver",
                              "America/Los_Angeles",
                              "Asia/Tokyo",
                              "Australia/Sydney"};
} // namespace

ImportPreviewPage::ImportPreviewPage(ImportState &state, QWidget *parent)
    : QWizardPage(parent), m_state(state)
{
    setTitle(tr("Preview"));
    setSubTitle(tr("Check what was detected; change it where the file says otherwise."));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_delimiter = new QComboBox(this);
    for (const auto &d : kDelimiters)
        m_delimiter->addItem(tr(d.label), QVariant(int(d.value)));
    m_timestampColumn = new QComboBox(this);
    m_format = new QComboBox(this);
    for (const auto &f : kFormats)
        m_format->addItem(tr(f.label), QString::fromLatin1(f.value));
    m_zone = new QComboBox(this);
    m_zone->setEditable(true);
    for (const char *z : kZones)
        m_zone->addItem(QString::fromLatin1(z));
    m_zone->setToolTip(tr("Zone of wall-clock times without an offset: an IANA name, a POSIX TZ string or "
                          "+hh:mm"));
    form->addRow(tr("Delimiter:"), m_delimiter);
    form->addRow(tr("Timestamp column:"), m_timestampColumn);
    form->addRow(tr("Timestamp format:"), m_format);
    form->addRow(tr("Time zone of wall times:"), m_zone);
    layout->addLayout(form);
    m_notes = new QLabel(this);
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_notes);
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setDefaultSectionSize(20);
    layout->addWidget(m_table, 1);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #b91c1c");
    layout->addWidget(m_error);
    connect(m_delimiter, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling)
            repreview();
    });
    connect(m_timestampColumn, &QComboBox::currentIndexChanged, this, [this] {
        m_error->clear();
        emit completeChanged();
    });
}

QString ImportPreviewPage::errorText() const
{
    return m_error->text();
}

void ImportPreviewPage::initializePage()
{
    m_filling = true;
    m_delimiter->setCurrentIndex(0);
    m_delimiter->setEnabled(!m_state.jsonLines); // JSON lines: no delimiter, fields are the columns
    m_format->setCurrentIndex(0);
    m_zone->setCurrentText(
        QString::fromStdString(m_state.mapping.timeZone.empty() ? "UTC" : m_state.mapping.timeZone));
    m_filling = false;
    fill();
}

void ImportPreviewPage::repreview()
{
    model::CsvOptions options;
    options.delimiter = char(m_delimiter->currentData().toInt());
    auto preview = previewImportFile(m_state.path, options);
    if (!preview) {
        m_error->setText(QString::fromStdString(preview.error()));
        return;
    }
    m_error->clear();
    m_state.preview = std::move(preview.value());
    fill();
}

void ImportPreviewPage::fill()
{
    const model::CsvPreview &p = m_state.preview;
    m_filling = true;
    m_timestampColumn->clear();
    m_timestampColumn->addItem(tr("(choose the timestamp column)"), -1);
    for (std::size_t i = 0; i < p.header.size(); ++i) {
        QString text = QString::fromStdString(p.header[i]);
        if (std::find(p.timestampCandidates.begin(), p.timestampCandidates.end(), int(i)) !=
            p.timestampCandidates.end())
            text += tr("  (parses as time)");
        m_timestampColumn->addItem(text, int(i));
    }
    m_timestampColumn->setCurrentIndex(p.timestampColumn >= 0 ? p.timestampColumn + 1 : 0);
    m_filling = false;

    QStringList notes;
    const QString delimiter = p.delimiter == '\t' ? tr("tab") : QString(QChar(p.delimiter));
    if (m_state.jsonLines)
        notes << tr("<b>JSON lines</b>: %1 fields (columns named by JSON pointer), %2 preview rows.")
                     .arg(p.header.size())
                     .arg(p.rows.size());
    else
        notes << tr("Delimiter <b>%1</b>, %2, %3 preview rows.")
                     .arg(delimiter.toHtmlEscaped(), p.hasHeader ? tr("header row") : tr("no header row"))
                     .arg(p.rows.size());
    if (p.timestampFormat)
        notes << tr("Timestamps: <b>%1</b>.")
                     .arg(QString::fromStdString(p.timestampFormat->describe()).toHtmlEscaped());
    for (const auto &n : p.notes)
        notes << QString::fromStdString(n).toHtmlEscaped();
    m_notes->setText(notes.join("<br>"));

    m_table->clear();
    m_table->setColumnCount(int(p.header.size()));
    m_table->setRowCount(int(std::min<std::size_t>(p.rows.size(), 50)));
    QStringList headers;
    for (std::size_t c = 0; c < p.header.size(); ++c) {
        QString h = QString::fromStdString(p.header[c]);
        if (c < p.columns.size()) {
            h += QStringLiteral("\n") + QString::fromLatin1(model::columnKindName(p.columns[c].kind));
            if (!p.columns[c].unit.empty())
                h += QStringLiteral(" · ") + QString::fromStdString(p.columns[c].unit);
        }
        headers << h;
    }
    m_table->setHorizontalHeaderLabels(headers);
    for (int r = 0; r < m_table->rowCount(); ++r)
        for (std::size_t c = 0; c < p.rows[std::size_t(r)].size() && c < p.header.size(); ++c)
            m_table->setItem(r, int(c),
                             new QTableWidgetItem(QString::fromStdString(p.rows[std::size_t(r)][c])));
    m_table->resizeColumnsToContents();
    emit completeChanged();
}

bool ImportPreviewPage::isComplete() const
{
    return m_timestampColumn->currentData().toInt() >= 0;
}

bool ImportPreviewPage::validatePage()
{
    const int column = m_timestampColumn->currentData().toInt();
    if (column < 0 || std::size_t(column) >= m_state.preview.header.size()) {
        m_error->setText(tr("Choose the timestamp column."));
        return false;
    }
    const std::string zone = m_zone->currentText().trimmed().toStdString();
    if (auto z = model::TimeZone::named(zone.empty() ? "UTC" : zone); !z) {
        m_error->setText(tr("Time zone: %1").arg(QString::fromStdString(z.error())));
        return false;
    }
    m_state.mapping.delimiter = m_state.preview.delimiter;
    m_state.mapping.timestampColumn = m_state.preview.header[std::size_t(column)];
    m_state.mapping.timestampFormat = m_format->currentData().toString().toStdString();
    m_state.mapping.timeZone = zone.empty() ? "UTC" : zone;
    m_state.preview.timestampColumn = column;
    return true;
}

} // namespace twin::ui
