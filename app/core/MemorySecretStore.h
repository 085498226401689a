#pragma once

#include "SecretStore.h"

#include <QHash>

namespace idesk {

// Secrets held in this process's memory only, for "use this token for this session only" when no
// keychain is available. Nothing is written anywhere; everything is gone when the object is destroyed.
// Operations answer asynchronously (queued), like the keychain, so callers handle both the same way.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject *parent = nullptr);
    ~MemorySecretStore() override;

    // Synchronous access, for callers that hold the store directly.
    bool contains(const QString &key) const { return m_secrets.contains(key); }
    QString secret(const QString &key) const { return m_secrets.value(key); }
    void clear();

    void read(const QString &key) override;
    void write(const QString &key, const QString &secret) override;
    void remove(const QString &key) override;

private:
    void answer(Status status, const QString &secret, const QString &message);

    QHash<QString, QString> m_secrets;
};

} // namespace idesk
