#include "ReplayServer.h"

#include "TestConfig.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTimer>

namespace idesk::test {

namespace {
constexpr int kStartTimeoutMs = 30000;   // openssl key generation + python start-up, generously
constexpr int kControlTimeoutMs = 15000; // one control call on loopback
} // namespace

ReplayServer::ReplayServer(Mode mode, int maxSeconds) : m_nam(new QNetworkAccessManager)
{
    m_nam->setProxy(QNetworkProxy::NoProxy);
    m_dataDir = QStringLiteral(IDESK_TEST_DATA_DIR "/recordings");
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory: %1").arg(m_dir.errorString());
        return;
    }
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty()) {
        m_error =
            QStringLiteral("python3 is not on PATH; install the python3 package to run the replay tests");
        return;
    }
    const QString readyFile = m_dir.filePath(QStringLiteral("ready.json"));
    QStringList args{QStringLiteral(IDESK_TEST_SUPPORT_DIR "/replay_server.py"),
                     QStringLiteral("--data"),
                     m_dataDir,
                     QStringLiteral("--ready-file"),
                     readyFile,
                     QStringLiteral("--max-seconds"),
                     QString::number(maxSeconds)};
    if (mode == Tls)
        args << QStringLiteral("--tls");
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.start(python, args);

    // Wait for the ready file, or the process's end, polling on an event loop (no fixed sleep).
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (QFile::exists(readyFile))
            loop.quit();
    });
    QObject::connect(&m_process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&m_process, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(kStartTimeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    if (!QFile::exists(readyFile) && m_process.state() != QProcess::NotRunning)
        loop.exec();
    poll.stop();
    QObject::disconnect(&m_process, nullptr, &loop, nullptr);

    QFile ready(readyFile);
    if (!ready.open(QIODevice::ReadOnly)) {
        m_error =
            m_process.state() == QProcess::NotRunning
                ? QStringLiteral("replay_server.py ended before it was ready (exit code %1, %2)")
                      .arg(m_process.exitCode())
                      .arg(m_process.errorString())
                : QStringLiteral("replay_server.py was not ready after %1 s").arg(kStartTimeoutMs / 1000);
        return;
    }
    const QJsonObject info = QJsonDocument::fromJson(ready.readAll()).object();
    m_port = info.value(QStringLiteral("port")).toInt();
    m_url = QUrl(info.value(QStringLiteral("url")).toString());
    m_caPath = info.value(QStringLiteral("ca")).toString();
    if (m_port <= 0 || !m_url.isValid()) {
        m_error = QStringLiteral("replay_server.py wrote an unreadable ready file");
        m_url.clear();
    }
}

ReplayServer::~ReplayServer()
{
    delete m_nam;
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

bool ReplayServer::isRunning() const
{
    return m_process.state() == QProcess::Running && m_url.isValid();
}

QByteArray ReplayServer::control(const QByteArray &verb, const QString &path, const QByteArray &body,
                                 bool *ok)
{
    *ok = false;
    if (!isRunning()) {
        m_error = QStringLiteral("the replay server is not running");
        return {};
    }
    QNetworkRequest request(QUrl(m_url.toString() + QStringLiteral("/__replay/") + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_caPath.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(QSslCertificate::fromPath(m_caPath));
        request.setSslConfiguration(ssl);
    }
    QNetworkReply *reply = m_nam->sendCustomRequest(request, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(kControlTimeoutMs, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    QByteArray answer;
    if (!reply->isFinished()) {
        reply->abort();
        m_error = QStringLiteral("control call %1 timed out").arg(path);
    } else if (reply->error() != QNetworkReply::NoError) {
        m_error = QStringLiteral("control call %1 failed: %2 %3")
                      .arg(path, reply->errorString(), QString::fromUtf8(reply->readAll()));
    } else {
        answer = reply->readAll();
        *ok = true;
    }
    reply->deleteLater();
    return answer;
}

bool ReplayServer::queue(const QJsonArray &entries)
{
    bool ok = false;
    control("POST", QStringLiteral("queue"), QJsonDocument(entries).toJson(QJsonDocument::Compact), &ok);
    return ok;
}

bool ReplayServer::queueFile(const QString &file, const QJsonObject &behaviour)
{
    QJsonObject entry = behaviour;
    entry.insert(QStringLiteral("file"), file);
    return queue(QJsonArray{entry});
}

QJsonArray ReplayServer::requests()
{
    bool ok = false;
    const QByteArray answer = control("GET", QStringLiteral("requests"), {}, &ok);
    return ok ? QJsonDocument::fromJson(answer).array() : QJsonArray{};
}

bool ReplayServer::clearRequests()
{
    bool ok = false;
    control("DELETE", QStringLiteral("requests"), {}, &ok);
    return ok;
}

bool ReplayServer::reset()
{
    bool ok = false;
    control("POST", QStringLiteral("reset"), {}, &ok);
    return ok;
}

QByteArray ReplayServer::body(const QJsonObject &request)
{
    return QByteArray::fromBase64(request.value(QStringLiteral("body_base64")).toString().toLatin1());
}

QJsonObject ReplayServer::onlyRequestJson()
{
    const QJsonArray received = requests();
    if (received.size() != 1)
        return {};
    return QJsonDocument::fromJson(body(received.at(0).toObject())).object();
}

QString ReplayServer::header(const QJsonValue &request, const QString &name)
{
    return request.toObject().value(QStringLiteral("headers")).toObject().value(name).toString();
}

QJsonObject ReplayServer::answer(int status, const QString &contentType, const QByteArray &body)
{
    QJsonObject headers;
    if (!contentType.isEmpty())
        headers.insert(QStringLiteral("Content-Type"), contentType);
    return QJsonObject{{QStringLiteral("status"), status},
                       {QStringLiteral("headers"), headers},
                       {QStringLiteral("body_base64"), QString::fromLatin1(body.toBase64())}};
}

QJsonObject ReplayServer::answerWith(int status, const QString &contentType, const QByteArray &body,
                                     const QJsonObject &headers, const QJsonObject &behaviour)
{
    QJsonObject a = answer(status, contentType, body);
    QJsonObject h = a.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        h.insert(it.key(), it.value());
    a.insert(QStringLiteral("headers"), h);
    for (auto it = behaviour.begin(); it != behaviour.end(); ++it)
        a.insert(it.key(), it.value());
    return a;
}

QJsonObject ReplayServer::eventStream(const QByteArray &body, int chunkSize, int chunkDelayMs)
{
    QJsonObject answer{{QStringLiteral("status"), 200},
                       {QStringLiteral("headers"),
                        QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("text/event-stream")}}},
                       {QStringLiteral("body"), QString::fromUtf8(body)}};
    if (chunkSize > 0)
        answer.insert(QStringLiteral("chunk_size"), chunkSize);
    if (chunkDelayMs > 0)
        answer.insert(QStringLiteral("chunk_delay_ms"), chunkDelayMs);
    return answer;
}

} // namespace idesk::test
