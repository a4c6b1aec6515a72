#include "twin/ui/assets/PropertyEditor.h"
#include "twin/ui/widgets/QtStrings.h"

#include "twin/model/commands/AssetCommands.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/validate/PropertyValidator.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace twin::ui {
using namespace twin::model;

namespace {

QString tooltipFor(const PropertyDescriptor &d)
{
    QString tip = qs(pickText(d.description));
    if (d.schema)
        tip += (tip.isEmpty() ? "" : "\n") + QObject::tr("Schema: %1").arg(qs(d.schema->describe()));
    if (!d.unit.empty())
        tip += "\n" + QObject::tr("Unit: %1").arg(qs(d.unit));
    if (d.minimum || d.maximum)
        tip += "\n" + QObject::tr("Range: %1 … %2")
                          .arg(d.minimum ? QString::number(*d.minimum) : "-∞",
                               d.maximum ? QString::number(*d.maximum) : "∞");
    return tip;
}
} // namespace

PropertyEditor::PropertyEditor(ProjectDocument &document, QWidget *parent)
    : QWidget(parent), m_document(document)
{
    auto *outer = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    outer->addWidget(m_title);
    m_name = new QLineEdit(this);
    m_name->setObjectName("nameEdit");
    m_name->setPlaceholderText(tr("Name"));
    outer->addWidget(m_name);
    connect(m_name, &QLineEdit::editingFinished, this, [this] {
        const Asset *asset = m_document.project().graph.find(m_asset);
        const QString name = m_name->text().trimmed();
        if (!asset || name.isEmpty() || name.toStdString() == asset->name)
            return;
        showError(m_document.execute(std::make_unique<RenameCommand>(m_asset, name.toStdString())));
    });

    // The mesh drawn for every asset of this type (project meta "mesh:<type>"); not undoable.
    auto *meshRow = new QHBoxLayout();
    meshRow->addWidget(new QLabel(tr("Type mesh"), this));
    m_typeMesh = new QComboBox(this);
    m_typeMesh->setObjectName("typeMeshCombo");
    m_typeMesh->setToolTip(tr("Mesh drawn for all assets of this type"));
    meshRow->addWidget(m_typeMesh, 1);
    outer->addLayout(meshRow);
    connect(m_typeMesh, &QComboBox::activated, this, &PropertyEditor::applyTypeMesh);
    connect(&document, &ProjectDocument::typeMeshChanged, this, &PropertyEditor::refreshTypeMesh);

    auto *placement = new QGroupBox(tr("Placement"), this);
    m_placementBox = placement;
    auto *grid = new QGridLayout(placement);
    const char *rows[] = {"Position (m)", "Rotation (°)", "Scale"};
    const char *axes[] = {"x", "y", "z"};
    for (int r = 0; r < 3; ++r) {
        grid->addWidget(new QLabel(tr(rows[r]), placement), r, 0);
        for (int c = 0; c < 3; ++c) {
            auto *spin = new QDoubleSpinBox(placement);
            spin->setObjectName(QString("placement_%1_%2").arg(r).arg(axes[c]));
            spin->setDecimals(3);
            spin->setRange(r == 2 ? 0.001 : -1e6, 1e6);
            spin->setSingleStep(r == 1 ? 5.0 : 0.1);
            spin->setKeyboardTracking(false);
            m_placement[r * 3 + c] = spin;
            grid->addWidget(spin, r, c + 1);
            connect(spin, &QDoubleSpinBox::valueChanged, this, &PropertyEditor::applyPlacement);
            connect(spin, &QDoubleSpinBox::editingFinished, this, [this] { m_document.undoStack().seal(); });
        }
    }
    outer->addWidget(placement);

    m_error = new QLabel(this);
    m_error->setObjectName("propertyError");
    m_error->setStyleSheet("color: #c0392b;");
    m_error->setWordWrap(true);
    m_error->hide();
    outer->addWidget(m_error);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_form = new QWidget(scroll);
    m_formLayout = new QFormLayout(m_form);
    scroll->setWidget(m_form);
    outer->addWidget(scroll, 1);

    connect(&document.selection(), &SelectionModel::selectionChanged, this, &PropertyEditor::rebuild);
    connect(&document, &ProjectDocument::projectReplaced, this, &PropertyEditor::rebuild);
    connect(&document, &ProjectDocument::typesChanged, this, &PropertyEditor::rebuild);
    connect(&document, &ProjectDocument::undoStateChanged, this, &PropertyEditor::refreshValues);
    rebuild();
}

QString PropertyEditor::lastError() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void PropertyEditor::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void PropertyEditor::rebuild()
{
    m_asset = m_document.selection().current();
    m_refreshers.clear();
    while (m_formLayout->rowCount() > 0)
        m_formLayout->removeRow(0);
    showError({});
    const Asset *asset = m_document.project().graph.find(m_asset);
    m_name->setEnabled(asset);
    m_placementBox->setEnabled(asset);
    refreshTypeMesh();
    if (!asset) {
        m_title->setText(tr("<i>Select an asset to edit its properties.</i>"));
        QSignalBlocker block(m_name);
        m_name->clear();
        return;
    }
    const AssetType *type = m_document.project().types.find(asset->typeId);
    m_title->setText(QString("<b>%1</b><br><small>%2</small>")
                         .arg(type ? qs(type->label()).toHtmlEscaped() : tr("Unknown type"),
                              qs(asset->typeId).toHtmlEscaped()));
    for (const PropertyDescriptor *d : m_document.project().types.properties(asset->typeId)) {
        QString label = qs(pickText(d->displayName, d->name));
        if (!d->unit.empty())
            label += QString(" [%1]").arg(qs(d->unit));
        auto *labelWidget = new QLabel(label, m_form);
        labelWidget->setToolTip(tooltipFor(*d));
        m_formLayout->addRow(labelWidget, createEditor(*d));
    }
    refreshValues();
}

QWidget *PropertyEditor::createEditor(const PropertyDescriptor &d)
{
    const SchemaKind kind = d.schema ? d.schema->kind : SchemaKind::String;
    const QString objectName = "prop_" + qs(d.name);
    auto current = [this, name = d.name]() -> Value {
        const Asset *asset = m_document.project().graph.find(m_asset);
        if (!asset)
            return {};
        auto it = asset->properties.find(name);
        return it == asset->properties.end() ? Value{} : it->second;
    };
    QWidget *editor = nullptr;
    if (kind == SchemaKind::Enum) {
        auto *combo = new QComboBox(m_form);
        combo->addItem(tr("(unset)"), QString());
        for (const auto &ev : d.schema->enumValues)
            combo->addItem(qs(ev.displayName.empty() ? ev.name : ev.displayName), qs(ev.name));
        connect(combo, &QComboBox::activated, this,
                [this, &d, combo](int i) { applyText(d, combo->itemData(i).toString(), combo); });
        m_refreshers[d.name] = [this, combo, &d, current] {
            QSignalBlocker block(combo);
            const std::string text = valueToString(current());
            int found = 0;
            for (size_t i = 0; i < d.schema->enumValues.size(); ++i)
                if (d.schema->enumValues[i].name == text || d.schema->enumValues[i].value == text)
                    found = int(i) + 1;
            combo->setCurrentIndex(found);
        };
        editor = combo;
    } else if (kind == SchemaKind::Boolean) {
        auto *check = new QCheckBox(m_form);
        connect(check, &QCheckBox::clicked, this,
                [this, &d, check](bool on) { applyText(d, on ? "true" : "false", check); });
        m_refreshers[d.name] = [check, current] {
            QSignalBlocker block(check);
            const Value v = current();
            check->setChecked(std::holds_alternative<bool>(v) && std::get<bool>(v));
        };
        editor = check;
    } else {
        auto *line = new QLineEdit(m_form);
        if (isNumeric(kind))
            line->setPlaceholderText(isIntegral(kind) ? tr("integer") : tr("number"));
        connect(line, &QLineEdit::editingFinished, this, [this, &d, line, current] {
            if (line->text() != qs(valueToString(current())))
                applyText(d, line->text(), line);
        });
        m_refreshers[d.name] = [line, current] {
            if (!line->hasFocus() || line->text().isEmpty()) {
                QSignalBlocker block(line);
                line->setText(qs(valueToString(current())));
            }
        };
        editor = line;
    }
    editor->setObjectName(objectName);
    editor->setToolTip(tooltipFor(d));
    editor->setEnabled(true);
    return editor;
}

void PropertyEditor::applyText(const PropertyDescriptor &d, const QString &text, QWidget *editor)
{
    auto parsed = parsePropertyValue(d, text.toStdString());
    if (!parsed) {
        editor->setStyleSheet("border: 1px solid #c0392b;");
        showError(qs(parsed.error()));
        return;
    }
    editor->setStyleSheet({});
    showError(m_document.execute(std::make_unique<SetPropertyCommand>(m_asset, d.name, parsed.value())));
    m_document.undoStack().seal(); // text edits are separate steps; spin boxes merge
}

void PropertyEditor::refreshValues()
{
    const Asset *asset = m_document.project().graph.find(m_asset);
    if (!asset) {
        if (m_asset != kNoAsset)
            rebuild();
        return;
    }
    if (!m_name->hasFocus()) {
        QSignalBlocker block(m_name);
        m_name->setText(qs(asset->name));
    }
    const auto &p = asset->placement;
    const float values[9] = {p.position[0], p.position[1], p.position[2], p.rotation[0], p.rotation[1],
                             p.rotation[2], p.scale[0],    p.scale[1],    p.scale[2]};
    for (int i = 0; i < 9; ++i) {
        QSignalBlocker block(m_placement[i]);
        m_placement[i]->setValue(values[i]);
    }
    for (auto &[name, refresh] : m_refreshers)
        refresh();
}

void PropertyEditor::applyPlacement()
{
    if (!m_document.project().graph.find(m_asset))
        return;
    Placement p;
    for (int i = 0; i < 3; ++i) {
        p.position[size_t(i)] = float(m_placement[i]->value());
        p.rotation[size_t(i)] = float(m_placement[3 + i]->value());
        p.scale[size_t(i)] = float(m_placement[6 + i]->value());
    }
    showError(m_document.execute(
        std::make_unique<SetPlacementCommand>(std::map<AssetId, Placement>{{m_asset, p}})));
}

void PropertyEditor::refreshTypeMesh()
{
    QSignalBlocker block(m_typeMesh);
    m_typeMesh->clear();
    const Asset *asset = m_document.project().graph.find(m_asset);
    m_typeMesh->setEnabled(asset);
    if (!asset)
        return;
    const QString mesh = qs(meshForType(m_document.project(), asset->typeId));
    const std::pair<const char *, const char *> kinds[] = {
        {"Cube", "cube"}, {"Cylinder", "cylinder"}, {"Sphere", "sphere"}, {"None", "none"}};
    for (const auto &[label, key] : kinds)
        m_typeMesh->addItem(tr(label), QString::fromLatin1(key));
    if (mesh.startsWith("file:")) {
        m_typeMesh->addItem(QFileInfo(mesh.mid(5)).fileName(), mesh);
        m_typeMesh->setItemData(m_typeMesh->count() - 1, mesh.mid(5), Qt::ToolTipRole);
    }
    m_typeMesh->addItem(tr("File…"), QString());
    const int current = m_typeMesh->findData(mesh);
    m_typeMesh->setCurrentIndex(current >= 0 ? current : 0); // unknown hints draw as cubes
}

void PropertyEditor::applyTypeMesh(int index)
{
    const Asset *asset = m_document.project().graph.find(m_asset);
    if (!asset)
        return;
    const std::string typeId = asset->typeId;
    QString mesh = m_typeMesh->itemData(index).toString();
    if (mesh.isEmpty()) { // File…
        const QString projectFile = m_document.filePath();
        const QString folder = projectFile.isEmpty() ? QString() : QFileInfo(projectFile).absolutePath();
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Mesh for %1").arg(m_title->text().section("<br>", 0, 0).remove("<b>").remove("</b>")),
            folder, tr("Meshes (*.stl *.obj *.ply *.gltf *.glb);;All files (*)"));
        if (path.isEmpty()) {
            refreshTypeMesh();
            return;
        }
        // Inside the project's folder: store it relative, so the project can move with its meshes.
        const QString relative = folder.isEmpty() ? QString() : QDir(folder).relativeFilePath(path);
        mesh = "file:" + (relative.isEmpty() || relative.startsWith("..") ? path : relative);
    }
    m_document.setTypeMesh(typeId, mesh.toStdString());
    refreshTypeMesh();
}

} // namespace twin::ui
