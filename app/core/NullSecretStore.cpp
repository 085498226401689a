#include "NullSecretStore.h"

#include "KeychainSecretStore.h"

namespace idesk {

NullSecretStore::NullSecretStore(const QString &message, QObject *parent)
    : SecretStore(parent), m_message(message.isEmpty() ? KeychainSecretStore::unavailableMessage() : message)
{
}

void NullSecretStore::read(const QString &)
{
    answer();
}

void NullSecretStore::write(const QString &, const QString &)
{
    answer();
}

void NullSecretStore::remove(const QString &)
{
    answer();
}

void NullSecretStore::answer()
{
    QMetaObject::invokeMethod(
        this, [this]() { Q_EMIT done(Status::Unavailable, QString(), m_message); }, Qt::QueuedConnection);
}

} // namespace idesk
