#pragma once
// "Connect MQTT…": broker, protocol, client id, TLS files, credentials, topic filters, QoS and a mapping
// table (topic + JSON pointer field -> "tag.telemetry" signal). The settings are saved in the project meta
// (kMetaKey) without the password: the password lives in memory for this session only.
// Tests fill the widgets (or use setters) and call connectMqtt() (LiveActions.h) without exec().
#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace twin::model {
struct Project;
}

namespace twin::ui {

class MqttConnectDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr const char *kMetaKey = "connection:mqtt";

    // Reads the saved settings from the project meta; the signal combo lists the project's telemetry.
    explicit MqttConnectDialog(const model::Project &project, QWidget *parent = nullptr);

    // Settings as saved in the project meta (never a password).
    QJsonObject settings() const;
    void setSettings(const QJsonObject &settings);
    // The conn-mqtt configuration (plugins/README.md), password included.
    QByteArray connectorConfig() const;
    QString endpoint() const; // "host:port"
    // Signals offered in the mapping table: "<tag or name>.<telemetry>" for every asset telemetry.
    static QStringList projectSignals(const model::Project &project);

    void setHost(const QString &host);
    void setPort(int port);
    void setClientId(const QString &id);
    void setTopics(const QString &filters); // space or comma separated
    void setQos(int qos);
    void setPassword(const QString &password);
    void clearMappings();
    void addMapping(const QString &topic, const QString &field, const QString &signal);
    int mappingCount() const;

private:
    void browse(QLineEdit *edit, const QString &title);
    void rememberPassword() const;

    QStringList m_signals;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QComboBox *m_protocol;
    QLineEdit *m_clientId;
    QGroupBox *m_tls;
    QLineEdit *m_caFile, *m_certFile, *m_keyFile;
    QLineEdit *m_username, *m_password;
    QLineEdit *m_topics;
    QComboBox *m_qos;
    QTableWidget *m_mappings;
};

} // namespace twin::ui
