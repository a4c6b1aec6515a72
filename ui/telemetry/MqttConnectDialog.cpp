#include "twin/ui/telemetry/MqttConnectDialog.h"

#include "twin/model/project/Project.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace twin::ui {

namespace {
// Passwords typed in this session, by "user@host:port". Never written anywhere.
QHash<QString, QString> &sessionPasswords()
{
    static QHash<QString, QString> passwords;
    return passwords;
}

enum MappingColumn
{
    TopicColumn,
    FieldColumn,
    SignalColumn
};
} // namespace

QStringList MqttConnectDialog::projectSignals(const model::Project &project)
{
    QStringList out;
    for (model::AssetId id : project.graph.allIds()) {
        const model::Asset &asset = *project.graph.find(id);
        std::string who = asset.name;
        if (auto it = asset.properties.find("tag"); it != asset.properties.end())
            who = model::valueToString(it->second);
        for (const auto *t : project.types.telemetry(asset.typeId))
            out.append(QString::fromStdString(who + "." + t->name));
    }
    return out;
}

MqttConnectDialog::MqttConnectDialog(const model::Project &project, QWidget *parent)
    : QDialog(parent), m_signals(projectSignals(project))
{
    setObjectName("mqttConnectDialog");
    setWindowTitle(tr("Connect MQTT"));
    auto *form = new QFormLayout;
    m_host = new QLineEdit(QStringLiteral("127.0.0.1"), this);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(1883);
    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port"), this));
    hostRow->addWidget(m_port);
    form->addRow(tr("Broker"), hostRow);
    m_protocol = new QComboBox(this);
    m_protocol->addItem(QStringLiteral("MQTT 3.1.1"), QStringLiteral("3.1.1"));
    m_protocol->addItem(QStringLiteral("MQTT 5"), QStringLiteral("5"));
    form->addRow(tr("Protocol"), m_protocol);
    m_clientId = new QLineEdit(QStringLiteral("twinworks"), this);
    m_clientId->setToolTip(tr("A fixed id keeps a persistent session: the broker queues QoS 1 messages "
                              "while the workbench is away"));
    form->addRow(tr("Client id"), m_clientId);

    m_tls = new QGroupBox(tr("TLS"), this);
    m_tls->setCheckable(true);
    m_tls->setChecked(false);
    auto *tlsForm = new QFormLayout(m_tls);
    auto fileRow = [this, tlsForm](const QString &label, QLineEdit *&edit) {
        edit = new QLineEdit(this);
        auto *row = new QHBoxLayout;
        auto *button = new QPushButton(tr("…"), this);
        connect(button, &QPushButton::clicked, this, [this, edit, label] { browse(edit, label); });
        row->addWidget(edit, 1);
        row->addWidget(button);
        tlsForm->addRow(label, row);
    };
    fileRow(tr("CA file"), m_caFile);
    fileRow(tr("Client certificate"), m_certFile);
    fileRow(tr("Client key"), m_keyFile);

    auto *auth = new QFormLayout;
    m_username = new QLineEdit(this);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setObjectName("mqttPassword");
    auth->addRow(tr("User name"), m_username);
    auth->addRow(tr("Password"), m_password);
    auto *note = new QLabel(tr("The password is kept in memory for this session only; it is never saved "
                               "in the project."),
                            this);
    note->setWordWrap(true);
    note->setStyleSheet("color: gray");
    auth->addRow(QString(), note);

    m_topics = new QLineEdit(QStringLiteral("#"), this);
    m_topics->setToolTip(tr("Subscription filters separated by spaces; wildcards + and # allowed"));
    m_qos = new QComboBox(this);
    m_qos->addItem(tr("0 (at most once)"), 0);
    m_qos->addItem(tr("1 (at least once)"), 1);
    m_qos->setCurrentIndex(1);
    auto *subs = new QFormLayout;
    subs->addRow(tr("Topic filters"), m_topics);
    subs->addRow(tr("QoS"), m_qos);

    m_mappings = new QTableWidget(0, 3, this);
    m_mappings->setObjectName("mqttMappings");
    m_mappings->setHorizontalHeaderLabels({tr("Topic"), tr("JSON pointer"), tr("Signal (tag.telemetry)")});
    m_mappings->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_mappings->verticalHeader()->hide();
    auto *add = new QPushButton(tr("Add mapping"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    connect(add, &QPushButton::clicked, this,
            [this] { addMapping(QStringLiteral("plant/#"), "/value", {}); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_mappings->currentRow() >= 0)
            m_mappings->removeRow(m_mappings->currentRow());
    });
    auto *mapButtons = new QHBoxLayout;
    mapButtons->addWidget(add);
    mapButtons->addWidget(remove);
    mapButtons->addStretch();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_tls);
    layout->addLayout(auth);
    layout->addLayout(subs);
    layout->addWidget(
        new QLabel(tr("Mappings (records without one are matched by topic/field name):"), this));
    layout->addWidget(m_mappings, 1);
    layout->addLayout(mapButtons);
    layout->addWidget(buttons);
    resize(640, 600);

    auto it = project.meta.find(kMetaKey);
    if (it != project.meta.end())
        setSettings(QJsonDocument::fromJson(QByteArray::fromStdString(it->second)).object());
}

void MqttConnectDialog::browse(QLineEdit *edit, const QString &title)
{
    const QString path = QFileDialog::getOpenFileName(this, title, edit->text());
    if (!path.isEmpty())
        edit->setText(path);
}

QJsonObject MqttConnectDialog::settings() const
{
    QJsonObject o;
    o["host"] = m_host->text().trimmed();
    o["port"] = m_port->value();
    o["protocol"] = m_protocol->currentData().toString();
    o["clientId"] = m_clientId->text().trimmed();
    if (m_tls->isChecked()) {
        o["tls"] = true;
        o["caFile"] = m_caFile->text();
        o["certFile"] = m_certFile->text();
        o["keyFile"] = m_keyFile->text();
    }
    if (!m_username->text().isEmpty())
        o["username"] = m_username->text();
    QJsonArray topics;
    for (const QString &t : m_topics->text().split(QRegularExpression("[\\s,]+"), Qt::SkipEmptyParts))
        topics.append(t);
    o["topics"] = topics;
    o["qos"] = m_qos->currentData().toInt();
    QJsonArray mappings;
    for (int row = 0; row < m_mappings->rowCount(); ++row) {
        auto *combo = qobject_cast<QComboBox *>(m_mappings->cellWidget(row, SignalColumn));
        const QString topic =
            m_mappings->item(row, TopicColumn) ? m_mappings->item(row, TopicColumn)->text() : "";
        const QString field =
            m_mappings->item(row, FieldColumn) ? m_mappings->item(row, FieldColumn)->text() : "";
        const QString signal = combo ? combo->currentText().trimmed() : QString();
        if (!topic.isEmpty() && !signal.isEmpty())
            mappings.append(QJsonObject{{"topic", topic}, {"field", field}, {"signal", signal}});
    }
    o["mappings"] = mappings;
    return o;
}

void MqttConnectDialog::setSettings(const QJsonObject &o)
{
    if (o.contains("host"))
        m_host->setText(o["host"].toString());
    if (o.contains("port"))
        m_port->setValue(o["port"].toInt(1883));
    m_protocol->setCurrentIndex(o["protocol"].toString() == "5" ? 1 : 0);
    if (o.contains("clientId"))
        m_clientId->setText(o["clientId"].toString());
    m_tls->setChecked(o["tls"].toBool());
    m_caFile->setText(o["caFile"].toString());
    m_certFile->setText(o["certFile"].toString());
    m_keyFile->setText(o["keyFile"].toString());
    m_username->setText(o["username"].toString());
    QStringList topics;
    for (const QJsonValue &t : o["topics"].toArray())
        topics.append(t.toString());
    if (!topics.isEmpty())
        m_topics->setText(topics.join(' '));
    if (o.contains("qos"))
        setQos(o["qos"].toInt(1));
    clearMappings();
    for (const QJsonValue &v : o["mappings"].toArray()) {
        const QJsonObject m = v.toObject();
        addMapping(m["topic"].toString(), m["field"].toString(), m["signal"].toString());
    }
    m_password->setText(sessionPasswords().value(m_username->text() + '@' + endpoint()));
}

QByteArray MqttConnectDialog::connectorConfig() const
{
    QJsonObject o = settings();
    if (o["clientId"].toString().isEmpty()) {
        o.remove("clientId");
        o["cleanSession"] = true;
    }
    if (!m_password->text().isEmpty())
        o["password"] = m_password->text();
    rememberPassword();
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void MqttConnectDialog::rememberPassword() const
{
    if (!m_password->text().isEmpty())
        sessionPasswords().insert(m_username->text() + '@' + endpoint(), m_password->text());
}

QString MqttConnectDialog::endpoint() const
{
    return QStringLiteral("%1:%2").arg(m_host->text().trimmed()).arg(m_port->value());
}

void MqttConnectDialog::setHost(const QString &host)
{
    m_host->setText(host);
}
void MqttConnectDialog::setPort(int port)
{
    m_port->setValue(port);
}
void MqttConnectDialog::setClientId(const QString &id)
{
    m_clientId->setText(id);
}
void MqttConnectDialog::setTopics(const QString &filters)
{
    m_topics->setText(filters);
}
void MqttConnectDialog::setQos(int qos)
{
    m_qos->setCurrentIndex(qos == 0 ? 0 : 1);
}
void MqttConnectDialog::setPassword(const QString &password)
{
    m_password->setText(password);
}
void MqttConnectDialog::clearMappings()
{
    m_mappings->setRowCount(0);
}
int MqttConnectDialog::mappingCount() const
{
    return m_mappings->rowCount();
}

void MqttConnectDialog::addMapping(const QString &topic, const QString &field, const QString &signal)
{
    const int row = m_mappings->rowCount();
    m_mappings->insertRow(row);
    m_mappings->setItem(row, TopicColumn, new QTableWidgetItem(topic));
    m_mappings->setItem(row, FieldColumn, new QTableWidgetItem(field));
    auto *combo = new QComboBox(m_mappings);
    combo->setEditable(true);
    combo->addItems(m_signals);
    combo->setCurrentText(signal);
    m_mappings->setCellWidget(row, SignalColumn, combo);
}

} // namespace twin::ui
