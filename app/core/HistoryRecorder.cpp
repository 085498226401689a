#include "HistoryRecorder.h"

#include "HistoryStore.h"

namespace idesk {

HistoryRecorder::HistoryRecorder(const QString &path, QObject *parent)
    : QObject(parent), m_path(path), m_enabled(HistoryStore::enabledInSettings())
{
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("history-writer"));
    m_thread.start(QThread::LowPriority);
}

HistoryRecorder::~HistoryRecorder()
{
    // The store is closed on its own thread, after every queued write (posted events run in order).
    QMetaObject::invokeMethod(
        m_worker,
        [this] {
            delete m_store;
            m_store = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void HistoryRecorder::setSizeCap(qint64 bytes)
{
    QMetaObject::invokeMethod(m_worker, [this, bytes] {
        if (!m_store)
            m_store = new HistoryStore(m_path);
        m_store->setSizeCap(bytes);
    });
}

void HistoryRecorder::record(const InferenceRequest &request, const InferenceResult &result,
                             const QString &source)
{
    if (!m_enabled)
        return;
    QMetaObject::invokeMethod(m_worker, [this, request, result, source] {
        if (!m_store)
            m_store = new HistoryStore(m_path);
        QString error;
        const bool wasOpen = m_store->isOpen();
        if (!wasOpen && !m_store->open(&error)) {
            Q_EMIT message(error);
            return;
        }
        if (!wasOpen && !m_store->notice().isEmpty())
            Q_EMIT message(m_store->notice());
        const std::optional<qint64> id = m_store->add(request, result, source, &error);
        if (id)
            Q_EMIT recorded(*id);
        else
            Q_EMIT message(error);
    });
}

} // namespace idesk
