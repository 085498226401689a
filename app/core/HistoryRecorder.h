#pragma once

#include "InferenceRequest.h"
#include "InferenceResult.h"

#include <QObject>
#include <QString>
#include <QThread>

namespace idesk {

class HistoryStore;

// Writes exchanges to the history (HistoryStore) on a thread of its own, with its own connection, so a
// large answer never holds up the thread that calls record(): the app's UI thread. Failures (a full disk,
// an unreadable file moved aside) arrive as messages; the request itself is never affected.
class HistoryRecorder : public QObject
{
    Q_OBJECT
public:
    explicit HistoryRecorder(const QString &path, QObject *parent = nullptr);
    ~HistoryRecorder() override; // waits for the writes already queued

    QString path() const { return m_path; }
    // Off: record() does nothing (the setting "history/enabled" at construction; the app's switch).
    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled) { m_enabled = enabled; }
    void setSizeCap(qint64 bytes);

    // Queues one exchange; returns at once.
    void record(const InferenceRequest &request, const InferenceResult &result, const QString &source);

Q_SIGNALS:
    void recorded(qint64 id);
    // A sentence for the person: the history could not be written, or its file was moved aside.
    void message(const QString &text);

private:
    QString m_path;
    QThread m_thread;
    QObject *m_worker = nullptr;     // lives on m_thread
    HistoryStore *m_store = nullptr; // created, used and deleted on m_thread
    bool m_enabled = true;
};

} // namespace idesk
