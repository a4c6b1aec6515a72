#pragma once
// Editor for the current asset, generated from its type's property descriptors
// (schema, unit, enum, min/max, description). Every change is an undoable command.
#include "twin/model/graph/Asset.h"

#include <QWidget>
#include <functional>
#include <map>

class QFormLayout;
class QLabel;
class QLineEdit;
class QDoubleSpinBox;
class QComboBox;

namespace twin::model {
struct PropertyDescriptor;
}

namespace twin::ui {

class ProjectDocument;

class PropertyEditor : public QWidget
{
    Q_OBJECT
public:
    explicit PropertyEditor(ProjectDocument &document, QWidget *parent = nullptr);
    QString lastError() const;

private:
    void rebuild();       // the current asset changed: regenerate the form
    void refreshValues(); // the same asset changed: update the widgets in place
    QWidget *createEditor(const model::PropertyDescriptor &descriptor);
    void applyText(const model::PropertyDescriptor &descriptor, const QString &text, QWidget *editor);
    void applyPlacement();
    void refreshTypeMesh();        // shows the current type's mesh in the "Type mesh" combo
    void applyTypeMesh(int index); // the user picked an entry (File… opens a file dialog)
    void showError(const QString &message);

    ProjectDocument &m_document;
    model::AssetId m_asset = model::kNoAsset;
    QLabel *m_title;
    QLineEdit *m_name;
    QLabel *m_error;
    QWidget *m_placementBox;
    QComboBox *m_typeMesh;
    QDoubleSpinBox *m_placement[9] = {};
    QWidget *m_form = nullptr;
    QFormLayout *m_formLayout = nullptr;
    std::map<std::string, std::function<void()>> m_refreshers; // property name -> update widget
};

} // namespace twin::ui
