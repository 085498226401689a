#pragma once

#include "ResultRenderer.h"

class QVBoxLayout;

namespace idesk {

// Labels sorted by score with proportional bars and percentages (classification, zero-shot,
// fill-mask with the filled sequence, sentence similarity).
class ScoresView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit ScoresView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("scores"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return m_copy; }
    int barCount() const { return m_bars; }

    static constexpr int maxRowsPerGroup = 100;

private:
    QWidget *m_content = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QString m_copy;
    int m_bars = 0;
};

} // namespace idesk
