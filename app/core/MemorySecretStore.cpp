#include "MemorySecretStore.h"

#include <QCoreApplication>

namespace idesk {

MemorySecretStore::MemorySecretStore(QObject *parent) : SecretStore(parent) {}

MemorySecretStore::~MemorySecretStore()
{
    clear();
}

void MemorySecretStore::clear()
{
    // Best effort: overwrite our copies before releasing them (copies held by callers are theirs).
    for (auto it = m_secrets.begin(); it != m_secrets.end(); ++it)
        it.value().fill(QLatin1Char('\0'));
    m_secrets.clear();
}

void MemorySecretStore::read(const QString &key)
{
    if (!m_secrets.contains(key)) {
        answer(Status::NotFound, QString(),
               QCoreApplication::translate("idesk::MemorySecretStore",
                                           "No token is held for this session. Enter one, or set the "
                                           "HF_TOKEN environment variable."));
        return;
    }
    answer(Status::Ok, m_secrets.value(key), QString());
}

void MemorySecretStore::write(const QString &key, const QString &secret)
{
    m_secrets.insert(key, secret);
    answer(Status::Ok, QString(), QString());
}

void MemorySecretStore::remove(const QString &key)
{
    auto it = m_secrets.find(key);
    if (it != m_secrets.end()) {
        it.value().fill(QLatin1Char('\0'));
        m_secrets.erase(it);
    }
    answer(Status::Ok, QString(), QString());
}

void MemorySecretStore::answer(Status status, const QString &secret, const QString &message)
{
    QMetaObject::invokeMethod(
        this, [this, status, secret, message]() { Q_EMIT done(status, secret, message); },
        Qt::QueuedConnection);
}

} // namespace idesk
