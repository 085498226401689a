#pragma once

#include <QStatusBar>

namespace idesk {

// A status bar whose message never runs into the permanent widgets on its right (the token in use): a
// message longer than the room left of them is cut with "…", the whole of it in a tooltip over the message.
// currentMessage() stays the whole text.
class ElidingStatusBar : public QStatusBar
{
    Q_OBJECT
public:
    explicit ElidingStatusBar(QWidget *parent = nullptr);

    // Where the message is drawn: from the left edge to the first permanent widget.
    QRect messageRoom() const;
    // The message as drawn ("" when none), cut to the room.
    QString shownMessage() const;
    bool isMessageElided() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
};

} // namespace idesk
