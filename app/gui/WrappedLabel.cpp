#include "WrappedLabel.h"

namespace idesk {

WrappedLabel::WrappedLabel(QWidget *parent) : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
}

void WrappedLabel::setWrappedText(const QString &text)
{
    setText(text);
    fit();
}

void WrappedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    fit();
}

void WrappedLabel::fit()
{
    // Before the first layout the width is a guess: a narrow one would ask for many lines.
    if (!isVisible() || width() < 100)
        return;
    const int height = heightForWidth(width());
    if (height > 0 && height != minimumHeight())
        setMinimumHeight(height);
}

} // namespace idesk
