#include "twin/ui/import/ImportPages.h"

#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/plot/PlotAxes.h"

#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBrowser>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>
#include <condition_variable>
#include <mutex>

namespace twin::ui {

// Shared by the GUI thread and the worker; outlives whichever finishes last.
struct ImportRunPage::Job
{
    std::atomic<bool> cancel{false};
    std::atomic<std::uint64_t> done{0}, total{0};
    std::mutex mutex;
    std::condition_variable finishedCv;
    bool finished = false;                             // guarded by mutex
    std::optional<Result<model::IngestResult>> result; // guarded by mutex

    void wait()
    {
        std::unique_lock lock(mutex);
        finishedCv.wait(lock, [this] { return finished; });
    }
};

ImportRunPage::ImportRunPage(ProjectDocument &document, ImportState &state, QWidget *parent)
    : QWizardPage(parent), m_document(document), m_state(state)
{
    setTitle(tr("Import"));
    setFinalPage(true);
    auto *layout = new QVBoxLayout(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    layout->addWidget(m_progress);
    m_cancel = new QPushButton(tr("Cancel import"), this);
    layout->addWidget(m_cancel, 0, Qt::AlignLeft);
    m_summary = new QTextBrowser(this);
    layout->addWidget(m_summary, 1);
    m_timer = new QTimer(this);
    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, &ImportRunPage::poll);
    connect(m_cancel, &QPushButton::clicked, this, &ImportRunPage::cancelImport);
}

ImportRunPage::~ImportRunPage()
{
    if (m_job) {
        m_job->cancel = true;
        m_job->wait();
    }
}

void ImportRunPage::setProgressObserver(std::function<void(std::uint64_t, std::uint64_t)> observer)
{
    m_observer = std::move(observer);
}

bool ImportRunPage::running() const
{
    return m_job != nullptr;
}

QString ImportRunPage::errorText() const
{
    return m_error;
}

QString ImportRunPage::summaryText() const
{
    return m_summary->toPlainText();
}

bool ImportRunPage::isComplete() const
{
    return m_done;
}

void ImportRunPage::initializePage()
{
    start();
}

void ImportRunPage::cleanupPage()
{
    cancelImport();
    if (m_job) {
        m_job->wait();
        poll();
    }
}

void ImportRunPage::cancelImport()
{
    if (m_job) {
        m_job->cancel = true;
        m_status->setText(tr("Cancelling…"));
    }
}

void ImportRunPage::start()
{
    m_done = false;
    m_error.clear();
    m_summary->clear();
    m_progress->setValue(0);
    m_cancel->setEnabled(true);
    m_status->setText(tr("Reading %1…").arg(QFileInfo(m_state.path).fileName()));
    emit completeChanged();
    model::Project &project = m_document.project();
    // Created here so that the worker only appends to it (the plot reads the pointer on this thread).
    if (!project.history)
        project.history = std::make_shared<model::TimeSeriesStore>();
    auto job = std::make_shared<Job>();
    m_job = job;
    const std::string path = m_state.path.toStdString();
    const model::IngestMapping mapping = m_state.mapping;
    auto observer = m_observer;
    QThreadPool::globalInstance()->start([job, &project, path, mapping, observer] {
        auto progress = [&job, &observer](std::uint64_t done, std::uint64_t total) {
            job->done = done;
            job->total = total;
            if (observer)
                observer(done, total);
            return !job->cancel.load();
        };
        auto result = model::ingestCsv(project, path, mapping, progress);
        std::lock_guard lock(job->mutex);
        job->result = std::move(result);
        job->finished = true;
        job->finishedCv.notify_all();
    });
    m_timer->start();
}

void ImportRunPage::poll()
{
    if (!m_job)
        return;
    const std::uint64_t total = m_job->total, done = m_job->done;
    if (total > 0)
        m_progress->setValue(int(1000.0 * double(done) / double(total)));
    {
        std::lock_guard lock(m_job->mutex);
        if (!m_job->finished)
            return;
    }
    finish();
}

void ImportRunPage::finish()
{
    m_timer->stop();
    auto job = std::move(m_job);
    m_job.reset();
    m_cancel->setEnabled(false);
    auto &result = *job->result;
    if (!result) {
        const bool cancelled = result.error() == model::kCancelled;
        m_error =
            cancelled
                ? tr("Import cancelled; nothing was stored.")
                : tr("Import failed; nothing was stored.\n%1").arg(QString::fromStdString(result.error()));
        m_status->setText(m_error);
        m_status->setStyleSheet(cancelled ? QString() : QStringLiteral("color: #b91c1c"));
        m_progress->setValue(0);
        m_done = true;
        emit completeChanged();
        emit finished(false);
        return;
    }
    m_progress->setValue(1000);
    m_status->setStyleSheet({});
    const model::IngestResult &r = *result;
    m_state.result = r;
    model::Project &project = m_document.project();
    model::saveMapping(project, QFileInfo(m_state.path).fileName().toStdString(), m_state.mapping);
    QString html;
    html += tr("<p><b>%1 rows</b> read, <b>%2 samples</b> stored in %3 s. Timestamps: %4.%5</p>")
                .arg(r.rows)
                .arg(r.stored)
                .arg(r.seconds, 0, 'f', 2)
                .arg(QString::fromStdString(r.timestampFormat).toHtmlEscaped())
                .arg(job->cancel ? tr(" (Cancel came after reading had finished; the import completed.)")
                                 : QString());
    html += QStringLiteral(
                "<table border=1 cellspacing=0 cellpadding=3><tr><th align=left>%1</th><th>%2</th><th>%3</th>"
                "<th>%4</th><th>%5</th><th>%6</th><th>%7</th><th>%8</th><th>%9</th></tr>")
                .arg(tr("Signal"), tr("stored"), tr("late"), tr("out of order"), tr("duplicates"), tr("gaps"),
                     tr("out of range"), tr("bad values"), tr("converted"));
    for (std::size_t i = 0; i < r.reports.size(); ++i) {
        const auto &q = r.reports[i];
        const auto &m = m_state.mapping.columns[std::min(i, m_state.mapping.columns.size() - 1)];
        html += QStringLiteral("<tr><td>%1 · %2<br><small>%3</small></td>")
                    .arg(QString::fromStdString(m.assetPath).section('/', -1).toHtmlEscaped(),
                         QString::fromStdString(q.key.telemetry).toHtmlEscaped(),
                         QString::fromStdString(m.column).toHtmlEscaped());
        for (std::uint64_t n : {q.released, q.late, q.outOfOrder, q.duplicatesDropped + q.duplicatesFlagged,
                                q.gaps, q.outOfRange, q.badValues, q.converted})
            html += QStringLiteral("<td align=right>%1</td>").arg(n);
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table>");
    auto lines = [](const std::vector<std::int64_t> &v) {
        QStringList out;
        for (std::size_t i = 0; i < v.size() && i < 12; ++i)
            out << QString::number(v[i]);
        return out.join(", ") + (v.size() > 12 ? QStringLiteral(", …") : QString());
    };
    if (!r.ambiguousLines.empty())
        html += tr("<p>%1 line(s) in a repeated DST hour (flagged ambiguous): %2</p>")
                    .arg(r.ambiguousLines.size())
                    .arg(lines(r.ambiguousLines));
    if (!r.backwardLines.empty())
        html += tr("<p>%1 line(s) where the clock stepped backwards: %2</p>")
                    .arg(r.backwardLines.size())
                    .arg(lines(r.backwardLines));
    auto list = [](const QString &title, const std::vector<std::string> &items) {
        QString out = QStringLiteral("<p>%1</p><ul>").arg(title);
        for (std::size_t i = 0; i < items.size() && i < 20; ++i)
            out += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(items[i]).toHtmlEscaped());
        if (items.size() > 20)
            out += QStringLiteral("<li>…</li>");
        return out + QStringLiteral("</ul>");
    };
    if (!r.schemaChanges.empty())
        html += list(tr("%n schema change(s) across lines:", nullptr, int(r.schemaChanges.size())),
                     r.schemaChanges);
    if (!r.lineErrors.empty())
        html += list(tr("%n line(s) skipped or with unusable values:", nullptr, int(r.lineErrors.size())),
                     r.lineErrors);
    if (r.duplicateTimes > 0)
        html += tr("<p>%1 repeated timestamps in the file.</p>").arg(r.duplicateTimes);
    html += tr("<p>The mapping is saved in the project as “%1”.</p>")
                .arg(QFileInfo(m_state.path).fileName().toHtmlEscaped());
    m_summary->setHtml(html);
    m_status->setText(tr("Imported %1.").arg(QFileInfo(m_state.path).fileName()));
    m_done = true;
    m_document.markHistoryChanged();
    emit completeChanged();
    emit finished(true);
}

} // namespace twin::ui
