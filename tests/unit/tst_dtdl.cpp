// DTDL v2/v3 import: features, error reporting, RealEstateCore, samples, v3 export round trip.
#include "twin/model/dtdl/DtdlExporter.h"
#include "twin/model/dtdl/DtdlImporter.h"
#include "twin/model/types/TypeRegistry.h"

#include "SharedData.h"
#include <QTemporaryDir>

#include <QtTest>

#include <algorithm>

using namespace twin::model;
using namespace twin::model::dtdl;

namespace {

const std::string kData = TWIN_SHARED_DATA "/dtdl/";

ImportResult importOne(const std::string &json, const ImportOptions &options = {})
{
    return importDocuments({{"model.json", json}}, options);
}

std::string errorsText(const ImportResult &r)
{
    std::string text;
    for (const auto &e : r.errors)
        text += e.toString() + "\n";
    return text;
}

const AssetType *findType(const ImportResult &r, const std::string &id)
{
    for (const auto &t : r.types)
        if (t.id == id)
            return &t;
    return nullptr;
}

template <typename T> const T *byName(const std::vector<T> &items, const std::string &name)
{
    for (const auto &item : items)
        if (item.name == name)
            return &item;
    return nullptr;
}

// A v3 model touching most features.
const char *kRichV3 = R"({
  "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"],
  "@id": "dtmi:twin:test:Pump;1",
  "@type": "Interface",
  "displayName": {"en": "Pump", "de": "Pumpe"},
  "description": "A pump",
  "comment": "ignored",
  "extends": ["dtmi:twin:test:Base;1", {"@id": "dtmi:twin:test:Inline;1", "@type": "Interface",
               "contents": [{"@type": "Property", "name": "inlineProp", "schema": "uuid"}]}],
  "schemas": [{"@id": "dtmi:twin:test:Mode;1", "@type": "Enum", "valueSchema": "integer",
               "enumValues": [{"name": "off", "enumValue": 0}, {"name": "on", "displayName": "On", "enumValue": 1}]}],
  "contents": [
    {"@type": ["Property", "Temperature"], "name": "temp", "schema": "double", "unit": "degreeCelsius", "writable": true},
    {"@type": "Property", "name": "mode", "schema": "dtmi:twin:test:Mode;1"},
    {"@type": "Property", "name": "tags", "schema": {"@type": "Map", "mapKey": {"name": "k", "schema": "string"},
                                                   "mapValue": {"name": "v", "schema": "string"}}},
    {"@type": "Telemetry", "name": "samples", "schema": {"@type": "Array", "elementSchema": "float"}},
    {"@type": "Telemetry", "name": "pos", "schema": {"@type": "Object", "fields": [
        {"name": "x", "schema": "double"}, {"name": "y", "schema": "unsignedShort"}]}},
    {"@type": "Command", "name": "start", "request": {"name": "speed", "schema": "integer"},
     "response": {"name": "ok", "schema": "boolean"}},
    {"@type": "Relationship", "name": "feeds", "target": "dtmi:twin:test:Base;1", "minMultiplicity": 0,
     "maxMultiplicity": 4, "writable": true, "properties": [{"@type": "Property", "name": "flow", "schema": "double"}]},
    {"@type": "Component", "name": "motor", "schema": "dtmi:twin:test:Motor;1"}
  ]
})";

const char *kBaseV3 = R"([
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:twin:test:Base;1", "@type": "Interface",
   "contents": [{"@type": "Property", "name": "serial", "schema": "string"}]},
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:twin:test:Motor;1", "@type": "Interface",
   "contents": [{"@type": "Telemetry", "name": "rpm", "schema": "double"}]}
])";

} // namespace

class TestDtdl : public QObject
{
    Q_OBJECT

private slots:
    void richV3Model();
    void v2Model();
    void bomAndSingleObjectDocument();
    void unresolvedReferences();
    void errors_data();
    void errors();
    void limitsAreWarningsUnlessStrict();
    void realEstateCore();
    void samples();
    void roundTripRich();
    void roundTripRealEstateCore();
};

void TestDtdl::richV3Model()
{
    const auto r = importDocuments({{"pump.json", kRichV3}, {"base.json", kBaseV3}});
    QVERIFY2(r.ok(), errorsText(r).c_str());
    QVERIFY(r.unresolvedReferences.empty());
    QCOMPARE(r.types.size(), size_t(4)); // Pump, Base, Motor, inline Interface
    const AssetType *pump = findType(r, "dtmi:twin:test:Pump;1");
    QVERIFY(pump);
    QCOMPARE(pump->dtdlVersion, 3);
    QCOMPARE(pump->displayName.at("de"), std::string("Pumpe"));
    QCOMPARE(pump->description.at("en"), std::string("A pump"));
    QCOMPARE(pump->extends, (std::vector<std::string>{"dtmi:twin:test:Base;1", "dtmi:twin:test:Inline;1"}));
    QVERIFY(findType(r, "dtmi:twin:test:Inline;1"));
    QCOMPARE(pump->sourceFile, std::string("pump.json"));

    const auto *temp = byName(pump->properties, "temp");
    QVERIFY(temp);
    QCOMPARE(temp->semanticType, std::string("Temperature"));
    QCOMPARE(temp->unit, std::string("degreeCelsius"));
    QVERIFY(temp->writable);
    QCOMPARE(temp->schema->kind, SchemaKind::Double);
    const auto *mode = byName(pump->properties, "mode");
    QVERIFY(mode && mode->schema);
    QCOMPARE(mode->schema->kind, SchemaKind::Enum);
    QCOMPARE(mode->schema->id, std::string("dtmi:twin:test:Mode;1"));
    QCOMPARE(mode->schema->valueSchema, SchemaKind::Integer);
    QCOMPARE(mode->schema->enumValues.size(), size_t(2));
    QCOMPARE(mode->schema->enumValues[1].value, std::string("1"));
    QCOMPARE(mode->schema->enumValues[1].displayName, std::string("On"));
    QCOMPARE(byName(pump->properties, "tags")->schema->kind, SchemaKind::Map);
    QCOMPARE(byName(pump->properties, "tags")->schema->mapValue->kind, SchemaKind::String);
    const auto *samples = byName(pump->telemetry, "samples");
    QCOMPARE(samples->schema->describe(), std::string("Array<float>"));
    const auto *pos = byName(pump->telemetry, "pos");
    QCOMPARE(pos->schema->fields.size(), size_t(2));
    QCOMPARE(pos->schema->fields[1].schema->kind, SchemaKind::UnsignedShort);
    const auto *start = byName(pump->commands, "start");
    QCOMPARE(start->requestName, std::string("speed"));
    QCOMPARE(start->request->kind, SchemaKind::Integer);
    QCOMPARE(start->response->kind, SchemaKind::Boolean);
    const auto *feeds = byName(pump->relationships, "feeds");
    QCOMPARE(feeds->target, std::string("dtmi:twin:test:Base;1"));
    QCOMPARE(feeds->minMultiplicity.value(), 0);
    QCOMPARE(feeds->maxMultiplicity.value(), 4);
    QVERIFY(feeds->writable);
    QCOMPARE(feeds->properties.size(), size_t(1));
    QCOMPARE(byName(pump->components, "motor")->schema, std::string("dtmi:twin:test:Motor;1"));

    TypeRegistry registry;
    for (const auto &t : r.types)
        registry.add(t);
    QVERIFY(registry.isA("dtmi:twin:test:Pump;1", "dtmi:twin:test:Base;1"));
    QVERIFY(registry.property("dtmi:twin:test:Pump;1", "serial"));
    QVERIFY(registry.property("dtmi:twin:test:Pump;1", "inlineProp"));
}

void TestDtdl::v2Model()
{
    const char *json = R"({
      "@context": "dtmi:dtdl:context;2", "@id": "dtmi:twin:test:Sensor;1", "@type": "Interface",
      "contents": [
        {"@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin"},
        {"@type": "Command", "name": "reboot", "commandType": "synchronous",
         "request": {"name": "delay", "schema": "duration"}},
        {"@type": "Property", "name": "p", "schema": {"@type": "Object", "fields": [{"name": "a", "schema": "long"}]}}
      ]})";
    const auto r = importOne(json);
    QVERIFY2(r.ok(), errorsText(r).c_str());
    QCOMPARE(r.types.size(), size_t(1));
    QCOMPARE(r.types[0].dtdlVersion, 2);
    QCOMPARE(r.types[0].telemetry[0].semanticType, std::string("Temperature"));
    QCOMPARE(r.types[0].commands[0].request->kind, SchemaKind::Duration);
    // v3-only primitives are not v2 schemas
    QVERIFY(!importOne(R"({"@context": "dtmi:dtdl:context;2", "@id": "dtmi:a:B;1", "@type": "Interface",
        "contents": [{"@type": "Property", "name": "u", "schema": "uuid"}]})")
                 .ok());
}

void TestDtdl::bomAndSingleObjectDocument()
{
    const std::string text =
        std::string("\xEF\xBB\xBF") +
        R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:a:B;1", "@type": "Interface"})";
    const auto r = importOne(text);
    QVERIFY2(r.ok(), errorsText(r).c_str());
    QCOMPARE(r.types.size(), size_t(1));
    QCOMPARE(r.types[0].id, std::string("dtmi:a:B;1"));
}

void TestDtdl::unresolvedReferences()
{
    const char *json = R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:a:B;1", "@type": "Interface",
        "extends": "dtmi:a:Missing;1"})";
    auto r = importOne(json);
    QVERIFY(r.ok());
    QCOMPARE(r.unresolvedReferences, std::vector<std::string>{"dtmi:a:Missing;1"});
    ImportOptions strict;
    strict.requireResolvedReferences = true;
    r = importOne(json, strict);
    QVERIFY(!r.ok());
    QVERIFY(r.errors[0].message.find("dtmi:a:Missing;1") != std::string::npos);
}

void TestDtdl::errors_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("path");
    const QString head = R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:a:B;1", "@type": "Interface", )";
    QTest::newRow("bad name") << head +
                                     R"("contents": [{"@type": "Property", "name": "ok", "schema": "double"},
        {"@type": "Property", "name": "9lives", "schema": "double"}]})"
                              << "NamePattern"
                              << "$.contents[1].name";
    QTest::newRow("bad schema")
        << head + R"("contents": [{"@type": "Property", "name": "x", "schema": "doubel"}]})"
        << "ElementReference"
        << "$.contents[0].schema";
    QTest::newRow("missing schema") << head + R"("contents": [{"@type": "Telemetry", "name": "x"}]})"
                                    << "RequiredProperties"
                                    << "$.contents[0]";
    QTest::newRow("duplicate name")
        << head + R"("contents": [{"@type": "Property", "name": "x", "schema": "double"},
        {"@type": "Telemetry", "name": "x", "schema": "double"}]})"
        << "NameUniqueAmongInterfaceContents"
        << "$.contents";
    QTest::newRow("unknown property") << head + R"("colour": "red"})"
                                      << "PropertyUndefinedTerm"
                                      << "$.colour";
    QTest::newRow("bad id") << R"({"@context": "dtmi:dtdl:context;3", "@id": "urn:x", "@type": "Interface"})"
                            << "IdIsDtmi"
                            << "$.@id";
    QTest::newRow("reserved id")
        << R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:dtdl:x;1", "@type": "Interface"})"
        << "DtmiReservedPrefixes"
        << "$.@id";
    QTest::newRow("no context") << R"({"@id": "dtmi:a:B;1", "@type": "Interface"})"
                                << "TopLevelDtdlContext"
                                << "$";
    QTest::newRow("unit without extension") << head + R"("contents": [{"@type": ["Property", "Temperature"],
        "name": "t", "schema": "double", "unit": "kelvin"}]})"
                                            << "TypeIncludesUndefinedTerm"
                                            << "$.contents[0].@type";
    QTest::newRow("wrong unit")
        << R"({"@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"],
        "@id": "dtmi:a:B;1", "@type": "Interface", "contents": [{"@type": ["Property", "Temperature"],
        "name": "t", "schema": "double", "unit": "metre"}]})"
        << "CotypePropertyValueFromTable"
        << "$.contents[0].unit";
    QTest::newRow("extends cycle") << head + R"("extends": {"@id": "dtmi:a:C;1", "@type": "Interface",
        "extends": "dtmi:a:B;1"}})"
                                   << "ExtendsSelfReference"
                                   << "$.extends";
    QTest::newRow("min multiplicity") << head + R"("contents": [{"@type": "Relationship", "name": "r",
        "minMultiplicity": 1}]})"
                                      << "MinMultiplicityExactValue"
                                      << "$.contents[0].minMultiplicity";
    QTest::newRow("long displayName v2") << R"({"@context": "dtmi:dtdl:context;2", "@id": "dtmi:a:B;1",
        "@type": "Interface", "displayName": ")" +
                                                QString(65, 'x') + R"("})"
                                         << "StringLength"
                                         << "$.displayName";
    QTest::newRow("syntax") << R"({"@context": )"
                            << "JsonSyntax"
                            << "$";
}

void TestDtdl::errors()
{
    QFETCH(QString, json);
    QFETCH(QString, rule);
    QFETCH(QString, path);
    const auto r =
        importDocuments({{"bad/model.json", json.toStdString()}}, ImportOptions{false, false, true});
    QVERIFY(!r.ok());
    const Issue &e = r.errors.front();
    QCOMPARE(QString::fromStdString(e.file), QString("bad/model.json"));
    QCOMPARE(QString::fromStdString(e.rule), rule);
    QCOMPARE(QString::fromStdString(e.jsonPath), path);
    const std::string text = e.toString();
    QVERIFY2(text.rfind("bad/model.json: " + path.toStdString() + ": " + rule.toStdString() + ": ", 0) == 0,
             text.c_str());
}

void TestDtdl::realEstateCore()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    const std::string rec = kData + "realestatecore-v3";
    const auto ontology = importPaths({rec + "/Ontology"});
    QVERIFY2(ontology.ok(), errorsText(ontology).substr(0, 2000).c_str());
    QCOMPARE(ontology.types.size(), size_t(767));
    QVERIFY(ontology.unresolvedReferences.empty());
    const auto all = importPaths({rec}); // Ontology + Deprecated/
    QVERIFY(all.ok());
    QCOMPARE(all.types.size(), size_t(768));
    QVERIFY(all.warnings.empty());

    TypeRegistry registry;
    for (const auto &t : ontology.types)
        registry.add(t);
    const std::string asset = "dtmi:digitaltwins:rec_3_3:core:Asset;1";
    const AssetType *assetType = registry.find(asset);
    QVERIFY(assetType);
    QCOMPARE(assetType->label(), std::string("Asset"));
    const auto *hasPart = registry.relationship(asset, "hasPart");
    QVERIFY(hasPart);
    QCOMPARE(hasPart->target, asset);
    const auto *tags = registry.property(asset, "customTags");
    QVERIFY(tags && tags->schema && tags->schema->kind == SchemaKind::Map);

    // Deep single inheritance: 8 levels of Setpoints up to Capability.
    const std::string inferred = "dtmi:digitaltwins:rec_3_3:device:InferredOccupancySetpoint;1";
    QVERIFY(registry.ancestors(inferred).size() >= 8);
    QVERIFY(registry.isA(inferred, "dtmi:digitaltwins:rec_3_3:core:Capability;1"));
    QVERIFY(!registry.isA(inferred, asset));
    // Multiple inheritance.
    const std::string jockey = "dtmi:digitaltwins:rec_3_3:asset:JockeyPump;1";
    QVERIFY(registry.isA(jockey, "dtmi:digitaltwins:rec_3_3:asset:Pump;1"));
    QVERIFY(registry.isA(jockey, "dtmi:digitaltwins:rec_3_3:asset:SprinklerEquipment;1"));
    QVERIFY(registry.isA(jockey, asset));
    QVERIFY(registry.property(jockey, "serialNumber")); // inherited from Asset
    QVERIFY(registry.relationships(jockey).size() >= assetType->relationships.size());

    // Units via the QuantitativeTypes extension.
    int withUnit = 0;
    for (const auto &t : ontology.types)
        for (const auto &p : t.properties)
            withUnit += p.unit.empty() ? 0 : 1;
    QVERIFY(withUnit > 10);
}

void TestDtdl::samples()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    const auto v2 = importPaths({kData + "dtdl-v2-samples"});
    QVERIFY2(v2.ok(), errorsText(v2).c_str());
    QCOMPARE(v2.types.size(), size_t(2));
    QCOMPARE(v2.unresolvedReferences,
             std::vector<std::string>{"dtmi:azure:DeviceManagement:DeviceInformation;1"});
    const AssetType *controller = findType(v2, "dtmi:com:example:TemperatureController;1");
    QVERIFY(controller);
    QVERIFY(controller->components.size() >= 2);

    const auto v3 = importPaths({kData + "dtdl-v3-samples"});
    QVERIFY2(v3.ok(), errorsText(v3).c_str());
    QVERIFY(v3.types.size() >= 6);
    QVERIFY(v3.unresolvedReferences.empty());
}

void TestDtdl::roundTripRich()
{
    const auto first = importDocuments({{"pump.json", kRichV3}, {"base.json", kBaseV3}});
    QVERIFY(first.ok());
    std::vector<Document> exported;
    for (const auto &t : first.types)
        exported.emplace_back(fileNameForDtmi(t.id), exportInterfaceV3(t));
    const std::string pumpText = exportInterfaceV3(*findType(first, "dtmi:twin:test:Pump;1"));
    QVERIFY(pumpText.find("dtmi:dtdl:extension:quantitativeTypes;1") != std::string::npos);
    QVERIFY(exportInterfaceV3(*findType(first, "dtmi:twin:test:Base;1")).find("quantitativeTypes") ==
            std::string::npos);
    const auto second = importDocuments(exported, ImportOptions{false, true});
    QVERIFY2(second.ok(), errorsText(second).c_str());
    QCOMPARE(second.types.size(), first.types.size());
    for (size_t i = 0; i < first.types.size(); ++i) {
        QCOMPARE(second.types[i].id, first.types[i].id);
        QCOMPARE(exportInterfaceV3(second.types[i]), exportInterfaceV3(first.types[i]));
        QCOMPARE(second.types[i].displayName, first.types[i].displayName);
        QCOMPARE(second.types[i].properties.size(), first.types[i].properties.size());
    }
}

void TestDtdl::roundTripRealEstateCore()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    const auto first = importPaths({kData + "realestatecore-v3/Ontology"});
    QVERIFY(first.ok());
    TypeRegistry registry;
    for (const auto &t : first.types)
        registry.add(t);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto status = exportDtdl(registry, dir.path().toStdString());
    QVERIFY2(status.ok(), status.ok() ? "" : status.error().c_str());
    const auto second = importPaths({dir.path().toStdString()}, ImportOptions{false, true});
    QVERIFY2(second.ok(), errorsText(second).substr(0, 2000).c_str());
    QCOMPARE(second.types.size(), first.types.size());
    for (size_t i = 0; i < first.types.size(); ++i) {
        QCOMPARE(second.types[i].id, first.types[i].id);
        QCOMPARE(second.types[i].extends, first.types[i].extends);
        QCOMPARE(second.types[i].displayName, first.types[i].displayName);
        QCOMPARE(exportInterfaceV3(second.types[i]), exportInterfaceV3(first.types[i]));
    }
}

void TestDtdl::limitsAreWarningsUnlessStrict()
{
    // A comment over 512 characters (a published energy-grid ontology has one), and a nested schema repeated
    // identically in two versions of a model: warnings naming file and path, the import proceeds. A second,
    // different definition of an @id stays an error, and strict refuses all of it (conformance).
    const std::string comment(600, 'c');
    const std::string schema = R"({"@id": "dtmi:a:Mode;1", "@type": "Enum", "valueSchema": "integer",
        "enumValues": [{"name": "off", "enumValue": 0}, {"name": "on", "enumValue": 1}]})";
    auto model = [&](int version, const std::string &nested) {
        return R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:a:Device;)" + std::to_string(version) +
               R"(", "@type": "Interface", "comment": ")" + comment + R"(", "contents": [{"@type": "Property",
               "name": "mode", "schema": )" +
               nested + "}]}";
    };
    const std::vector<Document> docs = {{"v1.json", model(1, schema)}, {"v2.json", model(2, schema)}};
    const auto lenient = importDocuments(docs);
    QVERIFY2(lenient.ok(), lenient.ok() ? "" : lenient.errors.front().toString().c_str());
    QCOMPARE(lenient.types.size(), std::size_t(2));
    bool longComment = false, repeated = false;
    for (const auto &w : lenient.warnings) {
        longComment =
            longComment || (w.rule == "StringLength" && w.jsonPath == "$.comment" && w.file == "v1.json");
        repeated = repeated || (w.rule == "IdDuplicate" && w.file == "v2.json" &&
                                w.message.find("identically") != std::string::npos);
    }
    QVERIFY(longComment && repeated);

    ImportOptions strict;
    strict.strict = true;
    const auto refused = importDocuments(docs, strict);
    QVERIFY(!refused.ok());
    QVERIFY(refused.errors.size() >= 3); // two long comments, the repeated id

    std::string changed = schema;
    changed.replace(changed.find("\"on\""), 4, "\"high\"");
    const auto different = importDocuments({{"v1.json", model(1, schema)}, {"v2.json", model(2, changed)}});
    QVERIFY(!different.ok());
    QCOMPARE(different.errors.front().rule, std::string("IdDuplicate"));
}

QTEST_GUILESS_MAIN(TestDtdl)
#include "tst_dtdl.moc"
#include "twin/model/dtdl/DtdlExporter.h"
#include "twin/model/dtdl/DtdlImporter.h"
