#include "SendPanel.h"

#include "StyleIcons.h"
#include "ui_SendPanel.h"

#include <QFrame>
#include <QLabel>
#include <QLayout>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QTimer>

namespace idesk {

SendPanel::SendPanel(QWidget *parent) : QWidget(parent)
{
    Ui::SendPanel ui;
    ui.setupUi(this); // the layout: ui/SendPanel.ui
    m_send = ui.sendButton;
    m_cancel = ui.cancelButton;
    m_sendAnyway = ui.sendAnyway;
    m_busy = ui.busyBar;
    m_progress = ui.progressLabel;
    m_blockers = ui.sendBlockers;
    m_blockerText = ui.sendBlockerText;
    m_note = ui.sendNote;
    m_send->setIcon(StyleIcons::forButton(QStyle::SP_ArrowRight, this));
    m_cancel->setIcon(StyleIcons::forButton(QStyle::SP_BrowserStop, this));
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    ui.sendBlockerIcon->setPixmap(
        style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    m_busy->hide();
    m_blockers->hide();
    m_note->hide();

    m_ticker = new QTimer(this);
    m_ticker->setInterval(100);
    connect(m_ticker, &QTimer::timeout, this, &SendPanel::tick);
    connect(m_send, &QPushButton::clicked, this, &SendPanel::sendRequested);
    connect(m_cancel, &QPushButton::clicked, this, &SendPanel::cancelRequested);
    connect(m_sendAnyway, &QPushButton::clicked, this, &SendPanel::sendAnywayRequested);
}

void SendPanel::setRunning(bool running)
{
    m_running = running;
    m_send->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_busy->setVisible(running);
    if (running) {
        m_sent = m_received = 0;
        m_counting = false;
        m_elapsed.start();
        m_ticker->start();
        hideBlockers();
        tick();
    } else {
        m_ticker->stop();
        m_counting = false;
        m_progress->clear();
    }
}

void SendPanel::setProgress(qint64 bytesSent, qint64 bytesReceived)
{
    m_sent = std::max<qint64>(0, bytesSent);
    m_received = std::max<qint64>(0, bytesReceived);
    if (bytesReceived > 0)
        m_counting = false;
    tick();
}

void SendPanel::startCountdown(int seconds, const QString &message)
{
    m_countdown = QDeadlineTimer(qint64(seconds) * 1000);
    m_counting = true;
    m_countdownMessage = message;
    tick();
}

int SendPanel::countdownRemaining() const
{
    if (!m_counting)
        return -1;
    return int((m_countdown.remainingTime() + 999) / 1000);
}

void SendPanel::tick()
{
    if (!m_running)
        return;
    const QLocale locale;
    const QString elapsed = locale.toString(m_elapsed.elapsed() / 1000.0, 'f', 1);
    QString text = tr("%1 s · sent %2 · received %3")
                       .arg(elapsed, locale.formattedDataSize(m_sent), locale.formattedDataSize(m_received));
    if (m_counting) {
        const int left = countdownRemaining();
        text = (left > 0 ? tr("Model is loading: retrying in %n s", nullptr, left)
                         : tr("Model is loading: retrying now…")) +
               QStringLiteral(" · ") + text;
        m_progress->setToolTip(m_countdownMessage);
    } else {
        m_progress->setToolTip(QString());
    }
    m_progress->setText(text);
}

QString SendPanel::progressText() const
{
    return m_progress->text();
}

void SendPanel::showBlockers(const QStringList &blockers, bool canForce)
{
    QStringList lines;
    for (const QString &b : blockers)
        lines << QStringLiteral("• ") + b;
    m_blockerText->setText(tr("Not sent:") + QLatin1Char('\n') + lines.join(QLatin1Char('\n')));
    m_sendAnyway->setVisible(canForce);
    m_blockers->show();
}

void SendPanel::hideBlockers()
{
    m_blockers->hide();
    m_blockerText->clear();
}

QString SendPanel::blockerText() const
{
    return m_blockers->isHidden() ? QString() : m_blockerText->text();
}

void SendPanel::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    fitNote();
}

void SendPanel::fitNote()
{
    // The note spans the panel's layout; a hidden label's own width is not kept up to date.
    const int width = layout() ? layout()->contentsRect().width() : m_note->width();
    const int needed = m_note->text().isEmpty() || width <= 0 ? 0 : m_note->heightForWidth(width);
    if (needed != m_note->minimumHeight())
        m_note->setMinimumHeight(qMax(0, needed));
}

void SendPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitNote();
}

void SendPanel::addNote(const QString &note)
{
    const QString current = m_note->text();
    if (note.isEmpty() || current.split(QLatin1Char('\n')).contains(note))
        return;
    setNote(current.isEmpty() ? note : current + QLatin1Char('\n') + note);
}

QString SendPanel::note() const
{
    return m_note->text();
}

} // namespace idesk
