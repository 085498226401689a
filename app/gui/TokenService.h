#pragma once

#include "SecretStore.h"
#include "TokenResolver.h"

#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QString>

namespace idesk {

class MemorySecretStore;

// The app's Hugging Face token, for the settings dialog and for sending: HF_TOKEN, then the OS keychain
// (KeychainSecretStore, never a fallback), or a token kept in memory for this session only
// (MemorySecretStore) when the person chose that because no keychain is available.
//
// Store operations are asynchronous (the keychain's own 10 s timeout ends a stuck one) and run one
// after the other: each ends with operationFinished(), and a save or removal is followed by a new
// resolution (changed()). The token itself lives only in memory (token()); show masked forms.
class TokenService : public QObject
{
    Q_OBJECT
public:
    enum class Operation { Resolve, Save, Remove, UseForSession };
    Q_ENUM(Operation)

    // `keychain` is not owned and may be null: then a KeychainSecretStore owned by this object is used.
    // Tests pass a NullSecretStore (no keychain) or their own store.
    explicit TokenService(SecretStore *keychain = nullptr, QObject *parent = nullptr);
    ~TokenService() override;

    SecretStore *keychain() const { return m_keychain; }
    MemorySecretStore *sessionStore() const { return m_session; }
    // True when the token in use is the session-only one.
    bool isSessionOnly() const { return m_sessionOnly; }
    bool isBusy() const { return m_running || !m_queue.isEmpty(); }
    // True once a resolution has ended (so that current() means something).
    bool isResolved() const { return m_resolved; }
    // The last resolution: source, masked token, the store's status and message.
    TokenResolver::Result current() const { return m_current; }
    // The token to send: HF_TOKEN, else the resolved stored/session token; "" when there is none.
    QString token() const;
    // True when the last answer from the keychain said that there is none to talk to.
    bool keychainUnavailable() const { return m_keychainUnavailable; }
    // "keychain (hf_…abcd)", "environment (HF_TOKEN) (hf_…abcd)", "none": for status lines.
    QString statusText() const;

public Q_SLOTS:
    void resolve();
    // Stores `token` in the keychain (never anywhere else). On success the session-only token, if any,
    // is dropped: the keychain one is used from now on.
    void save(const QString &token);
    // Removes the token in use from its store: the keychain item, or the session-only token.
    void remove();
    // Keeps `token` in memory for this session only (no keychain available).
    void useForSession(const QString &token);

Q_SIGNALS:
    void busyChanged(bool busy);
    // `message` is a sentence for a person when status is not Ok ("" otherwise).
    void operationFinished(idesk::TokenService::Operation operation, idesk::SecretStore::Status status,
                           const QString &message);
    // current() changed.
    void changed();

private:
    struct Step
    {
        Operation operation;
        QString secret;
    };
    void enqueue(Operation operation, const QString &secret = QString());
    void runNext();
    void stepDone(Operation operation, SecretStore::Status status, const QString &message);
    void runStoreOperation(SecretStore *store, const Step &step);

    QPointer<SecretStore> m_keychain;
    MemorySecretStore *m_session = nullptr;
    TokenResolver *m_resolver = nullptr;
    TokenResolver::Result m_current;
    QQueue<Step> m_queue;
    bool m_running = false;
    bool m_sessionOnly = false;
    bool m_resolved = false;
    bool m_keychainUnavailable = false;
};

} // namespace idesk
