#include "TabOrder.h"

#include <QList>
#include <QWidget>

namespace idesk::TabOrder {

QWidget *placeAfter(QWidget *after, QWidget *part)
{
    // The part's widgets, in the order the focus chain holds them (a part built as one block is one run).
    QList<QWidget *> widgets;
    if (part->focusPolicy() != Qt::NoFocus)
        widgets << part;
    for (QWidget *w = part->nextInFocusChain(); w && w != part; w = w->nextInFocusChain()) {
        if (part->isAncestorOf(w) && w->focusPolicy() != Qt::NoFocus && !w->focusProxy())
            widgets << w;
    }
    QWidget *last = after;
    for (QWidget *w : std::as_const(widgets)) {
        QWidget::setTabOrder(last, w);
        last = w;
    }
    return last;
}

} // namespace idesk::TabOrder
