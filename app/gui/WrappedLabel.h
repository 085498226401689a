#pragma once

#include <QLabel>

namespace idesk {

// A word-wrapped, plain-text label that keeps the height its text needs at its current width. (In a
// dialog of a given size Qt's layouts do not always honour a wrapped QLabel's height-for-width, and the
// last lines are cut off.) Used for the live problem lists of the parameter dialogs.
class WrappedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit WrappedLabel(QWidget *parent = nullptr);
    // setText(), then the height that shows all of it.
    void setWrappedText(const QString &text);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fit();
};

} // namespace idesk
