#include "twin/viz/GltfCheck.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <cstring>
#include <map>
#include <vector>

namespace twin::viz {
namespace {
using nlohmann::json;

enum class Kind
{
    String,
    Index,
    Number,
    NumberOrArray,
    Object,
    Array,
    ObjectOfObjects
};

// Members whose type the glTF 2.0 schema fixes wherever they occur outside "extensions"/"extras".
const std::map<std::string, Kind> &memberKinds()
{
    static const std::map<std::string, Kind> kinds = {{"name", Kind::String},
                                                      {"uri", Kind::String},
                                                      {"mimeType", Kind::String},
                                                      {"version", Kind::String},
                                                      {"generator", Kind::String},
                                                      {"alphaMode", Kind::String},
                                                      {"index", Kind::Index},
                                                      {"buffer", Kind::Index},
                                                      {"bufferView", Kind::Index},
                                                      {"byteOffset", Kind::Index},
                                                      {"byteLength", Kind::Index},
                                                      {"byteStride", Kind::Index},
                                                      {"componentType", Kind::Index},
                                                      {"count", Kind::Index},
                                                      {"mesh", Kind::Index},
                                                      {"material", Kind::Index},
                                                      {"mode", Kind::Index},
                                                      {"texCoord", Kind::Index},
                                                      {"source", Kind::Index},
                                                      {"sampler", Kind::Index},
                                                      {"scene", Kind::Index},
                                                      {"skin", Kind::Index},
                                                      {"camera", Kind::Index},
                                                      {"input", Kind::Index},
                                                      {"output", Kind::Index},
                                                      {"node", Kind::Index},
                                                      {"scale", Kind::NumberOrArray},
                                                      {"strength", Kind::Number},
                                                      {"metallicFactor", Kind::Number},
                                                      {"roughnessFactor", Kind::Number},
                                                      {"alphaCutoff", Kind::Number},
                                                      {"asset", Kind::Object},
                                                      {"attributes", Kind::Object},
                                                      {"pbrMetallicRoughness", Kind::Object},
                                                      {"normalTexture", Kind::Object},
                                                      {"occlusionTexture", Kind::Object},
                                                      {"emissiveTexture", Kind::Object},
                                                      {"baseColorTexture", Kind::Object},
                                                      {"metallicRoughnessTexture", Kind::Object},
                                                      {"extensions", Kind::ObjectOfObjects},
                                                      {"primitives", Kind::Array},
                                                      {"children", Kind::Array},
                                                      {"nodes", Kind::Array},
                                                      {"accessors", Kind::Array},
                                                      {"buffers", Kind::Array},
                                                      {"bufferViews", Kind::Array},
                                                      {"meshes", Kind::Array},
                                                      {"materials", Kind::Array},
                                                      {"textures", Kind::Array},
                                                      {"images", Kind::Array},
                                                      {"samplers", Kind::Array},
                                                      {"scenes", Kind::Array},
                                                      {"matrix", Kind::Array},
                                                      {"translation", Kind::Array},
                                                      {"rotation", Kind::Array},
                                                      {"min", Kind::Array},
                                                      {"max", Kind::Array},
                                                      {"extensionsUsed", Kind::Array},
                                                      {"extensionsRequired", Kind::Array}};
    return kinds;
}

const char *kindName(Kind kind)
{
    switch (kind) {
    case Kind::String:
        return "a string";
    case Kind::Index:
        return "a non-negative integer";
    case Kind::Number:
        return "a number";
    case Kind::NumberOrArray:
        return "a number or an array";
    case Kind::Object:
        return "an object";
    case Kind::Array:
        return "an array";
    case Kind::ObjectOfObjects:
        return "an object of objects";
    }
    return "";
}

bool hasKind(Kind kind, const json &v)
{
    switch (kind) {
    case Kind::String:
        return v.is_string();
    case Kind::Index:
        return v.is_number_unsigned();
    case Kind::Number:
        return v.is_number();
    case Kind::NumberOrArray:
        return v.is_number() || v.is_array();
    case Kind::Object:
        return v.is_object();
    case Kind::Array:
        return v.is_array();
    case Kind::ObjectOfObjects:
        if (!v.is_object())
            return false;
        for (const auto &item : v.items())
            if (!item.value().is_object())
                return false;
        return true;
    }
    return false;
}

QString checkTypes(const json &v, const std::string &pointer)
{
    if (v.is_object()) {
        for (const auto &item : v.items()) {
            const std::string here = pointer + "/" + item.key();
            const auto kind = memberKinds().find(item.key());
            if (kind != memberKinds().end() && !hasKind(kind->second, item.value()))
                return QStringLiteral("'%1' must be %2, not %3")
                    .arg(QString::fromStdString(here), QLatin1String(kindName(kind->second)),
                         QLatin1String(item.value().type_name()));
            if (item.key() == "extensions" || item.key() == "extras")
                continue; // free-form below this level
            if (QString error = checkTypes(item.value(), here); !error.isEmpty())
                return error;
        }
    } else if (v.is_array()) {
        for (size_t i = 0; i < v.size(); ++i)
            if (QString error = checkTypes(v[i], pointer + "/" + std::to_string(i)); !error.isEmpty())
                return error;
    }
    return {};
}

size_t count(const json &doc, const char *key)
{
    const auto it = doc.find(key);
    return it != doc.end() && it->is_array() ? it->size() : 0;
}

quint64 uintOr(const json &object, const char *key, quint64 fallback)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number_unsigned() ? it->get<quint64>() : fallback;
}

int componentSize(quint64 componentType)
{
    switch (componentType) {
    case 5120:
    case 5121:
        return 1;
    case 5122:
    case 5123:
        return 2;
    case 5125:
    case 5126:
        return 4;
    default:
        return 0;
    }
}

int componentCount(const std::string &type)
{
    static const std::map<std::string, int> counts = {{"SCALAR", 1}, {"VEC2", 2}, {"VEC3", 3}, {"VEC4", 4},
                                                      {"MAT2", 4},   {"MAT3", 9}, {"MAT4", 16}};
    const auto it = counts.find(type);
    return it == counts.end() ? 0 : it->second;
}

class Checker
{
public:
    QString run(const QString &path);

private:
    QString parse(const QString &path);
    QString loadBuffers(const QString &dir);
    QString checkViewsAndAccessors();
    QString checkMeshes();
    QString checkNodes();

    json m_doc;
    QByteArray m_glbBin;
    bool m_glb = false;
    std::vector<QByteArray> m_buffers;
};

QString Checker::parse(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot be opened (%1)").arg(file.errorString());
    const QByteArray data = file.readAll();
    QByteArray text = data;
    m_glb = data.startsWith("glTF");
    if (m_glb) {
        quint32 header[3] = {};
        if (data.size() < 20)
            return QStringLiteral("truncated GLB header");
        std::memcpy(header, data.constData(), 12);
        if (header[1] != 2)
            return QStringLiteral("GLB version %1 is not supported (expected 2)").arg(header[1]);
        if (header[2] > quint32(data.size()))
            return QStringLiteral("GLB is truncated (%1 of %2 bytes)").arg(data.size()).arg(header[2]);
        qint64 at = 12;
        text.clear();
        while (at + 8 <= header[2]) {
            quint32 chunk[2];
            std::memcpy(chunk, data.constData() + at, 8);
            if (at + 8 + qint64(chunk[0]) > header[2])
                return QStringLiteral("GLB chunk at byte %1 runs past the end of the file").arg(at);
            const QByteArray body = data.mid(at + 8, chunk[0]);
            if (chunk[1] == 0x4E4F534A && text.isEmpty())
                text = body;
            else if (chunk[1] == 0x004E4942 && m_glbBin.isEmpty())
                m_glbBin = body;
            at += 8 + chunk[0];
        }
        if (text.isEmpty())
            return QStringLiteral("GLB has no JSON chunk");
    }
    m_doc = json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    if (m_doc.is_discarded())
        return QStringLiteral("not valid JSON");
    if (!m_doc.is_object())
        return QStringLiteral("the top level is not a JSON object");
    return {};
}

QString Checker::loadBuffers(const QString &dir)
{
    const json &buffers = m_doc.value("buffers", json::array());
    for (size_t i = 0; i < buffers.size(); ++i) {
        const json &b = buffers[i];
        const QString where = QStringLiteral("buffers[%1]").arg(i);
        if (!b.is_object() || !b.contains("byteLength"))
            return QStringLiteral("%1 has no byteLength").arg(where);
        const quint64 length = b["byteLength"].get<quint64>();
        QByteArray bytes;
        if (!b.contains("uri")) {
            if (!m_glb || i != 0)
                return QStringLiteral("%1 has no uri").arg(where);
            bytes = m_glbBin;
        } else {
            const QString uri = QString::fromStdString(b["uri"].get<std::string>());
            if (uri.startsWith(QLatin1String("data:"))) {
                const qsizetype comma = uri.indexOf(QLatin1Char(','));
                if (comma < 0 || !uri.left(comma).endsWith(QLatin1String(";base64")))
                    return QStringLiteral("%1 has a data URI that is not base64").arg(where);
                bytes = QByteArray::fromBase64(uri.mid(comma + 1).toLatin1());
            } else {
                const QString file = QDir(dir).absoluteFilePath(QUrl::fromPercentEncoding(uri.toUtf8()));
                QFile f(file);
                if (!QFileInfo(file).isFile())
                    return QStringLiteral("missing buffer file '%1' (%2.uri)").arg(file, where);
                if (!f.open(QIODevice::ReadOnly))
                    return QStringLiteral("buffer file '%1' cannot be opened (%2)")
                        .arg(file, f.errorString());
                bytes = f.read(qint64(std::min<quint64>(length, 1ull << 31)));
            }
        }
        if (quint64(bytes.size()) < length)
            return QStringLiteral("%1 holds %2 bytes, but byteLength says %3")
                .arg(where)
                .arg(bytes.size())
                .arg(length);
        m_buffers.push_back(bytes.left(qsizetype(length)));
    }
    return {};
}

QString Checker::checkViewsAndAccessors()
{
    const json views = m_doc.value("bufferViews", json::array());
    for (size_t i = 0; i < views.size(); ++i) {
        const quint64 buffer = uintOr(views[i], "buffer", quint64(-1));
        if (buffer >= m_buffers.size())
            return QStringLiteral("bufferViews[%1].buffer is out of range (%2 buffers)")
                .arg(i)
                .arg(m_buffers.size());
        const quint64 end = uintOr(views[i], "byteOffset", 0) + uintOr(views[i], "byteLength", 0);
        if (end > quint64(m_buffers[buffer].size()))
            return QStringLiteral("bufferViews[%1] ends at byte %2, past the end of buffers[%3] (%4 bytes)")
                .arg(i)
                .arg(end)
                .arg(buffer)
                .arg(m_buffers[buffer].size());
    }
    const json accessors = m_doc.value("accessors", json::array());
    for (size_t i = 0; i < accessors.size(); ++i) {
        const json &a = accessors[i];
        const int size =
            componentSize(uintOr(a, "componentType", 0)) * componentCount(a.value("type", std::string()));
        if (size == 0)
            return QStringLiteral("accessors[%1] has an invalid componentType or type").arg(i);
        const quint64 n = uintOr(a, "count", 0);
        if (n == 0)
            return QStringLiteral("accessors[%1].count must be at least 1").arg(i);
        if (!a.contains("bufferView"))
            continue; // all zeros
        const quint64 view = a["bufferView"].get<quint64>();
        if (view >= views.size())
            return QStringLiteral("accessors[%1].bufferView is out of range (%2 buffer views)")
                .arg(i)
                .arg(views.size());
        const quint64 stride = uintOr(views[view], "byteStride", quint64(size));
        const quint64 end = uintOr(a, "byteOffset", 0) + (n - 1) * stride + quint64(size);
        if (end > uintOr(views[view], "byteLength", 0))
            return QStringLiteral("accessors[%1] (%2 elements) reads past the end of bufferViews[%3]")
                .arg(i)
                .arg(n)
                .arg(view);
    }
    return {};
}

QString Checker::checkMeshes()
{
    const json accessors = m_doc.value("accessors", json::array());
    const json views = m_doc.value("bufferViews", json::array());
    const json meshes = m_doc.value("meshes", json::array());
    const size_t materials = count(m_doc, "materials");
    for (size_t m = 0; m < meshes.size(); ++m) {
        const json primitives = meshes[m].value("primitives", json::array());
        if (primitives.empty())
            return QStringLiteral("meshes[%1] has no primitives").arg(m);
        for (size_t p = 0; p < primitives.size(); ++p) {
            const json &prim = primitives[p];
            const QString where = QStringLiteral("meshes[%1].primitives[%2]").arg(m).arg(p);
            const json attributes = prim.value("attributes", json::object());
            if (!attributes.contains("POSITION"))
                return QStringLiteral("%1 has no POSITION attribute").arg(where);
            for (const auto &attribute : attributes.items())
                if (!attribute.value().is_number_unsigned() ||
                    attribute.value().get<quint64>() >= accessors.size())
                    return QStringLiteral("%1 attribute %2 refers to a missing accessor")
                        .arg(where, QString::fromStdString(attribute.key()));
            if (uintOr(prim, "mode", 4) > 6)
                return QStringLiteral("%1.mode is not a glTF primitive mode").arg(where);
            if (prim.contains("material") && uintOr(prim, "material", 0) >= materials)
                return QStringLiteral("%1.material is out of range").arg(where);
            const json &position = accessors[attributes["POSITION"].get<size_t>()];
            if (position.value("type", std::string()) != "VEC3" ||
                uintOr(position, "componentType", 0) != 5126)
                return QStringLiteral("%1 POSITION must be VEC3 of floats").arg(where);
            const quint64 vertices = uintOr(position, "count", 0);
            if (!prim.contains("indices"))
                continue;
            if (!prim["indices"].is_number_unsigned() || prim["indices"].get<quint64>() >= accessors.size())
                return QStringLiteral("%1.indices refers to a missing accessor").arg(where);
            const json &ia = accessors[prim["indices"].get<size_t>()];
            const int size = componentSize(uintOr(ia, "componentType", 0));
            if (ia.value("type", std::string()) != "SCALAR" || uintOr(ia, "componentType", 0) == 5126 ||
                size == 0)
                return QStringLiteral("%1.indices must be unsigned integer scalars").arg(where);
            if (!ia.contains("bufferView"))
                continue;
            const json &view = views[ia["bufferView"].get<size_t>()];
            const QByteArray &buffer = m_buffers[uintOr(view, "buffer", 0)];
            const quint64 stride = uintOr(view, "byteStride", quint64(size));
            const quint64 base = uintOr(view, "byteOffset", 0) + uintOr(ia, "byteOffset", 0);
            for (quint64 k = 0, n = uintOr(ia, "count", 0); k < n; ++k) {
                quint32 value = 0;
                std::memcpy(&value, buffer.constData() + base + k * stride, size_t(size)); // little endian
                if (value >= vertices)
                    return QStringLiteral(
                               "%1: index %2 (element %3) is out of range; POSITION has %4 vertices")
                        .arg(where)
                        .arg(value)
                        .arg(k)
                        .arg(vertices);
            }
        }
    }
    return {};
}

QString Checker::checkNodes()
{
    const json nodes = m_doc.value("nodes", json::array());
    const size_t meshes = count(m_doc, "meshes");
    std::vector<int> parent(nodes.size(), -1);
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (!nodes[i].is_object())
            return QStringLiteral("nodes[%1] is not an object").arg(i);
        if (nodes[i].contains("mesh") && nodes[i]["mesh"].get<quint64>() >= meshes)
            return QStringLiteral("nodes[%1].mesh is out of range (%2 meshes)").arg(i).arg(meshes);
        for (const json &child : nodes[i].value("children", json::array())) {
            if (!child.is_number_unsigned() || child.get<quint64>() >= nodes.size())
                return QStringLiteral("nodes[%1].children refers to a missing node").arg(i);
            const size_t c = child.get<size_t>();
            if (c == i)
                return QStringLiteral("node cycle: nodes[%1] is its own child").arg(i);
            if (parent[c] >= 0)
                return QStringLiteral("nodes[%1] has two parents (nodes[%2] and nodes[%3])")
                    .arg(c)
                    .arg(parent[c])
                    .arg(i);
            parent[c] = int(i);
        }
    }
    // With at most one parent each, a cycle is a loop in the parent chain.
    for (size_t i = 0; i < nodes.size(); ++i) {
        size_t steps = 0;
        for (int at = parent[i]; at >= 0; at = parent[size_t(at)])
            if (size_t(at) == i || ++steps > nodes.size())
                return QStringLiteral("node cycle: nodes[%1] is its own ancestor").arg(i);
    }
    const json scenes = m_doc.value("scenes", json::array());
    for (size_t s = 0; s < scenes.size(); ++s)
        for (const json &root : scenes[s].value("nodes", json::array()))
            if (!root.is_number_unsigned() || root.get<quint64>() >= nodes.size())
                return QStringLiteral("scenes[%1].nodes refers to a missing node").arg(s);
    if (m_doc.contains("scene") && m_doc["scene"].get<quint64>() >= scenes.size())
        return QStringLiteral("'scene' is out of range (%1 scenes)").arg(scenes.size());
    return {};
}

QString Checker::run(const QString &path)
{
    if (QString error = parse(path); !error.isEmpty())
        return error;
    if (QString error = checkTypes(m_doc, ""); !error.isEmpty())
        return QStringLiteral("invalid glTF: ") + error;
    const json asset = m_doc.value("asset", json::object());
    if (!asset.value("version", std::string()).starts_with("2."))
        return QStringLiteral("not glTF 2.x (asset.version is '%1')")
            .arg(QString::fromStdString(asset.value("version", std::string())));
    if (m_doc.contains("extensionsRequired") && !m_doc["extensionsRequired"].empty())
        return QStringLiteral("needs unsupported extensions (%1)")
            .arg(QString::fromStdString(m_doc["extensionsRequired"].dump()));
    // In order: each step relies on the ranges the previous ones checked.
    if (QString error = loadBuffers(QFileInfo(path).absolutePath()); !error.isEmpty())
        return error;
    if (QString error = checkViewsAndAccessors(); !error.isEmpty())
        return error;
    if (QString error = checkNodes(); !error.isEmpty())
        return error;
    return checkMeshes();
}

} // namespace

QString checkGltf(const QString &path)
{
    try {
        return Checker().run(path);
    } catch (const std::exception &e) { // a json type error that the checks above did not foresee
        return QStringLiteral("invalid glTF (%1)").arg(QString::fromUtf8(e.what()));
    }
}

} // namespace twin::viz
