#include "twin/ui/import/ImportPages.h"

#include "twin/formats/Units.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/plot/PlotAxes.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <set>

namespace twin::ui {
namespace {
enum Column
{
    NameColumn,
    SampleColumn,
    AssetColumn,
    TelemetryColumn,
    UnitColumn,
    ColumnCount
};

QComboBox *combo(QTableWidget *table, int row, int column)
{
    return qobject_cast<QComboBox *>(table->cellWidget(row, column));
}

QString mappingName(const QString &path)
{
    return QFileInfo(path).fileName();
}
} // namespace

ImportMappingPage::ImportMappingPage(ProjectDocument &document, ImportState &state, QWidget *parent)
    : QWizardPage(parent), m_document(document), m_state(state)
{
    setTitle(tr("Map columns to asset telemetry"));
    setSubTitle(tr("Each numeric column can feed one telemetry of one asset. Values are converted from the "
                   "source unit to the model's unit. Columns left unmapped are not imported."));
    auto *layout = new QVBoxLayout(this);
    m_info = new QLabel(this);
    m_info->setWordWrap(true);
    layout->addWidget(m_info);
    m_table = new QTableWidget(this);
    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels(
        {tr("Column"), tr("First value"), tr("Asset"), tr("Telemetry"), tr("Source unit")});
    m_table->horizontalHeader()->setSectionResizeMode(AssetColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(m_table, 1);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #b91c1c");
    layout->addWidget(m_error);
}

QString ImportMappingPage::errorText() const
{
    return m_error->text();
}

void ImportMappingPage::initializePage()
{
    const model::Project &project = m_document.project();
    const model::CsvPreview &p = m_state.preview;
    m_error->clear();
    // The mapping saved for this file name wins over the suggestion.
    const std::string name = mappingName(m_state.path).toStdString();
    std::vector<model::ColumnMapping> initial;
    if (auto saved = model::savedMapping(project, name)) {
        initial = saved->columns;
        m_info->setText(
            tr("Using the mapping saved in the project for %1.").arg(QString::fromStdString(name)));
    } else {
        initial = model::suggestMapping(project, p).columns;
        m_info->setText(initial.empty() ? tr("No column matched a telemetry by name; map them by hand.")
                                        : tr("%n column(s) matched by name and unit; check them.", nullptr,
                                             int(initial.size())));
    }
    std::vector<QString> assets;
    for (model::AssetId id : project.graph.allIds())
        if (!project.types.telemetry(project.graph.find(id)->typeId).empty())
            assets.push_back(QString::fromStdString(project.graph.path(id)));

    m_table->setRowCount(0);
    for (std::size_t c = 0; c < p.columns.size(); ++c) {
        const auto &col = p.columns[c];
        if (int(c) == p.timestampColumn ||
            (col.kind != model::ColumnKind::Number && col.kind != model::ColumnKind::Bool))
            continue;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto *nameItem = new QTableWidgetItem(QString::fromStdString(col.name));
        nameItem->setFlags(Qt::ItemIsEnabled);
        m_table->setItem(row, NameColumn, nameItem);
        const QString sample =
            p.rows.empty() || c >= p.rows[0].size() ? QString() : QString::fromStdString(p.rows[0][c]);
        auto *sampleItem = new QTableWidgetItem(sample);
        sampleItem->setFlags(Qt::ItemIsEnabled);
        m_table->setItem(row, SampleColumn, sampleItem);
        auto *asset = new QComboBox(m_table);
        asset->addItem(tr("(not imported)"), QString());
        for (const QString &a : assets)
            asset->addItem(a, a);
        m_table->setCellWidget(row, AssetColumn, asset);
        m_table->setCellWidget(row, TelemetryColumn, new QComboBox(m_table));
        m_table->setCellWidget(row, UnitColumn, new QComboBox(m_table));
        auto *telemetry = combo(m_table, row, TelemetryColumn);
        connect(asset, &QComboBox::currentIndexChanged, this, [this, row] { fillTelemetry(row); });
        connect(telemetry, &QComboBox::currentIndexChanged, this,
                [this, row, unit = col.unit] { fillUnits(row, unit); });
        fillTelemetry(row);
    }
    for (const auto &m : initial)
        setColumnTarget(QString::fromStdString(m.column), QString::fromStdString(m.assetPath),
                        QString::fromStdString(m.telemetry), QString::fromStdString(m.unit));
    m_table->resizeColumnToContents(NameColumn);
    m_table->resizeColumnToContents(TelemetryColumn);
}

void ImportMappingPage::fillTelemetry(int row)
{
    const model::Project &project = m_document.project();
    QComboBox *telemetry = combo(m_table, row, TelemetryColumn);
    const QString path = combo(m_table, row, AssetColumn)->currentData().toString();
    telemetry->blockSignals(true);
    telemetry->clear();
    for (model::AssetId id : project.graph.allIds()) {
        if (path.isEmpty() || project.graph.path(id) != path.toStdString())
            continue;
        for (const auto *t : project.types.telemetry(project.graph.find(id)->typeId))
            telemetry->addItem(
                QString::fromStdString(t->name) +
                    (t->unit.empty() ? QString() : QStringLiteral(" [%1]").arg(unitSymbol(t->unit))),
                QStringList{QString::fromStdString(t->name), QString::fromStdString(t->unit)});
        break;
    }
    telemetry->setEnabled(telemetry->count() > 0);
    telemetry->blockSignals(false);
    const QTableWidgetItem *name = m_table->item(row, NameColumn);
    std::string guess;
    for (const auto &c : m_state.preview.columns)
        if (name && c.name == name->text().toStdString())
            guess = c.unit;
    fillUnits(row, guess);
}

void ImportMappingPage::fillUnits(int row, const std::string &preferred)
{
    QComboBox *units = combo(m_table, row, UnitColumn);
    const QStringList target = combo(m_table, row, TelemetryColumn)->currentData().toStringList();
    units->clear();
    const std::string modelUnit = target.size() == 2 ? target[1].toStdString() : std::string();
    if (target.isEmpty() || modelUnit.empty()) {
        units->addItem(target.isEmpty() ? QString() : tr("(no unit)"), QString());
        units->setEnabled(false);
        return;
    }
    units->setEnabled(true);
    for (const std::string &u : model::unitsOfKind(model::quantityKind(modelUnit)))
        units->addItem(u == modelUnit ? tr("%1 (model unit)").arg(QString::fromStdString(u))
                                      : QString::fromStdString(u),
                       QString::fromStdString(u));
    const auto canonical = model::canonicalUnit(preferred);
    const int index = units->findData(QString::fromStdString(canonical ? *canonical : modelUnit));
    units->setCurrentIndex(index >= 0 ? index
                                      : std::max(0, units->findData(QString::fromStdString(modelUnit))));
}

int ImportMappingPage::rowOf(const QString &column) const
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, NameColumn)->text() == column)
            return r;
    return -1;
}

bool ImportMappingPage::setColumnTarget(const QString &column, const QString &assetPath,
                                        const QString &telemetry, const QString &unit)
{
    const int row = rowOf(column);
    if (row < 0)
        return false;
    QComboBox *asset = combo(m_table, row, AssetColumn);
    const int a = asset->findData(assetPath);
    if (a < 0)
        return false;
    asset->setCurrentIndex(a);
    if (assetPath.isEmpty())
        return true;
    QComboBox *t = combo(m_table, row, TelemetryColumn);
    int ti = -1;
    for (int i = 0; i < t->count(); ++i)
        if (t->itemData(i).toStringList().value(0) == telemetry)
            ti = i;
    if (ti < 0)
        return false;
    t->setCurrentIndex(ti);
    fillUnits(row, unit.toStdString());
    if (unit.isEmpty())
        return true;
    const auto canonical = model::canonicalUnit(unit.toStdString());
    QComboBox *u = combo(m_table, row, UnitColumn);
    const int ui = u->findData(QString::fromStdString(canonical ? *canonical : unit.toStdString()));
    if (ui < 0)
        return false;
    u->setCurrentIndex(ui);
    return true;
}

QString ImportMappingPage::columnTarget(const QString &column) const
{
    const int row = rowOf(column);
    if (row < 0 || combo(m_table, row, AssetColumn)->currentData().toString().isEmpty())
        return {};
    return combo(m_table, row, AssetColumn)->currentData().toString() + '|' +
           combo(m_table, row, TelemetryColumn)->currentData().toStringList().value(0) + '|' +
           combo(m_table, row, UnitColumn)->currentData().toString();
}

bool ImportMappingPage::validatePage()
{
    m_state.mapping.columns.clear();
    std::set<std::pair<QString, QString>> targets;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString asset = combo(m_table, r, AssetColumn)->currentData().toString();
        if (asset.isEmpty())
            continue;
        const QString telemetry = combo(m_table, r, TelemetryColumn)->currentData().toStringList().value(0);
        const QString column = m_table->item(r, NameColumn)->text();
        if (telemetry.isEmpty()) {
            m_error->setText(tr("Column '%1': %2 has no telemetry to map to.").arg(column, asset));
            return false;
        }
        if (!targets.insert({asset, telemetry}).second) {
            m_error->setText(
                tr("Column '%1': %2 · %3 is already fed by another column.").arg(column, asset, telemetry));
            return false;
        }
        model::ColumnMapping m;
        m.column = column.toStdString();
        m.assetPath = asset.toStdString();
        m.telemetry = telemetry.toStdString();
        m.unit = combo(m_table, r, UnitColumn)->currentData().toString().toStdString();
        m_state.mapping.columns.push_back(std::move(m));
    }
    if (m_state.mapping.columns.empty()) {
        m_error->setText(tr("Map at least one column to an asset's telemetry."));
        return false;
    }
    m_error->clear();
    return true;
}

} // namespace twin::ui
