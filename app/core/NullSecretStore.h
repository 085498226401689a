#pragma once

#include "SecretStore.h"

namespace idesk {

// The "no keychain" store: every operation ends (asynchronously) with done(Unavailable) and a message
// that says what to do instead (start a keyring, set HF_TOKEN, or keep a token for this session only).
class NullSecretStore : public SecretStore
{
    Q_OBJECT
public:
    // `message` replaces the default explanation (for instance the keychain's own error).
    explicit NullSecretStore(const QString &message = QString(), QObject *parent = nullptr);

    QString message() const { return m_message; }

    void read(const QString &key) override;
    void write(const QString &key, const QString &secret) override;
    void remove(const QString &key) override;

private:
    void answer();

    QString m_message;
};

} // namespace idesk
