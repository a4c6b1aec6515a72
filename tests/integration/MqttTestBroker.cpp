#include "MqttTestBroker.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

MqttTestBroker::MqttTestBroker()
{
    // Mosquitto started as root drops to user "mosquitto", which must be able to write the persistence file.
    QFile::setPermissions(m_dir.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                              QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                              QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

MqttTestBroker::~MqttTestBroker()
{
    stop();
}

QString MqttTestBroker::executable()
{
    for (const char *candidate : {"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"})
        if (QFileInfo(candidate).isExecutable())
            return candidate;
    return QStandardPaths::findExecutable("mosquitto");
}

bool MqttTestBroker::start(QString *error)
{
    if (m_port == 0) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            *error = "no free loopback port";
            return false;
        }
        m_port = probe.serverPort();
        probe.close();
    }
    const QString conf = m_dir.filePath("mosquitto.conf");
    QFile file(conf);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = "cannot write " + conf;
        return false;
    }
    // Persistence on: the subscriber's session and its queued QoS 1 messages must survive a restart.
    file.write(QString("listener %1 127.0.0.1\n"
                       "persistence true\n"
                       "persistence_location %2/\n"
                       "autosave_interval 1\n"
                       "max_queued_messages 10000\n"
                       "log_dest stdout\n"
                       "%3"
                       "log_type error\nlog_type warning\nlog_type notice\n")
                   .arg(m_port)
                   .arg(m_dir.path())
                   .arg(m_extra.contains("allow_anonymous") ? "" : "allow_anonymous true\n")
                   .toUtf8());
    file.write(m_extra.toUtf8() + "\n");
    file.close();

    m_process.start(executable(), {"-c", conf});
    if (!m_process.waitForStarted(5000)) {
        *error = "mosquitto did not start: " + m_process.errorString();
        return false;
    }
    const QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning) {
            m_log += m_process.readAll();
            *error = "mosquitto exited: " + QString::fromUtf8(m_log);
            return false;
        }
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (socket.waitForConnected(200)) {
            socket.disconnectFromHost();
            return true;
        }
        QThread::msleep(20);
    }
    *error = "mosquitto does not accept on port " + QString::number(m_port);
    stop();
    return false;
}

void MqttTestBroker::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate(); // SIGTERM to this process id only
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
    m_log += m_process.readAll();
}
