#include "twin/model/project/ProjectFile.h"

#include "twin/model/project/AssetJson.h"
#include "twin/model/project/TypeJson.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <unistd.h>

namespace twin::model {
namespace fs = std::filesystem;

namespace {
constexpr int kApplicationId = 0x5457494E; // "TWIN"

struct DbCloser
{
    void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer
{
    void operator()(sqlite3_stmt *s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

Error dbError(sqlite3 *db, const std::string &path, const std::string &what)
{
    return Error{path + ": " + what + ": " + (db ? sqlite3_errmsg(db) : "cannot open")};
}

bool exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

Stmt prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    return Stmt(s);
}

void bindText(sqlite3_stmt *s, int i, const std::string &text)
{
    sqlite3_bind_text(s, i, text.data(), int(text.size()), SQLITE_TRANSIENT);
}

std::string columnText(sqlite3_stmt *s, int i)
{
    auto p = reinterpret_cast<const char *>(sqlite3_column_text(s, i));
    return p ? std::string(p, size_t(sqlite3_column_bytes(s, i))) : std::string();
}

const char *kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE types(id TEXT PRIMARY KEY, definition TEXT NOT NULL);
CREATE TABLE assets(id INTEGER PRIMARY KEY, parent INTEGER NOT NULL, position INTEGER NOT NULL,
                    name TEXT NOT NULL, type TEXT NOT NULL, properties TEXT NOT NULL, placement TEXT NOT NULL);
CREATE TABLE relationships(id INTEGER PRIMARY KEY, name TEXT NOT NULL, source INTEGER NOT NULL,
                           target INTEGER NOT NULL, properties TEXT NOT NULL);
)sql";

bool fsyncPath(const std::string &path, bool directory)
{
    int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}
} // namespace

std::string autosavePath(const std::string &projectPath)
{
    return projectPath + ".autosave";
}

bool hasNewerAutosave(const std::string &projectPath)
{
    std::error_code ec;
    const auto autosave = autosavePath(projectPath);
    if (!fs::exists(autosave, ec))
        return false;
    if (!fs::exists(projectPath, ec))
        return true;
    return fs::last_write_time(autosave, ec) > fs::last_write_time(projectPath, ec);
}

Status saveProject(const ProjectData &data, const std::string &path, const SaveOptions &options)
{
    const fs::path target = fs::absolute(path);
    const std::string temp = target.string() + ".saving-" + std::to_string(::getpid());
    std::error_code ec;
    fs::remove(temp, ec);
    auto fail = [&](Error error) {
        fs::remove(temp, ec);
        return error;
    };
    sqlite3 *raw = nullptr;
    if (sqlite3_open_v2(temp.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        Db guard(raw);
        return fail(dbError(raw, temp, "cannot create"));
    }
    Db db(raw);
    exec(db.get(), "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
    exec(db.get(), ("PRAGMA application_id=" + std::to_string(kApplicationId) + ";").c_str());
    exec(db.get(), ("PRAGMA user_version=" + std::to_string(kProjectFormatVersion) + ";").c_str());
    if (!exec(db.get(), "BEGIN") || !exec(db.get(), kSchema))
        return fail(dbError(db.get(), temp, "cannot create tables"));

    const double total = double(data.types.size() + data.assets.size() + data.relationships.size() + 1);
    // With telemetry history the model takes the first quarter of the progress range, the history the rest.
    const bool withHistory = data.history && data.history->sampleCount() > 0;
    const double modelShare = withHistory ? 0.25 : 1.0;
    double done = 0;
    auto tick = [&]() {
        ++done;
        return !options.progress || (int(done) % 256 != 0) || options.progress(modelShare * done / total);
    };
    {
        auto s = prepare(db.get(), "INSERT INTO meta VALUES(?,?)");
        for (const auto &[k, v] : data.meta) {
            bindText(s.get(), 1, k);
            bindText(s.get(), 2, v);
            if (sqlite3_step(s.get()) != SQLITE_DONE)
                return fail(dbError(db.get(), temp, "writing meta"));
            sqlite3_reset(s.get());
        }
    }
    {
        auto s = prepare(db.get(), "INSERT INTO types VALUES(?,?)");
        for (const AssetType &t : data.types) {
            bindText(s.get(), 1, t.id);
            bindText(s.get(), 2, typeToJson(t));
            if (sqlite3_step(s.get()) != SQLITE_DONE)
                return fail(dbError(db.get(), temp, "writing type " + t.id));
            sqlite3_reset(s.get());
            if (!tick())
                return fail(Error{path + ": save cancelled"});
        }
    }
    {
        auto s = prepare(db.get(), "INSERT INTO assets VALUES(?,?,?,?,?,?,?)");
        std::map<AssetId, int> nextRow;
        for (const Asset &a : data.assets) {
            sqlite3_bind_int64(s.get(), 1, sqlite3_int64(a.id));
            sqlite3_bind_int64(s.get(), 2, sqlite3_int64(a.parent));
            sqlite3_bind_int(s.get(), 3, nextRow[a.parent]++);
            bindText(s.get(), 4, a.name);
            bindText(s.get(), 5, a.typeId);
            bindText(s.get(), 6, propertiesToJson(a.properties));
            bindText(s.get(), 7, placementToJson(a.placement));
            if (sqlite3_step(s.get()) != SQLITE_DONE)
                return fail(dbError(db.get(), temp, "writing asset " + a.name));
            sqlite3_reset(s.get());
            if (!tick())
                return fail(Error{path + ": save cancelled"});
        }
    }
    {
        auto s = prepare(db.get(), "INSERT INTO relationships VALUES(?,?,?,?,?)");
        for (const Relationship &r : data.relationships) {
            sqlite3_bind_int64(s.get(), 1, sqlite3_int64(r.id));
            bindText(s.get(), 2, r.name);
            sqlite3_bind_int64(s.get(), 3, sqlite3_int64(r.source));
            sqlite3_bind_int64(s.get(), 4, sqlite3_int64(r.target));
            bindText(s.get(), 5, propertiesToJson(r.properties));
            if (sqlite3_step(s.get()) != SQLITE_DONE)
                return fail(dbError(db.get(), temp, "writing relationship " + r.name));
            sqlite3_reset(s.get());
        }
    }
    if (data.history) {
        std::function<bool(double)> historyProgress;
        if (options.progress)
            historyProgress = [&](double f) { return options.progress(modelShare + (1 - modelShare) * f); };
        auto written = data.history->persist(db.get(), historyProgress);
        if (!written)
            return fail(Error{path + ": " + written.error()});
    }
    if (!exec(db.get(), "COMMIT"))
        return fail(dbError(db.get(), temp, "commit"));
    db.reset();
    // Durable before visible: flush the temp file, rename over the target, flush the directory.
    if (!fsyncPath(temp, false))
        return fail(Error{temp + ": cannot flush to disk"});
    fs::rename(temp, target, ec);
    if (ec)
        return fail(Error{target.string() + ": cannot replace: " + ec.message()});
    fsyncPath(target.parent_path().string(), true);
    if (options.progress)
        options.progress(1.0);
    return okStatus();
}

Result<ProjectData> loadProjectData(const std::string &path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return Error{path + ": file not found"};
    sqlite3 *raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK)
        return dbError(raw, path, "cannot open");
    int appId = 0, version = 0;
    {
        auto s = prepare(db.get(), "PRAGMA application_id");
        if (!s || sqlite3_step(s.get()) != SQLITE_ROW)
            return Error{path + ": not a Twinworks project (not an SQLite database: " +
                         sqlite3_errmsg(db.get()) + ")"};
        appId = sqlite3_column_int(s.get(), 0);
        auto v = prepare(db.get(), "PRAGMA user_version");
        if (v && sqlite3_step(v.get()) == SQLITE_ROW)
            version = sqlite3_column_int(v.get(), 0);
    }
    if (appId != kApplicationId)
        return Error{path + ": not a Twinworks project (SQLite database of another application)"};
    if (version > kProjectFormatVersion)
        return Error{path + ": written by a newer Twinworks (format " + std::to_string(version) +
                     ", this reads up to " + std::to_string(kProjectFormatVersion) + ")"};
    {
        auto s = prepare(db.get(), "PRAGMA quick_check");
        if (!s || sqlite3_step(s.get()) != SQLITE_ROW || columnText(s.get(), 0) != "ok")
            return Error{path + ": the file is damaged (SQLite integrity check failed: " +
                         (s ? columnText(s.get(), 0) : std::string(sqlite3_errmsg(db.get()))) + ")"};
    }
    ProjectData data;
    try {
        auto s = prepare(db.get(), "SELECT key, value FROM meta");
        if (!s)
            return dbError(db.get(), path, "table meta");
        while (sqlite3_step(s.get()) == SQLITE_ROW)
            data.meta[columnText(s.get(), 0)] = columnText(s.get(), 1);
        s = prepare(db.get(), "SELECT id, definition FROM types ORDER BY id");
        if (!s)
            return dbError(db.get(), path, "table types");
        while (sqlite3_step(s.get()) == SQLITE_ROW) {
            auto type = typeFromJson(columnText(s.get(), 1));
            if (!type)
                return Error{path + ": types row '" + columnText(s.get(), 0) + "': " + type.error()};
            data.types.push_back(std::move(type.value()));
        }
        s = prepare(db.get(), "SELECT id, parent, name, type, properties, placement FROM assets "
                              "ORDER BY parent, position");
        if (!s)
            return dbError(db.get(), path, "table assets");
        std::map<AssetId, std::vector<Asset>> byParent;
        while (sqlite3_step(s.get()) == SQLITE_ROW) {
            Asset a;
            a.id = AssetId(sqlite3_column_int64(s.get(), 0));
            a.parent = AssetId(sqlite3_column_int64(s.get(), 1));
            a.name = columnText(s.get(), 2);
            a.typeId = columnText(s.get(), 3);
            try {
                a.properties = propertiesFromJson(columnText(s.get(), 4));
                a.placement = placementFromJson(columnText(s.get(), 5));
            } catch (const std::exception &e) {
                return Error{path + ": assets row " + std::to_string(a.id) + " ('" + a.name +
                             "'): " + e.what()};
            }
            byParent[a.parent].push_back(std::move(a));
        }
        // Parents before children, siblings in order.
        std::vector<AssetId> stack{kNoAsset};
        std::vector<AssetId> order{kNoAsset};
        for (size_t i = 0; i < order.size(); ++i)
            for (Asset &a : byParent[order[i]]) {
                order.push_back(a.id);
                data.assets.push_back(std::move(a));
            }
        size_t stored = 0;
        for (const auto &kv : byParent)
            stored += kv.second.size();
        if (data.assets.size() != stored)
            return Error{path + ": assets table: " + std::to_string(stored - data.assets.size()) +
                         " assets have a parent that does not exist"};
        s = prepare(db.get(), "SELECT id, name, source, target, properties FROM relationships ORDER BY id");
        if (!s)
            return dbError(db.get(), path, "table relationships");
        while (sqlite3_step(s.get()) == SQLITE_ROW) {
            Relationship r;
            r.id = RelationshipId(sqlite3_column_int64(s.get(), 0));
            r.name = columnText(s.get(), 1);
            r.source = AssetId(sqlite3_column_int64(s.get(), 2));
            r.target = AssetId(sqlite3_column_int64(s.get(), 3));
            r.properties = propertiesFromJson(columnText(s.get(), 4));
            data.relationships.push_back(std::move(r));
        }
    } catch (const std::exception &e) {
        return Error{path + ": " + e.what()};
    }
    data.history = std::make_shared<TimeSeriesStore>();
    if (auto history = data.history->load(db.get()); !history)
        return Error{path + ": " + history.error()};
    return data;
}

Status loadProject(const std::string &path, Project &project)
{
    auto data = loadProjectData(path);
    if (!data)
        return Error{data.error()};
    auto status = restoreProject(data.value(), project);
    if (!status)
        return Error{path + ": " + status.error()};
    return okStatus();
}

} // namespace twin::model
