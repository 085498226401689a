#pragma once

#include <QFrame>

namespace idesk {

// One line of text that never widens its window: cut with "…" to the width it is given, the whole text in
// its tooltip (and accessible description) when it is cut. For headers and status lines whose length
// depends on what a server said or what a person typed (model ids, answer summaries).
class ElidedLabel : public QFrame
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }
    void clear() { setText(QString()); }
    // True when the text does not fit and is shown cut.
    bool isElided() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateToolTip();

    QString m_text;
};

} // namespace idesk
