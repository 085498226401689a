#pragma once

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QWidget>

class QFrame;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace idesk {

// Send and Cancel, what blocks sending (with "Send anyway"), and live progress while a request runs:
// elapsed time, bytes up and down, and the countdown before a retry while the model loads.
class SendPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SendPanel(QWidget *parent = nullptr);

    void setRunning(bool running);
    bool isRunning() const { return m_running; }
    void setProgress(qint64 bytesSent, qint64 bytesReceived);
    void startCountdown(int seconds, const QString &message);
    // Seconds left before the loading retry, -1 when none is pending.
    int countdownRemaining() const;

    // Shows why the request cannot be sent; `canForce` offers "Send anyway".
    void showBlockers(const QStringList &blockers, bool canForce);
    void hideBlockers();
    QString blockerText() const;
    QString progressText() const;
    // A note under the buttons (e.g. why the token was not attached); "" hides it.
    void setNote(const QString &note);
    // Another line under the note already shown (not twice the same).
    void addNote(const QString &note);
    QString note() const;

    QPushButton *sendButton() const { return m_send; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *sendAnywayButton() const { return m_sendAnyway; }

Q_SIGNALS:
    void sendRequested();
    void sendAnywayRequested();
    void cancelRequested();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void tick();
    // The note's lines all get room: its minimum height follows its wrapped height at the width it has
    // (a layout gives a wrapped label only the height of its first lines when the column is tight).
    void fitNote();

    bool m_running = false;
    qint64 m_sent = 0;
    qint64 m_received = 0;
    QElapsedTimer m_elapsed;
    QDeadlineTimer m_countdown;
    bool m_counting = false;
    QString m_countdownMessage;
    QTimer *m_ticker = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_sendAnyway = nullptr;
    QLabel *m_progress = nullptr;
    QProgressBar *m_busy = nullptr;
    QFrame *m_blockers = nullptr;
    QLabel *m_blockerText = nullptr;
    QLabel *m_note = nullptr;
};

} // namespace idesk
