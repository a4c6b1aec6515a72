#include "FileConnector.h"

#include "twin/formats/TimestampParser.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace twin::connfile {
using sdk::ConnectorState;
using Clock = std::chrono::steady_clock;

namespace {
bool endsWith(std::string s, const std::string &suffix)
{
    for (char &c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
} // namespace

sdk::Status parseFileConfig(const std::string &text, FileConfig &out)
{
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return sdk::Status::error("config: not a JSON object");
    FileConfig c;
    try {
        if (!j.contains("file") || !j["file"].is_string() || j["file"].get<std::string>().empty())
            return sdk::Status::error("config 'file': required (path of a .csv or .jsonl file)");
        c.file = j["file"].get<std::string>();
        if (!std::ifstream(c.file))
            return sdk::Status::error("config 'file': cannot open '" + c.file + "'");
        const std::string format = j.value("format", "auto");
        if (format == "csv")
            c.jsonLines = false;
        else if (format == "jsonl")
            c.jsonLines = true;
        else if (format == "auto")
            c.jsonLines =
                endsWith(c.file, ".jsonl") || endsWith(c.file, ".ndjson") || endsWith(c.file, ".json");
        else
            return sdk::Status::error("config 'format': '" + format + "' is not csv, jsonl or auto");
        const std::string delimiter = j.value("delimiter", "");
        c.delimiter = delimiter == "\\t" || delimiter == "\t" ? '\t' : delimiter.empty() ? 0 : delimiter[0];
        c.timestamp = j.value("timestampField", "");
        c.timestampFormat = j.value("timestampFormat", "auto");
        model::TimestampFormat probe;
        if (c.timestampFormat != "auto" && !model::timestampFormatFromName(c.timestampFormat, probe))
            return sdk::Status::error("config 'timestampFormat': unknown '" + c.timestampFormat + "'");
        c.timeZone = j.value("timeZone", "UTC");
        if (auto zone = model::TimeZone::named(c.timeZone); !zone)
            return sdk::Status::error("config 'timeZone': " + zone.error());
        if (j.contains("mappings")) {
            if (!j["mappings"].is_array())
                return sdk::Status::error("config 'mappings': not an array");
            for (size_t i = 0; i < j["mappings"].size(); ++i) {
                const auto &m = j["mappings"][i];
                if (!m.is_object() || !m.contains("field") || !m.contains("signal"))
                    return sdk::Status::error("config 'mappings'[" + std::to_string(i) +
                                              "]: needs field and signal");
                c.mappings[m["field"].get<std::string>()] = m["signal"].get<std::string>();
            }
        }
        if (j.contains("fields"))
            c.fields = j["fields"].get<std::vector<std::string>>();
        c.emitUnmapped = j.value("emitUnmapped", true);
        c.speed = j.value("speed", 1.0);
        if (!(c.speed == 0 || (c.speed >= 1 && c.speed <= 10000)))
            return sdk::Status::error("config 'speed': must be 1 … 10000, or 0 for as fast as possible");
        if (j.contains("startAt")) {
            const auto &s = j["startAt"];
            if (s.is_number()) {
                c.startAt = sdk::TimeNs(std::llround(s.get<double>() * 1e9));
            } else if (s.is_string()) {
                auto t = model::parse(s.get<std::string>(), model::TimestampFormat{});
                if (!t)
                    return sdk::Status::error("config 'startAt': " + t.error());
                c.startAt = t.value();
            } else {
                return sdk::Status::error("config 'startAt': ISO 8601 text or epoch seconds");
            }
        }
        const auto batch = j.value("batchSize", 512);
        if (batch < 1)
            return sdk::Status::error("config 'batchSize': must be at least 1");
        c.batchSize = size_t(batch);
    } catch (const nlohmann::json::exception &e) {
        return sdk::Status::error(std::string("config: ") + e.what());
    }
    out = std::move(c);
    return sdk::Status::ok();
}

FileConnector::~FileConnector()
{
    stop();
}

sdk::Capability FileConnector::capabilities() const
{
    return sdk::Capability::Recorded | sdk::Capability::Seekable | sdk::Capability::Pausable;
}

sdk::Status FileConnector::configure(const std::string &jsonConfig)
{
    const ConnectorState s = m_state;
    if (s != ConnectorState::Created && s != ConnectorState::Configured && s != ConnectorState::Stopped)
        return sdk::Status::error(std::string("configure is not allowed while ") +
                                  sdk::connectorStateName(s));
    FileConfig config;
    if (sdk::Status parsed = parseFileConfig(jsonConfig, config); !parsed)
        return parsed;
    m_config = std::move(config);
    const auto slash = m_config.file.find_last_of('/');
    m_fileName = slash == std::string::npos ? m_config.file : m_config.file.substr(slash + 1);
    m_state = ConnectorState::Configured;
    return sdk::Status::ok();
}

sdk::Status FileConnector::start(sdk::SampleSink *sink)
{
    const ConnectorState s = m_state;
    if (s != ConnectorState::Configured && s != ConnectorState::Stopped)
        return sdk::Status::error(std::string("start is not allowed while ") + sdk::connectorStateName(s));
    if (!sink)
        return sdk::Status::error("start needs a sample sink");
    if (m_thread.joinable()) // ended by itself at the end of the file
        m_thread.join();
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = false;
        m_paused = false;
        m_inSinkCall = false;
    }
    m_sink = sink;
    m_batch.clear();
    m_clockStarted = false;
    m_rows = 0;
    m_state = ConnectorState::Running;
    m_thread = std::thread([this] { run(); });
    return sdk::Status::ok();
}

sdk::Status FileConnector::pause()
{
    const ConnectorState s = m_state;
    if (s == ConnectorState::Paused)
        return sdk::Status::ok();
    if (s != ConnectorState::Running)
        return sdk::Status::error(std::string("pause is not allowed while ") + sdk::connectorStateName(s));
    std::unique_lock lock(m_mutex);
    m_paused = true;
    m_state = ConnectorState::Paused;
    m_wake.notify_all();
    m_wake.wait(lock, [this] { return !m_inSinkCall; }); // no sink call after pause() returns
    return sdk::Status::ok();
}

sdk::Status FileConnector::resume()
{
    const ConnectorState s = m_state;
    if (s == ConnectorState::Running)
        return sdk::Status::ok();
    if (s != ConnectorState::Paused)
        return sdk::Status::error(std::string("resume is not allowed while ") + sdk::connectorStateName(s));
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
        m_state = ConnectorState::Running;
    }
    m_wake.notify_all();
    return sdk::Status::ok();
}

void FileConnector::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        if (m_thread.get_id() == std::this_thread::get_id())
            return; // from a sink callback: the worker ends by itself; the next stop() joins it
        m_thread.join();
    }
    m_sink = nullptr;
    ConnectorState s = m_state;
    if (s == ConnectorState::Running || s == ConnectorState::Paused)
        m_state.compare_exchange_strong(s, ConnectorState::Stopped);
}

std::string FileConnector::failureMessage() const
{
    std::lock_guard lock(m_mutex);
    return m_state == ConnectorState::Failed ? m_failure : std::string();
}

void FileConnector::run()
{
    m_sink->onLinkEvent({sdk::LinkState::Connecting, {}, 0, {}});
    m_sink->onLinkEvent({sdk::LinkState::Connected, {}, 0, {}});
    const sdk::Status status = m_config.jsonLines ? replayJsonLines(*this) : replayCsv(*this);
    bool stopped;
    {
        std::lock_guard lock(m_mutex);
        stopped = m_stopRequested;
    }
    if (!status) {
        problem(status.message());
        {
            std::lock_guard lock(m_mutex);
            m_failure = status.message();
        }
        m_state = ConnectorState::Failed;
        m_sink->onLinkEvent({sdk::LinkState::Disconnected, status.message(), 0, {}});
        m_sink->onStateChanged(ConnectorState::Failed, status.message());
        return;
    }
    if (!stopped)
        flush();
    const std::string reason = stopped
                                   ? std::string("stopped")
                                   : "end of file " + m_fileName + " (" + std::to_string(m_rows) + " rows)";
    m_sink->onLinkEvent({sdk::LinkState::Disconnected, reason, 0, {}});
    if (!stopped) {
        ConnectorState s = ConnectorState::Running;
        if (m_state.compare_exchange_strong(s, ConnectorState::Stopped))
            m_sink->onStateChanged(ConnectorState::Stopped, reason);
    }
}

bool FileConnector::waitUntil(Clock::time_point until)
{
    std::unique_lock lock(m_mutex);
    m_wake.wait_until(lock, until, [this] { return m_stopRequested || m_paused; });
    return !m_stopRequested;
}

bool FileConnector::deliver(std::vector<sdk::RawRecord> &&batch)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_stopRequested)
            return false;
        if (!m_paused)
            break;
        const auto pausedAt = Clock::now();
        m_wake.wait(lock, [this] { return m_stopRequested || !m_paused; });
        m_wallStart += Clock::now() - pausedAt; // paused time does not count against the pacing
    }
    m_inSinkCall = true;
    lock.unlock();
    m_sink->onRecords(std::move(batch));
    lock.lock();
    m_inSinkCall = false;
    m_wake.notify_all();
    return true;
}

void FileConnector::flush()
{
    if (!m_batch.empty()) {
        deliver(std::move(m_batch));
        m_batch.clear();
    }
}

void FileConnector::problem(const std::string &reason)
{
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    m_sink->onProblem(
        {m_fileName, reason, std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()});
}

bool FileConnector::emit(Row &row)
{
    if (m_config.startAt && row.time < *m_config.startAt)
        return true; // before the start time: skipped, not paced
    ++m_rows;
    if (!m_clockStarted) {
        m_clockStarted = true;
        m_firstTime = row.time;
        m_wallStart = Clock::now();
    }
    if (m_config.speed > 0) {
        const double offsetNs = double(row.time - m_firstTime) / m_config.speed;
        for (;;) {
            const auto due = m_wallStart + std::chrono::nanoseconds(std::int64_t(offsetNs));
            if (due <= Clock::now())
                break;
            if (!m_batch.empty()) { // hand over what is due before sleeping
                if (!deliver(std::move(m_batch)))
                    return false;
                m_batch.clear();
                continue; // a pause inside deliver moved m_wallStart
            }
            if (!waitUntil(due))
                return false;
            std::unique_lock lock(m_mutex);
            if (m_paused) { // wait out the pause, then recompute the due time
                const auto pausedAt = Clock::now();
                m_wake.wait(lock, [this] { return m_stopRequested || !m_paused; });
                m_wallStart += Clock::now() - pausedAt;
                if (m_stopRequested)
                    return false;
            }
        }
    }
    for (auto &r : row.records)
        m_batch.push_back(std::move(r));
    if (m_batch.size() >= m_config.batchSize) {
        if (!deliver(std::move(m_batch)))
            return false;
        m_batch.clear();
    }
    std::lock_guard lock(m_mutex);
    return !m_stopRequested;
}

} // namespace twin::connfile
