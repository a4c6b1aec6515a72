#include "twin/model/telemetry/LiveSession.h"

#include <nlohmann/json.hpp>

namespace twin::model {

// Forwards every call to the ingest; records under the session's lock.
class LiveSession::LockedSink final : public sdk::SampleSink
{
public:
    LockedSink(std::mutex &mutex, LiveIngest &ingest) : m_mutex(mutex), m_ingest(ingest) {}
    void onRecords(std::vector<sdk::RawRecord> &&batch) override
    {
        std::lock_guard lock(m_mutex);
        m_ingest.onRecords(std::move(batch));
    }
    void onLinkEvent(const sdk::LinkEvent &event) override { m_ingest.onLinkEvent(event); }
    void onProblem(const sdk::Problem &problem) override { m_ingest.onProblem(problem); }
    void onStateChanged(sdk::ConnectorState state, const std::string &message) override
    {
        m_ingest.onStateChanged(state, message);
    }

private:
    std::mutex &m_mutex;
    LiveIngest &m_ingest;
};

LiveSession::LiveSession(Project &project, StateEngine *engine) : m_project(project), m_engine(engine) {}

LiveSession::~LiveSession()
{
    stop();
}

Status LiveSession::start(const LiveSessionOptions &options)
{
    stop();
    const auto config = nlohmann::json::parse(options.configJson, nullptr, false);
    if (config.is_discarded() || !config.is_object())
        return Error{"connector configuration: not a JSON object"};
    double watermark = 0;
    if (const auto it = config.find("reorderWatermark"); it != config.end()) {
        if (!it->is_number() || it->get<double>() < 0)
            return Error{"connector configuration: \"reorderWatermark\" must be a number of seconds >= 0"};
        watermark = it->get<double>();
    }
    if (auto scanned = m_host.scan(options.pluginDir); !scanned)
        return Error{scanned.error()};
    auto connector = m_host.createConnector(options.pluginId);
    if (!connector)
        return Error{connector.error() + " (plugins: " + options.pluginDir + ")"};
    if (auto s = (*connector)->configure(options.configJson); !s.isOk())
        return Error{"connector configuration: " + s.message()};
    auto ingest = std::make_unique<LiveIngest>(m_project, m_engine, watermark);
    auto sink = std::make_unique<LockedSink>(m_mutex, *ingest);
    if (auto s = (*connector)->start(sink.get()); !s.isOk())
        return Error{"connector start: " + s.message()};
    m_ingest = std::move(ingest);
    m_sink = std::move(sink);
    m_connector = std::move(connector.value());
    return okStatus();
}

void LiveSession::stop()
{
    if (!m_connector)
        return;
    m_connector->stop();
    m_connector.reset();
    std::lock_guard lock(m_mutex);
    m_ingest->flush();
}

LiveIngestStats LiveSession::stats() const
{
    return m_ingest ? m_ingest->stats() : LiveIngestStats{};
}

} // namespace twin::model
