#pragma once

#include <QWidget>

namespace idesk {

// A horizontal bar proportional to a score in [0, 1], in the palette's highlight colour.
class ScoreBar : public QWidget
{
    Q_OBJECT
public:
    explicit ScoreBar(double score, QWidget *parent = nullptr);
    double score() const { return m_score; }
    // "93.87%", "< 0.01%" for scores too small to show with `decimals`.
    static QString percentText(double score, int decimals = 2);
    QSize sizeHint() const override { return {160, 14}; }
    QSize minimumSizeHint() const override { return {40, 10}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    double m_score = 0;
};

} // namespace idesk
