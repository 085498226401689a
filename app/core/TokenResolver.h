#pragma once

#include "SecretStore.h"

#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>

namespace idesk {

// Where the Hugging Face token comes from, in order: HF_TOKEN in the environment, then the store
// (the OS keychain, or a session-only MemorySecretStore when no keychain is available).
// The token itself is only ever in Result::token; show Result::masked (`hf_…abcd`) to people.
class TokenResolver : public QObject
{
    Q_OBJECT
public:
    enum class Source { None, Environment, Keychain, Session };
    Q_ENUM(Source)

    struct Result
    {
        QString token; // "" when there is none; never print or log it
        Source source = Source::None;
        QString masked; // mask(token), "" when there is none
        // The store's answer when it was asked (Ok, NotFound, Unavailable, TimedOut, Failed); Ok when
        // the environment already gave the token and the store was not asked.
        SecretStore::Status storeStatus = SecretStore::Status::Ok;
        // Why there is no token, or what went wrong with the store, for a person ("" when all is well).
        QString message;

        bool hasToken() const { return !token.isEmpty(); }
    };

    // Answer of one store operation, for the blocking helpers.
    struct StoreAnswer
    {
        SecretStore::Status status = SecretStore::Status::Failed;
        QString secret; // only for a successful read
        QString message;
    };

    // `store` is not owned and may be null (then only the environment is consulted).
    explicit TokenResolver(SecretStore *store = nullptr, QObject *parent = nullptr);

    void setStore(SecretStore *store) { m_store = store; }
    SecretStore *store() const { return m_store; }

    // Asynchronous: ends with one resolved() signal. A resolve() while the store is still being asked
    // is folded into the running one (one resolved() answers both).
    void resolve();
    bool isResolving() const { return m_pending; }

    // Blocking (a local QEventLoop): for the CLI and other callers without a running event loop.
    // With `store` null a KeychainSecretStore is used for the call.
    static Result resolveNow(SecretStore *store = nullptr);
    static StoreAnswer readBlocking(SecretStore *store, const QString &key = SecretStore::tokenKey());
    static StoreAnswer writeBlocking(SecretStore *store, const QString &secret,
                                     const QString &key = SecretStore::tokenKey());
    static StoreAnswer removeBlocking(SecretStore *store, const QString &key = SecretStore::tokenKey());

    // HF_TOKEN from the environment, trimmed ("" when unset or blank).
    static QString environmentToken();
    // `hf_…abcd`: the first three and last four characters of a long token; less of a short one.
    static QString mask(const QString &token);
    // "environment (HF_TOKEN)", "keychain", "session only", "none": for status lines.
    static QString sourceName(Source source);

Q_SIGNALS:
    void resolved(const idesk::TokenResolver::Result &result);

private:
    static Source storeSource(const SecretStore *store);
    static Result fromStore(const SecretStore *store, SecretStore::Status status, const QString &secret,
                            const QString &message);

    QPointer<SecretStore> m_store;
    bool m_pending = false;
};

} // namespace idesk

Q_DECLARE_METATYPE(idesk::TokenResolver::Result)
