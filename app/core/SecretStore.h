#pragma once

#include <QObject>
#include <QString>

namespace idesk {

// Where the Hugging Face token is kept. The real one is KeychainSecretStore (QtKeychain, the OS
// keychain, never the insecure fallback); NullSecretStore is the "no keychain" object.
// Operations are asynchronous; each ends with exactly one done() signal.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Status { Ok, NotFound, Unavailable, TimedOut, Failed };
    Q_ENUM(Status)

    using QObject::QObject;
    ~SecretStore() override = default;

    virtual void read(const QString &key) = 0;
    virtual void write(const QString &key, const QString &secret) = 0;
    virtual void remove(const QString &key) = 0;

    static QString tokenKey() { return QStringLiteral("huggingface-token"); }
    static QString serviceName() { return QStringLiteral("inference-desk"); }

Q_SIGNALS:
    // `secret` is only set for a successful read. `message` is a sentence for a person when not Ok.
    void done(idesk::SecretStore::Status status, const QString &secret, const QString &message);
};

} // namespace idesk
