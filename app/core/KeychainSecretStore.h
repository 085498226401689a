#pragma once

#include "SecretStore.h"

namespace idesk {

// The OS keychain through QtKeychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows). Items are stored under service SecretStore::serviceName() ("inference-desk"); on Linux
// QtKeychain's libsecret schema "org.qt.keychain" gives them the attributes server=<service>,
// user=<key>, type=plaintext. Never uses QtKeychain's insecure (plain file) fallback.
//
// Every job gets a timeout of our own (default 10 s): a locked keyring waiting for a password prompt
// ends with done(TimedOut) instead of freezing the caller, and the job's late answer is ignored.
// No keychain (no D-Bus session, no Secret Service) ends with done(Unavailable) and a message that
// says what to do instead.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    static constexpr int DefaultTimeoutMs = 10000;

    explicit KeychainSecretStore(QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    void setTimeout(int ms) { m_timeoutMs = ms; }
    int timeout() const { return m_timeoutMs; }
    // The keychain service name (default SecretStore::serviceName()); tests may use their own.
    void setService(const QString &service) { m_service = service; }
    QString service() const { return m_service; }

    void read(const QString &key) override;
    void write(const QString &key, const QString &secret) override;
    void remove(const QString &key) override;

    // The sentence shown when no keychain can be reached: what to do instead.
    static QString unavailableMessage(const QString &detail = QString());

private:
    enum class Operation { Read, Write, Remove };
    void startJob(Operation operation, const QString &key, const QString &secret);

    QString m_service;
    int m_timeoutMs = DefaultTimeoutMs;
};

} // namespace idesk
