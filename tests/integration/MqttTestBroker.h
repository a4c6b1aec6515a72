#pragma once
// A real Mosquitto broker for tests: 127.0.0.1 only, a free port, config and persistence in a temporary
// folder, logging to stdout, started as `mosquitto -c <conf>` and stopped by its process id.
#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

class MqttTestBroker
{
public:
    MqttTestBroker();
    ~MqttTestBroker(); // stops the broker

    static QString executable(); // empty when mosquitto is not installed

    // Lines appended to the generated config (listener options such as TLS files, password_file).
    void setExtraConfig(const QString &lines) { m_extra = lines; }
    QString dir() const { return m_dir.path(); }

    // Picks a free loopback port on the first start; later starts reuse it. Waits until the port accepts.
    bool start(QString *error);
    // SIGTERM to the broker's pid (it saves its persistence file), waits for the exit.
    void stop();
    bool running() const { return m_process.state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    QByteArray log() const { return m_log; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QByteArray m_log;
    QString m_extra;
};
