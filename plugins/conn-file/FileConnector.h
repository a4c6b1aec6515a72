#pragma once
// The file replay connector: a CSV or JSON-lines recording replayed into a SampleSink, paced by the file's
// timestamps (speed 1 … 10000, or 0 = as fast as possible), from an optional start time.
//
// Threads: configure/start/pause/resume/stop run on the host's control thread; one worker thread reads the
// file (twin_formats readers) and calls the sink. pause() returns only once no sink call is in progress, and
// none happens until resume(); paused time does not count against the pacing. At the end of the file the
// connector moves to Stopped by itself (onStateChanged(Stopped, "end of file ...")); a file error that
// stops reading (bad quoting, wrong field count) moves it to Failed. Per-row problems (unparsable timestamp,
// malformed JSON line) go to onProblem with file:line[: column] and the row is skipped.
#include "twin/sdk/Connector.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace twin::connfile {

struct FileConfig
{
    std::string file;
    bool jsonLines = false; // from "format" or the file extension
    char delimiter = 0;     // CSV; 0 = detect
    std::string timestamp;  // column name (CSV) or JSON path; empty = detect
    std::string timestampFormat = "auto";
    std::string timeZone = "UTC";
    std::map<std::string, std::string> mappings; // field -> signal
    std::vector<std::string> fields;             // JSON lines: extra paths to emit
    bool emitUnmapped = true;
    double speed = 1.0; // 0 = as fast as possible
    std::optional<sdk::TimeNs> startAt;
    std::size_t batchSize = 512;
};

// Parses and checks the config JSON (see plugins/README.md); the message names the key.
sdk::Status parseFileConfig(const std::string &json, FileConfig &out);

class FileConnector final : public sdk::Connector
{
public:
    FileConnector() = default;
    ~FileConnector() override;

    sdk::Capability capabilities() const override;
    sdk::Status configure(const std::string &jsonConfig) override;
    sdk::Status start(sdk::SampleSink *sink) override;
    sdk::Status pause() override;
    sdk::Status resume() override;
    void stop() override;
    sdk::ConnectorState state() const override { return m_state.load(); }
    std::string failureMessage() const override;

    // Worker side, used by the readers in FileReplay.cpp.
    struct Row
    {
        sdk::TimeNs time = 0;
        std::vector<sdk::RawRecord> records;
    };
    bool emit(Row &row); // paces, honours pause/stop; false: stop reading
    void problem(const std::string &reason);
    void flush(); // hands the pending batch to the sink (unless stopping)
    const FileConfig &config() const { return m_config; }
    const std::string &fileName() const { return m_fileName; }

private:
    void run();
    bool waitUntil(std::chrono::steady_clock::time_point until); // false: stop requested
    bool deliver(std::vector<sdk::RawRecord> &&batch);

    FileConfig m_config;
    std::string m_fileName;
    std::atomic<sdk::ConnectorState> m_state{sdk::ConnectorState::Created};
    mutable std::mutex m_mutex; // guards the flags below and m_failure
    std::condition_variable m_wake;
    bool m_stopRequested = false;
    bool m_paused = false;
    bool m_inSinkCall = false;
    std::string m_failure;
    sdk::SampleSink *m_sink = nullptr; // Not owned.
    std::thread m_thread;

    // Worker only.
    std::vector<sdk::RawRecord> m_batch;
    bool m_clockStarted = false;
    sdk::TimeNs m_firstTime = 0;
    std::chrono::steady_clock::time_point m_wallStart;
    std::uint64_t m_rows = 0;
};

// Reads the configured file into `connector` (FileReplay.cpp). Error: reading had to stop.
sdk::Status replayCsv(FileConnector &connector);
sdk::Status replayJsonLines(FileConnector &connector);

} // namespace twin::connfile
