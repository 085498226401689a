#include "KeychainSecretStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace idesk {

namespace {

#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
// The Secret Service lives on the D-Bus session bus. Without any session bus address libsecret can only
// try X11 autolaunch, which either fails or starts a bus whose keyring then waits for a prompt.
bool sessionBusReachable(QString *detail)
{
    if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return true;
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QFileInfo::exists(QDir(runtime).filePath(QStringLiteral("bus"))))
        return true;
    *detail = KeychainSecretStore::tr("There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set).");
    return false;
}
#else
bool sessionBusReachable(QString *)
{
    return true;
}
#endif

// QtKeychain reports "no Secret Service" and "no D-Bus" as OtherError with the backend's message.
bool looksUnavailable(const QString &message)
{
    static const char *const hints[] = {"org.freedesktop.secrets",
                                        "ServiceUnknown",
                                        "not provided by any .service files",
                                        "Could not connect",
                                        "Cannot autolaunch",
                                        "autolaunch",
                                        "DBUS_SESSION_BUS_ADDRESS",
                                        "No such file or directory",
                                        "Connection refused",
                                        "Failed to connect",
                                        "Unknown error",
                                        "NoReply",
                                        "No backend",
                                        "D-Bus is not running",
                                        "secret service"};
    for (const char *hint : hints) {
        if (message.contains(QLatin1String(hint), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QObject *parent) : SecretStore(parent), m_service(serviceName()) {}

KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::unavailableMessage(const QString &detail)
{
    QString message = tr("No keychain is available for the Hugging Face token.");
    QString d = detail.trimmed();
    if (!d.isEmpty()) {
        if (!d.endsWith(QLatin1Char('.')))
            d += QLatin1Char('.');
        message += QLatin1Char(' ') + d;
    }
    message += QLatin1Char(' ') +
               tr("Start a keyring that provides the Secret Service (for example gnome-keyring or "
                  "KeePassXC) in your desktop session, or set the HF_TOKEN environment variable, or "
                  "use a token for this session only.");
    return message;
}

void KeychainSecretStore::read(const QString &key)
{
    startJob(Operation::Read, key, QString());
}

void KeychainSecretStore::write(const QString &key, const QString &secret)
{
    startJob(Operation::Write, key, secret);
}

void KeychainSecretStore::remove(const QString &key)
{
    startJob(Operation::Remove, key, QString());
}

void KeychainSecretStore::startJob(Operation operation, const QString &key, const QString &secret)
{
    QString detail;
    if (!sessionBusReachable(&detail)) {
        const QString message = unavailableMessage(detail);
        QMetaObject::invokeMethod(
            this, [this, message]() { Q_EMIT done(Status::Unavailable, QString(), message); },
            Qt::QueuedConnection);
        return;
    }

    // The job is deliberately not a child of this store: QtKeychain's backends keep raw pointers to
    // a running job, so it must live until it finishes (autoDelete then frees it), even after a
    // timeout or after this store is gone.
    QKeychain::Job *job = nullptr;
    switch (operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Operation::Write: {
        auto *writeJob = new QKeychain::WritePasswordJob(m_service);
        writeJob->setTextData(secret);
        job = writeJob;
        break;
    }
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);

    // Set once the caller has been answered (by the job or by the timeout): later answers are ignored.
    auto answered = std::make_shared<bool>(false);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setInterval(m_timeoutMs);
    const int seconds = qMax(1, (m_timeoutMs + 999) / 1000);

    connect(timer, &QTimer::timeout, this, [this, answered, timer, seconds]() {
        timer->deleteLater();
        if (*answered)
            return;
        *answered = true;
        Q_EMIT done(Status::TimedOut, QString(),
                    tr("The keychain did not answer within %1 seconds. It may be locked and waiting for "
                       "a password, or its unlock prompt cannot be shown. Unlock the keyring and try "
                       "again, or set the HF_TOKEN environment variable, or use a token for this session "
                       "only.")
                        .arg(seconds));
    });

    connect(
        job, &QKeychain::Job::finished, this, [this, answered, timer, operation](QKeychain::Job *finished) {
            if (*answered)
                return;
            *answered = true;
            timer->stop();
            timer->deleteLater();

            const QKeychain::Error error = finished->error();
            const QString backendMessage = finished->errorString();
            switch (error) {
            case QKeychain::NoError: {
                QString value;
                if (operation == Operation::Read)
                    value = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
                Q_EMIT done(Status::Ok, value, QString());
                return;
            }
            case QKeychain::EntryNotFound:
                if (operation == Operation::Remove) {
                    Q_EMIT done(Status::Ok, QString(), QString());
                    return;
                }
                Q_EMIT done(Status::NotFound, QString(),
                            tr("No Hugging Face token is stored in the keychain. Save one in Settings or "
                               "with `inference-desk-cli token set`, or set the HF_TOKEN environment "
                               "variable."));
                return;
            case QKeychain::NoBackendAvailable:
            case QKeychain::NotImplemented:
                Q_EMIT done(Status::Unavailable, QString(), unavailableMessage(backendMessage));
                return;
            case QKeychain::AccessDenied:
            case QKeychain::AccessDeniedByUser:
                Q_EMIT done(Status::Failed, QString(),
                            tr("The keychain refused access (%1). Unlock the keyring and try again, or set "
                               "the HF_TOKEN environment variable.")
                                .arg(backendMessage));
                return;
            case QKeychain::CouldNotDeleteEntry:
                Q_EMIT done(Status::Failed, QString(),
                            tr("The keychain could not delete the token (%1). Remove the item named "
                               "\"%2\" with your keyring manager.")
                                .arg(backendMessage, finished->key()));
                return;
            case QKeychain::OtherError:
                break;
            }
            if (backendMessage.contains(QLatin1String("/collection/"))) {
                // A Secret Service without a default collection (a fresh keyring daemon outside a desktop
                // login): creating one needs a password prompt, which could not be shown.
                Q_EMIT done(Status::Unavailable, QString(),
                            unavailableMessage(tr("The keyring has no default (\"login\") collection to keep "
                                                  "the token in; create one with your keyring manager (for "
                                                  "example Seahorse).")));
                return;
            }
            if (looksUnavailable(backendMessage)) {
                Q_EMIT done(Status::Unavailable, QString(),
                            unavailableMessage(tr("The keychain said: %1").arg(backendMessage)));
                return;
            }
            Q_EMIT done(Status::Failed, QString(),
                        tr("The keychain failed: %1. Try again, or set the HF_TOKEN environment variable.")
                            .arg(backendMessage));
        });

    timer->start();
    job->start();
}

} // namespace idesk
