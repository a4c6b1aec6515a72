// TimeSeriesStore <-> SQLite: one ts_signals row per signal, one ts_chunks row per chunk.
#include "twin/model/telemetry/ChunkCodec.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/model/telemetry/TimeSeriesStore_p.h"

#include <sqlite3.h>

#include <mutex>

namespace twin::model {
using detail::Chunk;
using detail::SignalSeries;

namespace {
struct StmtFinalizer
{
    void operator()(sqlite3_stmt *s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

Stmt prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    return Stmt(s);
}

Error sqlError(sqlite3 *db, const std::string &what)
{
    return Error{"time-series store: " + what + ": " + sqlite3_errmsg(db)};
}

std::string columnText(sqlite3_stmt *s, int i)
{
    auto p = reinterpret_cast<const char *>(sqlite3_column_text(s, i));
    return p ? std::string(p, std::size_t(sqlite3_column_bytes(s, i))) : std::string();
}

std::string signalName(const SignalKey &key)
{
    return std::to_string(key.asset) + "/" + key.telemetry;
}

const char *kTsSchema = R"sql(
CREATE TABLE IF NOT EXISTS ts_signals(id INTEGER PRIMARY KEY, asset INTEGER NOT NULL, telemetry TEXT NOT NULL,
                                      unit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ts_chunks(signal INTEGER NOT NULL, t_first INTEGER NOT NULL, t_last INTEGER NOT NULL,
                                     count INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS ts_chunks_by_signal ON ts_chunks(signal, t_first);
DELETE FROM ts_chunks;
DELETE FROM ts_signals;
)sql";
} // namespace

Status TimeSeriesStore::persist(sqlite3 *db, const std::function<bool(double)> &progress) const
{
    std::shared_lock lock(m_mutex);
    if (sqlite3_exec(db, "SAVEPOINT ts_persist", nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqlError(db, "cannot start writing");
    auto fail = [&](Error error) {
        sqlite3_exec(db, "ROLLBACK TO ts_persist; RELEASE ts_persist", nullptr, nullptr, nullptr);
        return error;
    };
    if (sqlite3_exec(db, kTsSchema, nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(sqlError(db, "cannot create tables"));
    auto sig = prepare(db, "INSERT INTO ts_signals(id, asset, telemetry, unit) VALUES(?,?,?,?)");
    auto chk = prepare(db, "INSERT INTO ts_chunks(signal, t_first, t_last, count, data) VALUES(?,?,?,?,?)");
    if (!sig || !chk)
        return fail(sqlError(db, "cannot prepare"));
    std::size_t totalChunks = 0, written = 0;
    for (const auto &s : m_series)
        totalChunks += s->chunks.size();
    for (SignalId id = 0; id < m_series.size(); ++id) {
        const SignalInfo &info = m_info[id];
        sqlite3_bind_int64(sig.get(), 1, id);
        sqlite3_bind_int64(sig.get(), 2, sqlite3_int64(info.key.asset));
        sqlite3_bind_text(sig.get(), 3, info.key.telemetry.data(), int(info.key.telemetry.size()),
                          SQLITE_STATIC);
        sqlite3_bind_text(sig.get(), 4, info.unit.data(), int(info.unit.size()), SQLITE_STATIC);
        if (sqlite3_step(sig.get()) != SQLITE_DONE)
            return fail(sqlError(db, "writing signal " + signalName(info.key)));
        sqlite3_reset(sig.get());
        for (const auto &chunk : m_series[id]->chunks) {
            const Chunk &c = *chunk;
            const auto blob = encodeChunk(c.time, c.value, c.quality);
            sqlite3_bind_int64(chk.get(), 1, id);
            sqlite3_bind_int64(chk.get(), 2, c.tFirst());
            sqlite3_bind_int64(chk.get(), 3, c.tLast());
            sqlite3_bind_int64(chk.get(), 4, sqlite3_int64(c.size()));
            sqlite3_bind_blob64(chk.get(), 5, blob.data(), blob.size(), SQLITE_STATIC);
            if (sqlite3_step(chk.get()) != SQLITE_DONE)
                return fail(sqlError(db, "writing a chunk of signal " + signalName(info.key)));
            sqlite3_reset(chk.get());
            ++written;
            if (progress && written % 64 == 0 && !progress(double(written) / double(totalChunks)))
                return fail(Error{"time-series store: save cancelled"});
        }
    }
    if (sqlite3_exec(db, "RELEASE ts_persist", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(sqlError(db, "cannot finish writing"));
    return okStatus();
}

Status TimeSeriesStore::load(sqlite3 *db)
{
    std::vector<std::unique_ptr<SignalSeries>> series;
    std::vector<SignalInfo> infos;
    std::map<SignalKey, SignalId> ids;
    {
        auto s = prepare(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN "
                             "('ts_signals','ts_chunks')");
        if (!s || sqlite3_step(s.get()) != SQLITE_ROW)
            return sqlError(db, "cannot read the schema");
        const int tables = sqlite3_column_int(s.get(), 0);
        if (tables == 1)
            return Error{"time-series store: only one of the tables ts_signals and ts_chunks exists"};
        if (tables == 0) { // a file from before the store: empty history
            std::unique_lock lock(m_mutex);
            m_series.clear();
            m_info.clear();
            m_ids.clear();
            return okStatus();
        }
    }
    std::map<sqlite3_int64, SignalId> fromFileId;
    auto s = prepare(db, "SELECT id, asset, telemetry, unit FROM ts_signals ORDER BY id");
    if (!s)
        return sqlError(db, "table ts_signals");
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        SignalInfo info{SignalKey{std::uint64_t(sqlite3_column_int64(s.get(), 1)), columnText(s.get(), 2)},
                        columnText(s.get(), 3)};
        if (ids.count(info.key))
            return Error{"time-series store: ts_signals: signal " + signalName(info.key) + " appears twice"};
        const auto id = SignalId(infos.size());
        fromFileId[sqlite3_column_int64(s.get(), 0)] = id;
        ids.emplace(info.key, id);
        infos.push_back(std::move(info));
        series.push_back(std::make_unique<SignalSeries>());
    }
    s = prepare(db,
                "SELECT signal, t_first, t_last, count, data FROM ts_chunks ORDER BY signal, t_first, rowid");
    if (!s)
        return sqlError(db, "table ts_chunks");
    sqlite3_int64 previousSignal = -1;
    std::size_t chunkIndex = 0;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
        const sqlite3_int64 fileSignal = sqlite3_column_int64(s.get(), 0);
        const TimeNs tFirst = sqlite3_column_int64(s.get(), 1), tLast = sqlite3_column_int64(s.get(), 2);
        const sqlite3_int64 count = sqlite3_column_int64(s.get(), 3);
        chunkIndex = fileSignal == previousSignal ? chunkIndex + 1 : 0;
        previousSignal = fileSignal;
        auto known = fromFileId.find(fileSignal);
        const std::string where =
            "time-series store: ts_chunks: " +
            (known == fromFileId.end() ? "signal id " + std::to_string(fileSignal)
                                       : "signal " + signalName(infos[known->second].key)) +
            ", chunk " + std::to_string(chunkIndex) + " (t_first " + std::to_string(tFirst) + "): ";
        if (known == fromFileId.end())
            return Error{where + "no such signal in ts_signals"};
        const auto *bytes = static_cast<const std::uint8_t *>(sqlite3_column_blob(s.get(), 4));
        const auto size = std::size_t(sqlite3_column_bytes(s.get(), 4));
        ChunkColumns columns;
        auto decoded = decodeChunk({bytes, bytes ? size : 0}, columns);
        if (!decoded)
            return Error{where + decoded.error()};
        if (columns.time.empty() || sqlite3_int64(columns.time.size()) != count ||
            columns.time.front() != tFirst || columns.time.back() != tLast)
            return Error{where + "data does not match the row (count or time bounds differ)"};
        for (std::size_t i = 1; i < columns.time.size(); ++i)
            if (columns.time[i] < columns.time[i - 1])
                return Error{where + "times go backwards at sample " + std::to_string(i)};
        SignalSeries &target = *series[known->second];
        if (!target.chunks.empty() && target.chunks.back()->tLast() > tFirst)
            return Error{where + "overlaps the previous chunk"};
        auto chunk = std::make_unique<Chunk>();
        chunk->time = std::move(columns.time);
        chunk->value = std::move(columns.value);
        chunk->quality = std::move(columns.quality);
        chunk->rebuildSummaries();
        target.count += chunk->size();
        target.chunks.push_back(std::move(chunk));
    }
    if (rc != SQLITE_DONE)
        return sqlError(db, "reading ts_chunks");
    std::unique_lock lock(m_mutex);
    m_series = std::move(series);
    m_info = std::move(infos);
    m_ids = std::move(ids);
    return okStatus();
}

} // namespace twin::model
