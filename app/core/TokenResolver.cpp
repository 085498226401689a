#include "TokenResolver.h"

#include "KeychainSecretStore.h"
#include "MemorySecretStore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace idesk {

namespace {

enum class Op { Read, Write, Remove };

TokenResolver::StoreAnswer runBlocking(SecretStore *store, Op op, const QString &key, const QString &secret)
{
    TokenResolver::StoreAnswer answer;
    if (!store) {
        answer.status = SecretStore::Status::Unavailable;
        answer.message = KeychainSecretStore::unavailableMessage();
        return answer;
    }
    QEventLoop loop;
    bool finished = false;
    const QMetaObject::Connection connection =
        QObject::connect(store, &SecretStore::done, &loop,
                         [&](SecretStore::Status status, const QString &value, const QString &message) {
                             if (finished)
                                 return;
                             finished = true;
                             answer.status = status;
                             answer.secret = value;
                             answer.message = message;
                             loop.quit();
                         });
    switch (op) {
    case Op::Read:
        store->read(key);
        break;
    case Op::Write:
        store->write(key, secret);
        break;
    case Op::Remove:
        store->remove(key);
        break;
    }
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    QObject::disconnect(connection);
    return answer;
}

} // namespace

TokenResolver::TokenResolver(SecretStore *store, QObject *parent) : QObject(parent), m_store(store)
{
    qRegisterMetaType<idesk::TokenResolver::Result>();
}

QString TokenResolver::environmentToken()
{
    return qEnvironmentVariable("HF_TOKEN").trimmed();
}

QString TokenResolver::mask(const QString &token)
{
    const QString t = token.trimmed();
    if (t.isEmpty())
        return QString();
    const QChar ellipsis(0x2026);
    if (t.size() >= 12)
        return t.left(3) + ellipsis + t.right(4);
    if (t.size() >= 8)
        return QString(ellipsis) + t.right(2);
    return QString(ellipsis);
}

QString TokenResolver::sourceName(Source source)
{
    switch (source) {
    case Source::Environment:
        return tr("environment (HF_TOKEN)");
    case Source::Keychain:
        return tr("keychain");
    case Source::Session:
        return tr("session only");
    case Source::None:
        break;
    }
    return tr("none");
}

TokenResolver::Source TokenResolver::storeSource(const SecretStore *store)
{
    return qobject_cast<const MemorySecretStore *>(store) ? Source::Session : Source::Keychain;
}

TokenResolver::Result TokenResolver::fromStore(const SecretStore *store, SecretStore::Status status,
                                               const QString &secret, const QString &message)
{
    Result result;
    result.storeStatus = status;
    const QString token = secret.trimmed();
    if (status == SecretStore::Status::Ok && !token.isEmpty()) {
        result.token = token;
        result.source = storeSource(store);
        result.masked = mask(token);
        return result;
    }
    if (status == SecretStore::Status::Ok || status == SecretStore::Status::NotFound) {
        result.message = tr("No Hugging Face token: HF_TOKEN is not set and none is stored. Save one in "
                            "Settings or with `inference-desk-cli token set`, or set HF_TOKEN.");
    } else {
        result.message = message;
    }
    return result;
}

void TokenResolver::resolve()
{
    const QString env = environmentToken();
    if (!env.isEmpty() || !m_store) {
        Result result;
        if (!env.isEmpty()) {
            result.token = env;
            result.source = Source::Environment;
            result.masked = mask(env);
        } else {
            result.message = tr("No Hugging Face token: HF_TOKEN is not set and no keychain is in use.");
        }
        QMetaObject::invokeMethod(
            this, [this, result]() { Q_EMIT resolved(result); }, Qt::QueuedConnection);
        return;
    }
    if (m_pending)
        return;
    m_pending = true;
    SecretStore *store = m_store;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(
        store, &SecretStore::done, this,
        [this, store, connection](SecretStore::Status status, const QString &secret, const QString &message) {
            disconnect(*connection);
            m_pending = false;
            Q_EMIT resolved(fromStore(store, status, secret, message));
        });
    store->read(SecretStore::tokenKey());
}

TokenResolver::Result TokenResolver::resolveNow(SecretStore *store)
{
    const QString env = environmentToken();
    if (!env.isEmpty()) {
        Result result;
        result.token = env;
        result.source = Source::Environment;
        result.masked = mask(env);
        return result;
    }
    std::unique_ptr<KeychainSecretStore> own;
    if (!store) {
        own = std::make_unique<KeychainSecretStore>();
        store = own.get();
    }
    const StoreAnswer answer = readBlocking(store);
    return fromStore(store, answer.status, answer.secret, answer.message);
}

TokenResolver::StoreAnswer TokenResolver::readBlocking(SecretStore *store, const QString &key)
{
    return runBlocking(store, Op::Read, key, QString());
}

TokenResolver::StoreAnswer TokenResolver::writeBlocking(SecretStore *store, const QString &secret,
                                                        const QString &key)
{
    return runBlocking(store, Op::Write, key, secret);
}

TokenResolver::StoreAnswer TokenResolver::removeBlocking(SecretStore *store, const QString &key)
{
    return runBlocking(store, Op::Remove, key, QString());
}

} // namespace idesk
