// DTDL v4, rule by rule against the v4 specification's "Changes from Version 3": the new schemas
// (scaledDecimal), self-referential complex schemas, deeper limits (schemas 8, extends 12), nullable command
// payloads, limit extensions (the "#limitless" context and Onvif), the v4 extension contexts, mixing v2/v3/v4
// documents, and v4 export.
#include "twin/model/dtdl/DtdlExporter.h"
#include "twin/model/dtdl/DtdlImporter.h"
#include "twin/model/graph/Value.h"
#include "twin/model/types/TypeRegistry.h"
#include "twin/model/validate/PropertyValidator.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace twin::model;
using namespace twin::model::dtdl;
using nlohmann::json;

namespace {

ImportResult importStrict(const std::vector<json> &docs)
{
    std::vector<std::pair<std::string, std::string>> files;
    for (std::size_t i = 0; i < docs.size(); ++i)
        files.emplace_back("m" + std::to_string(i) + ".json", docs[i].dump());
    ImportOptions options;
    options.strict = true;                    // limits are errors, as for conformance
    options.allowUndefinedExtensions = false; // an extension a version does not define is an error
    return importDocuments(files, options);
}

std::string errorsText(const ImportResult &r)
{
    std::string text;
    for (const auto &e : r.errors)
        text += e.toString() + "\n";
    return text;
}

bool hasRule(const ImportResult &r, const std::string &rule)
{
    for (const auto &e : r.errors)
        if (e.rule == rule)
            return true;
    return false;
}

json interfaceWith(const json &context, const json &contents, const json &schemas = json::array())
{
    json j = {{"@context", context},
              {"@id", "dtmi:twin:v4:Thing;1"},
              {"@type", "Interface"},
              {"contents", contents}};
    if (!schemas.empty())
        j["schemas"] = schemas;
    return j;
}

json prop(const std::string &name, const json &schema)
{
    return {{"@type", "Property"}, {"name", name}, {"schema", schema}};
}

// An Array schema nested `depth` complex schemas deep (depth 1: an Array of double).
json nestedArrays(int depth)
{
    json schema = "double";
    for (int i = 0; i < depth; ++i)
        schema = {{"@type", "Array"}, {"elementSchema", schema}};
    return schema;
}

// `count` Interfaces, each extending the next: the first has an extends chain `count - 1` deep.
std::vector<json> extendsChain(const json &context, int count)
{
    std::vector<json> docs;
    for (int i = 0; i < count; ++i) {
        json j = {{"@context", context},
                  {"@id", "dtmi:twin:v4:Level" + std::to_string(i) + ";1"},
                  {"@type", "Interface"}};
        if (i + 1 < count)
            j["extends"] = "dtmi:twin:v4:Level" + std::to_string(i + 1) + ";1";
        docs.push_back(j);
    }
    return docs;
}

const AssetType *findType(const ImportResult &r, const std::string &id)
{
    for (const auto &t : r.types)
        if (t.id == id)
            return &t;
    return nullptr;
}

} // namespace

class TestDtdlV4 : public QObject
{
    Q_OBJECT
private slots:
    void v4ContextAndNewSchemas();
    void scaledDecimalIsV4Only();
    void scaledDecimalValues();
    void selfReferentialSchemas();
    void schemaDepth_data();
    void schemaDepth();
    void extendsDepth_data();
    void extendsDepth();
    void descriptionLength_data();
    void descriptionLength();
    void limitExtensionNeedsLimitlessContext();
    void nullablePayloads();
    void extensionContexts_data();
    void extensionContexts();
    void uncheckedExtensionTerms();
    void mixedVersions();
    void exportV4();
};

void TestDtdlV4::v4ContextAndNewSchemas()
{
    json contents = json::array();
    for (const char *s : {"byte", "bytes", "decimal", "short", "unsignedByte", "unsignedShort",
                          "unsignedInteger", "unsignedLong", "uuid", "scaledDecimal"})
        contents.push_back(prop(std::string("p_") + s, s));
    contents.push_back(prop("classIri", "dtmi:dtdl:instance:Schema:scaledDecimal;4"));
    const auto r = importStrict({interfaceWith("dtmi:dtdl:context;4", contents)});
    QVERIFY2(r.ok(), errorsText(r).c_str());
    const AssetType *t = findType(r, "dtmi:twin:v4:Thing;1");
    QVERIFY(t);
    QCOMPARE(t->dtdlVersion, 4);
    QCOMPARE(t->properties.size(), std::size_t(11));
    for (const auto &p : t->properties) {
        QVERIFY2(p.schema && p.schema->kind != SchemaKind::Unknown, p.name.c_str());
        if (p.name == "p_scaledDecimal" || p.name == "classIri")
            QCOMPARE(p.schema->kind, SchemaKind::ScaledDecimal);
    }
}

void TestDtdlV4::scaledDecimalIsV4Only()
{
    const auto r = importStrict({interfaceWith("dtmi:dtdl:context;3", {prop("d", "scaledDecimal")})});
    QVERIFY(!r.ok());
    QVERIFY2(errorsText(r).find("scaledDecimal") != std::string::npos, errorsText(r).c_str());
}

void TestDtdlV4::scaledDecimalValues()
{
    PropertyDescriptor d;
    d.name = "distance";
    d.schema = Schema::primitive(SchemaKind::ScaledDecimal);
    const auto object = parsePropertyValue(d, R"({"scale": 7, "value": "1234.56"})");
    QVERIFY2(object.ok(), object.ok() ? "" : object.error().c_str());
    QCOMPARE(valueToString(*object), valueToString(valueFromJson(R"({"scale":7,"value":"1234.56"})")));
    const auto plain = parsePropertyValue(d, "-12.5");
    QVERIFY(plain.ok());
    QCOMPARE(valueToString(*plain), valueToString(valueFromJson(R"({"scale":0,"value":"-12.5"})")));
    for (const char *bad :
         {R"({"scale": 7})", R"({"scale": 1.5, "value": "1"})", R"({"scale": 70000, "value": "1"})",
          R"({"scale": 1, "value": "1e5"})", "twelve"}) {
        const auto r = parsePropertyValue(d, bad);
        QVERIFY2(!r.ok(), bad);
        QVERIFY2(r.error().find("distance") != std::string::npos, r.error().c_str());
    }
}

void TestDtdlV4::selfReferentialSchemas()
{
    // An Object with a field of its own type and an Array of itself (a tree), defined in schemas.
    const json schemas = {
        {{"@id", "dtmi:twin:v4:Node;1"},
         {"@type", "Object"},
         {"fields",
          {{{"name", "value"}, {"schema", "double"}},
           {{"name", "children"}, {"schema", {{"@type", "Array"}, {"elementSchema", "dtmi:twin:v4:Node;1"}}}},
           {{"name", "parent"}, {"schema", "dtmi:twin:v4:Node;1"}}}}},
        {{"@id", "dtmi:twin:v4:List;1"}, {"@type", "Array"}, {"elementSchema", "dtmi:twin:v4:List;1"}}};
    const json contents = {prop("tree", "dtmi:twin:v4:Node;1"), prop("list", "dtmi:twin:v4:List;1")};
    const auto v4 = importStrict({interfaceWith("dtmi:dtdl:context;4", contents, schemas)});
    QVERIFY2(v4.ok(), errorsText(v4).c_str());
    const AssetType *t = findType(v4, "dtmi:twin:v4:Thing;1");
    QVERIFY(t);
    const auto &tree = t->properties[0].schema;
    QCOMPARE(tree->kind, SchemaKind::Object);
    QCOMPARE(tree->fields.size(), std::size_t(3));
    // the reference back is named, not expanded again
    const auto &back = tree->fields[2].schema;
    QCOMPARE(back->kind, SchemaKind::Object);
    QCOMPARE(back->id, std::string("dtmi:twin:v4:Node;1"));
    QVERIFY(back->fields.empty());
    QCOMPARE(tree->fields[1].schema->elementSchema->id, std::string("dtmi:twin:v4:Node;1"));

    const auto v3 = importStrict({interfaceWith("dtmi:dtdl:context;3", contents, schemas)});
    QVERIFY(!v3.ok());
    QVERIFY2(hasRule(v3, "SchemaSelfReference"), errorsText(v3).c_str());
}

void TestDtdlV4::schemaDepth_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<int>("depth");
    QTest::addColumn<bool>("valid");
    const QString limitless = "dtmi:dtdl:context;4#limitless";
    QTest::newRow("v3 at 5") << "dtmi:dtdl:context;3" << 5 << true;
    QTest::newRow("v3 over 5") << "dtmi:dtdl:context;3" << 6 << false;
    QTest::newRow("v4 at 8") << "dtmi:dtdl:context;4" << 8 << true;
    QTest::newRow("v4 over 8") << "dtmi:dtdl:context;4" << 9 << false;
    QTest::newRow("onvif at 24") << limitless + "|dtmi:dtdl:limits:onvif;1" << 24 << true;
    QTest::newRow("onvif over 24") << limitless + "|dtmi:dtdl:limits:onvif;1" << 25 << false;
    QTest::newRow("limitless + core limits over 8")
        << limitless + "|dtmi:dtdl:context;4#limits" << 9 << false;
}

json contextFrom(const QString &text)
{
    json context = json::array();
    for (const QString &part : text.split('|'))
        context.push_back(part.toStdString());
    return context.size() == 1 ? context[0] : context;
}

void TestDtdlV4::schemaDepth()
{
    QFETCH(QString, context);
    QFETCH(int, depth);
    QFETCH(bool, valid);
    const auto r = importStrict({interfaceWith(contextFrom(context), {prop("deep", nestedArrays(depth))})});
    QVERIFY2(r.ok() == valid, errorsText(r).c_str());
    if (!valid)
        QVERIFY2(hasRule(r, "SchemaMaxDepth"), errorsText(r).c_str());
}

void TestDtdlV4::extendsDepth_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<int>("depth");
    QTest::addColumn<bool>("valid");
    QTest::newRow("v3 at 10") << "dtmi:dtdl:context;3" << 10 << true;
    QTest::newRow("v3 over 10") << "dtmi:dtdl:context;3" << 11 << false;
    QTest::newRow("v4 at 12") << "dtmi:dtdl:context;4" << 12 << true;
    QTest::newRow("v4 over 12") << "dtmi:dtdl:context;4" << 13 << false;
}

void TestDtdlV4::extendsDepth()
{
    QFETCH(QString, context);
    QFETCH(int, depth);
    QFETCH(bool, valid);
    const auto r = importStrict(extendsChain(contextFrom(context), depth + 1));
    QVERIFY2(r.ok() == valid, errorsText(r).c_str());
    if (!valid)
        QVERIFY2(hasRule(r, "ExtendsMaxDepth"), errorsText(r).c_str());
}

void TestDtdlV4::descriptionLength_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<int>("length");
    QTest::addColumn<bool>("valid");
    const QString onvif = "dtmi:dtdl:context;4#limitless|dtmi:dtdl:limits:onvif;1";
    QTest::newRow("v4 at 512") << "dtmi:dtdl:context;4" << 512 << true;
    QTest::newRow("v4 over 512") << "dtmi:dtdl:context;4" << 513 << false;
    QTest::newRow("onvif at 4096") << onvif << 4096 << true;
    QTest::newRow("onvif over 4096") << onvif << 4097 << false;
}

void TestDtdlV4::descriptionLength()
{
    QFETCH(QString, context);
    QFETCH(int, length);
    QFETCH(bool, valid);
    json p = prop("p", "double");
    p["description"] = std::string(std::size_t(length), 'x');
    const auto r = importStrict({interfaceWith(contextFrom(context), {p})});
    QVERIFY2(r.ok() == valid, errorsText(r).c_str());
}

void TestDtdlV4::limitExtensionNeedsLimitlessContext()
{
    for (const json &context : {json{"dtmi:dtdl:context;4", "dtmi:dtdl:limits:onvif;1"},
                                json{"dtmi:dtdl:context;3", "dtmi:dtdl:limits:onvif;1"}}) {
        const auto r = importStrict({interfaceWith(context, {prop("p", "double")})});
        QVERIFY2(!r.ok(), context.dump().c_str());
        QVERIFY2(hasRule(r, "ExtensionLimitsFollowsLimitless"), errorsText(r).c_str());
    }
    // "#limitless" exists for v4 only, and must be followed at once by the limits to use
    const auto v3 = importStrict({interfaceWith("dtmi:dtdl:context;3#limitless", {prop("p", "double")})});
    QVERIFY(!v3.ok());
    const json p = prop("p", "double");
    QVERIFY(hasRule(importStrict({interfaceWith("dtmi:dtdl:context;4#limitless", {p})}),
                    "LimitlessContextFollowedByLimits"));
    QVERIFY(hasRule(
        importStrict({interfaceWith({"dtmi:dtdl:context;4#limitless", "dtmi:dtdl:extension:historization;2",
                                     "dtmi:dtdl:context;4#limits"},
                                    {p})}),
        "LimitlessContextFollowedByLimits"));
    QVERIFY(hasRule(importStrict({interfaceWith("dtmi:dtdl:context;4#limits", {p})}),
                    "CoreLimitsFollowsLimitless"));
    for (const json &context : {json{"dtmi:dtdl:context;4#limitless", "dtmi:dtdl:context;4#limits"},
                                json{"dtmi:dtdl:context;4#limitless", "dtmi:dtdl:context;4"},
                                json{"dtmi:dtdl:context;4#limitless", "dtmi:dtdl:limits:onvif;1",
                                     "dtmi:dtdl:extension:historization;2"}}) {
        const auto r = importStrict({interfaceWith(context, {p})});
        QVERIFY2(r.ok(), (context.dump() + "\n" + errorsText(r)).c_str());
    }
}

void TestDtdlV4::nullablePayloads()
{
    const json command = {{"@type", "Command"},
                          {"name", "reboot"},
                          {"request", {{"name", "delay"}, {"schema", "integer"}, {"nullable", true}}},
                          {"response", {{"name", "when"}, {"schema", "dateTime"}, {"nullable", false}}}};
    const auto ok = importStrict({interfaceWith("dtmi:dtdl:context;4", {command})});
    QVERIFY2(ok.ok(), errorsText(ok).c_str());
    json bad = command;
    bad["request"]["nullable"] = "yes";
    const auto r = importStrict({interfaceWith("dtmi:dtdl:context;4", {bad})});
    QVERIFY(!r.ok());
}

void TestDtdlV4::extensionContexts_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<bool>("valid");
    QTest::newRow("v4 + quantitativeTypes;2")
        << "dtmi:dtdl:context;4|dtmi:dtdl:extension:quantitativeTypes;2" << true;
    // the specification's own v4 cases accept QuantitativeTypes v1 with v4
    QTest::newRow("v4 + quantitativeTypes;1")
        << "dtmi:dtdl:context;4|dtmi:dtdl:extension:quantitativeTypes;1" << true;
    QTest::newRow("v3 + quantitativeTypes;2")
        << "dtmi:dtdl:context;3|dtmi:dtdl:extension:quantitativeTypes;2" << false;
    QTest::newRow("v4 + historization;2")
        << "dtmi:dtdl:context;4|dtmi:dtdl:extension:historization;2" << true;
    QTest::newRow("v3 + historization;2")
        << "dtmi:dtdl:context;3|dtmi:dtdl:extension:historization;2" << true;
    QTest::newRow("v4 + historization;1")
        << "dtmi:dtdl:context;4|dtmi:dtdl:extension:historization;1" << false;
    QTest::newRow("v4 + annotation;2") << "dtmi:dtdl:context;4|dtmi:dtdl:extension:annotation;2" << true;
    QTest::newRow("v4 + overriding;2") << "dtmi:dtdl:context;4|dtmi:dtdl:extension:overriding;2" << true;
    QTest::newRow("v4 + mqtt;3") << "dtmi:dtdl:context;4|dtmi:dtdl:extension:mqtt;3" << true;
    QTest::newRow("v4 + requirement;1") << "dtmi:dtdl:context;4|dtmi:dtdl:extension:requirement;1" << true;
    QTest::newRow("v4 + mqtt;1") << "dtmi:dtdl:context;4|dtmi:dtdl:extension:mqtt;1" << false;
    QTest::newRow("extension before v4")
        << "dtmi:dtdl:extension:historization;2|dtmi:dtdl:context;4" << false;
}

void TestDtdlV4::extensionContexts()
{
    QFETCH(QString, context);
    QFETCH(bool, valid);
    const auto r = importStrict({interfaceWith(contextFrom(context), {prop("p", "double")})});
    QVERIFY2(r.ok() == valid, errorsText(r).c_str());
}

void TestDtdlV4::uncheckedExtensionTerms()
{
    // Semantic types and units from QuantitativeTypes v2, as terms and as its DTMIs.
    json temp = {{"@type", {"Telemetry", "Temperature"}},
                 {"name", "t"},
                 {"schema", "double"},
                 {"unit", "degreeCelsius"}};
    json volts = {{"@type", {"Telemetry", "dtmi:dtdl:extension:quantitativeTypes:v2:class:Voltage"}},
                  {"name", "v"},
                  {"schema", "double"},
                  {"unit", "dtmi:dtdl:extension:quantitativeTypes:v2:unit:volt"}};
    const auto qt = importStrict(
        {interfaceWith({"dtmi:dtdl:context;4", "dtmi:dtdl:extension:quantitativeTypes;2"}, {temp, volts})});
    QVERIFY2(qt.ok(), errorsText(qt).c_str());
    const AssetType *t = findType(qt, "dtmi:twin:v4:Thing;1");
    QCOMPARE(t->telemetry[0].unit, std::string("degreeCelsius"));
    QCOMPARE(t->telemetry[1].semanticType, std::string("Voltage"));
    QCOMPARE(t->telemetry[1].unit, std::string("volt"));
    json wrongUnit = temp;
    wrongUnit["unit"] = "volt";
    QVERIFY(!importStrict({interfaceWith({"dtmi:dtdl:context;4", "dtmi:dtdl:extension:quantitativeTypes;2"},
                                         {wrongUnit})})
                 .ok());
    // MQTT's adjunct type and its properties are accepted (recognized, not checked); without the context
    // the same co-type is an undefined term.
    json mqtt = interfaceWith({"dtmi:dtdl:context;4", "dtmi:dtdl:extension:mqtt;3"}, {prop("p", "double")});
    mqtt["@type"] = {"Interface", "Mqtt"};
    mqtt["telemetryTopic"] = "sample/{modelId}/{senderId}/telemetry";
    mqtt["payloadFormat"] = "Json/ecma/404";
    const auto withContext = importStrict({mqtt});
    QVERIFY2(withContext.ok(), errorsText(withContext).c_str());
    mqtt["@context"] = "dtmi:dtdl:context;4";
    QVERIFY(!importStrict({mqtt}).ok());
}

void TestDtdlV4::mixedVersions()
{
    const json v2 = {{"@context", "dtmi:dtdl:context;2"},
                     {"@id", "dtmi:twin:mix:Old;1"},
                     {"@type", "Interface"},
                     {"contents", {{{"@type", "Telemetry"}, {"name", "old"}, {"schema", "double"}}}}};
    const json v3 = {{"@context", "dtmi:dtdl:context;3"},
                     {"@id", "dtmi:twin:mix:Mid;1"},
                     {"@type", "Interface"},
                     {"contents", {prop("mid", "uuid")}}};
    json v4 = interfaceWith("dtmi:dtdl:context;4",
                            {prop("new", "scaledDecimal"),
                             {{"@type", "Component"}, {"name", "part"}, {"schema", "dtmi:twin:mix:Old;1"}}});
    v4["extends"] = "dtmi:twin:mix:Mid;1";
    const auto r = importStrict({v2, v3, v4});
    QVERIFY2(r.ok(), errorsText(r).c_str());
    QVERIFY(r.unresolvedReferences.empty());
    QCOMPARE(findType(r, "dtmi:twin:mix:Old;1")->dtdlVersion, 2);
    QCOMPARE(findType(r, "dtmi:twin:mix:Mid;1")->dtdlVersion, 3);
    QCOMPARE(findType(r, "dtmi:twin:v4:Thing;1")->dtdlVersion, 4);
    // a v4 Interface may embed an earlier version's element; a v3 one may not embed v4
    json embeds = interfaceWith(
        "dtmi:dtdl:context;4",
        {{{"@context", "dtmi:dtdl:context;3"}, {"@type", "Property"}, {"name", "e"}, {"schema", "double"}}});
    QVERIFY2(importStrict({embeds}).ok(), errorsText(importStrict({embeds})).c_str());
    embeds["@context"] = "dtmi:dtdl:context;3";
    embeds["contents"][0]["@context"] = "dtmi:dtdl:context;4";
    QVERIFY(!importStrict({embeds}).ok());
}

void TestDtdlV4::exportV4()
{
    const json schemas = {
        {{"@id", "dtmi:twin:v4:List;1"}, {"@type", "Array"}, {"elementSchema", "dtmi:twin:v4:List;1"}}};
    json temp = {
        {"@type", {"Telemetry", "Temperature"}}, {"name", "t"}, {"schema", "double"}, {"unit", "kelvin"}};
    const auto r = importStrict(
        {interfaceWith({"dtmi:dtdl:context;4", "dtmi:dtdl:extension:quantitativeTypes;2"},
                       {prop("d", "scaledDecimal"), prop("list", "dtmi:twin:v4:List;1"), temp}, schemas)});
    QVERIFY2(r.ok(), errorsText(r).c_str());
    const AssetType &type = *findType(r, "dtmi:twin:v4:Thing;1");
    const auto v4 = exportInterface(type, 4);
    QVERIFY(v4.ok());
    const json written = json::parse(*v4);
    QCOMPARE(written["@context"], (json{"dtmi:dtdl:context;4", "dtmi:dtdl:extension:quantitativeTypes;2"}));
    // what was written imports again to the same type
    const auto again = importStrict({written});
    QVERIFY2(again.ok(), errorsText(again).c_str());
    const auto v4Again = exportInterface(*findType(again, "dtmi:twin:v4:Thing;1"), 4);
    QCOMPARE(*v4Again, *v4);
    // v3 cannot say a scaledDecimal or a schema that refers to itself: an error naming the type
    const auto v3 = exportInterface(type, 3);
    QVERIFY(!v3.ok());
    QVERIFY2(v3.error().find("dtmi:twin:v4:Thing;1") != std::string::npos, v3.error().c_str());
    QVERIFY2(v3.error().find("v4") != std::string::npos, v3.error().c_str());
    TypeRegistry registry;
    registry.add(type);
    QTemporaryDir dir;
    QVERIFY(!exportDtdl(registry, dir.path().toStdString(), 3).ok());
    QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty()); // nothing written
    QVERIFY(exportDtdl(registry, dir.path().toStdString(), 4).ok());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

QTEST_GUILESS_MAIN(TestDtdlV4)
#include "tst_dtdl_v4.moc"
