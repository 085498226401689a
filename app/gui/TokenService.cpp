#include "TokenService.h"

#include "KeychainSecretStore.h"
#include "MemorySecretStore.h"

#include <memory>

namespace idesk {

TokenService::TokenService(SecretStore *keychain, QObject *parent)
    : QObject(parent), m_keychain(keychain), m_session(new MemorySecretStore(this)),
      m_resolver(new TokenResolver(nullptr, this))
{
    if (!m_keychain)
        m_keychain = new KeychainSecretStore(this);
}

TokenService::~TokenService()
{
    if (m_session)
        m_session->clear();
}

QString TokenService::token() const
{
    const QString env = TokenResolver::environmentToken();
    return env.isEmpty() ? m_current.token : env;
}

QString TokenService::statusText() const
{
    if (!m_current.hasToken())
        return TokenResolver::sourceName(TokenResolver::Source::None);
    return tr("%1 (%2)").arg(TokenResolver::sourceName(m_current.source), m_current.masked);
}

void TokenService::resolve()
{
    // A resolution already waiting in the queue answers this one too.
    for (const Step &step : qAsConst(m_queue))
        if (step.operation == Operation::Resolve)
            return;
    enqueue(Operation::Resolve);
}

void TokenService::save(const QString &token)
{
    enqueue(Operation::Save, token.trimmed());
}

void TokenService::remove()
{
    enqueue(Operation::Remove);
}

void TokenService::useForSession(const QString &token)
{
    enqueue(Operation::UseForSession, token.trimmed());
}

void TokenService::enqueue(Operation operation, const QString &secret)
{
    const bool wasBusy = isBusy();
    m_queue.enqueue(Step{operation, secret});
    if (!wasBusy)
        Q_EMIT busyChanged(true);
    if (!m_running)
        runNext();
}

void TokenService::runNext()
{
    if (m_queue.isEmpty()) {
        Q_EMIT busyChanged(false);
        return;
    }
    m_running = true;
    const Step step = m_queue.dequeue();
    switch (step.operation) {
    case Operation::Resolve: {
        SecretStore *store = m_sessionOnly ? static_cast<SecretStore *>(m_session) : m_keychain.data();
        m_resolver->setStore(store);
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(
            m_resolver, &TokenResolver::resolved, this,
            [this, connection, store](const TokenResolver::Result &result) {
                disconnect(*connection);
                m_current = result;
                m_resolved = true;
                if (store && store == m_keychain && result.source != TokenResolver::Source::Environment)
                    m_keychainUnavailable = result.storeStatus == SecretStore::Status::Unavailable;
                Q_EMIT changed();
                stepDone(Operation::Resolve, result.storeStatus,
                         result.hasToken() ? QString() : result.message);
            });
        m_resolver->resolve();
        break;
    }
    case Operation::Save:
        if (step.secret.isEmpty()) {
            QMetaObject::invokeMethod(
                this,
                [this]() {
                    stepDone(
                        Operation::Save, SecretStore::Status::Failed,
                        tr("The token field is empty: paste a token (it starts with hf_) and save again."));
                },
                Qt::QueuedConnection);
            break;
        }
        runStoreOperation(m_keychain, step);
        break;
    case Operation::Remove:
        runStoreOperation(m_sessionOnly ? static_cast<SecretStore *>(m_session) : m_keychain.data(), step);
        break;
    case Operation::UseForSession:
        if (step.secret.isEmpty()) {
            QMetaObject::invokeMethod(
                this,
                [this]() {
                    stepDone(Operation::UseForSession, SecretStore::Status::Failed,
                             tr("The token field is empty: paste a token (it starts with hf_) first."));
                },
                Qt::QueuedConnection);
            break;
        }
        runStoreOperation(m_session, step);
        break;
    }
}

void TokenService::runStoreOperation(SecretStore *store, const Step &step)
{
    const Operation operation = step.operation;
    if (!store) {
        QMetaObject::invokeMethod(
            this,
            [this, operation]() {
                stepDone(operation, SecretStore::Status::Unavailable,
                         KeychainSecretStore::unavailableMessage());
            },
            Qt::QueuedConnection);
        return;
    }
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection =
        connect(store, &SecretStore::done, this,
                [this, connection, store, operation](SecretStore::Status status, const QString &,
                                                     const QString &message) {
                    disconnect(*connection);
                    const bool fromKeychain = store == m_keychain;
                    if (fromKeychain)
                        m_keychainUnavailable = status == SecretStore::Status::Unavailable;
                    bool reresolve = false;
                    if (status == SecretStore::Status::Ok) {
                        reresolve = true;
                        if (operation == Operation::Save) {
                            m_sessionOnly = false;
                            m_session->clear();
                        } else if (operation == Operation::Remove) {
                            m_sessionOnly = false;
                        } else if (operation == Operation::UseForSession) {
                            m_sessionOnly = true;
                        }
                    } else if (operation == Operation::Remove && status == SecretStore::Status::NotFound) {
                        reresolve = true;
                    }
                    if (reresolve)
                        m_queue.prepend(Step{Operation::Resolve, QString()});
                    stepDone(operation, status, message);
                });
    if (operation == Operation::Remove)
        store->remove(SecretStore::tokenKey());
    else
        store->write(SecretStore::tokenKey(), step.secret);
}

void TokenService::stepDone(Operation operation, SecretStore::Status status, const QString &message)
{
    m_running = false;
    Q_EMIT operationFinished(operation, status, message);
    runNext();
}

} // namespace idesk
