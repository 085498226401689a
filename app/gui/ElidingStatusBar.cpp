#include "ElidingStatusBar.h"

#include <QHelpEvent>
#include <QPainter>
#include <QSizeGrip>
#include <QStyleOption>
#include <QToolTip>

namespace idesk {

namespace {
const int kLeft = 6; // QStatusBar's own margins around the message
const int kRight = 12;
} // namespace

ElidingStatusBar::ElidingStatusBar(QWidget *parent) : QStatusBar(parent)
{
    connect(this, &QStatusBar::messageChanged, this, [this] { update(); });
}

QRect ElidingStatusBar::messageRoom() const
{
    // A message hides the normal widgets: what stays visible is permanent (and the size grip).
    int right = width() - kRight;
    const auto children = findChildren<QWidget *>(Qt::FindDirectChildrenOnly);
    for (const QWidget *w : children)
        if (w->isVisible() && !qobject_cast<const QSizeGrip *>(w))
            right = std::min(right, w->x() - 2);
    return QRect(kLeft, 0, std::max(0, right - kLeft), height());
}

QString ElidingStatusBar::shownMessage() const
{
    return fontMetrics().elidedText(currentMessage(), Qt::ElideRight, messageRoom().width());
}

bool ElidingStatusBar::isMessageElided() const
{
    return !currentMessage().isEmpty() && shownMessage() != currentMessage();
}

void ElidingStatusBar::paintEvent(QPaintEvent *event)
{
    if (currentMessage().isEmpty()) {
        QStatusBar::paintEvent(event);
        return;
    }
    // QStatusBar would draw the whole message clipped at the first permanent widget, cut mid-letter
    // against it: this draws what it draws (the panel, a frame around each widget shown, which with a
    // message are the permanent ones) and the message once, cut with "…" where it must be.
    QPainter painter(this);
    QStyleOption option;
    option.initFrom(this);
    style()->drawPrimitive(QStyle::PE_PanelStatusBar, &option, &painter, this);
    const auto children = findChildren<QWidget *>(Qt::FindDirectChildrenOnly);
    for (QWidget *w : children) {
        if (!w->isVisible() || qobject_cast<QSizeGrip *>(w))
            continue;
        const QRect frame = w->geometry().adjusted(-2, -1, 2, 1);
        if (!event->rect().intersects(frame))
            continue;
        QStyleOption item(0);
        item.rect = frame;
        item.palette = palette();
        item.state = QStyle::State_None;
        style()->drawPrimitive(QStyle::PE_FrameStatusBarItem, &item, &painter, w);
    }
    painter.setPen(palette().windowText().color());
    painter.drawText(messageRoom(), int(Qt::AlignLeading | Qt::AlignVCenter | Qt::TextSingleLine),
                     shownMessage());
}

bool ElidingStatusBar::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QRect room = messageRoom();
        if (isMessageElided() && room.contains(help->pos())) {
            QToolTip::showText(help->globalPos(), currentMessage(), this, room);
            return true;
        }
    }
    return QStatusBar::event(event);
}

} // namespace idesk
