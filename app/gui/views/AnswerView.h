#pragma once

#include "ResultRenderer.h"

class QLabel;
class QTextBrowser;
class QGridLayout;
class QVBoxLayout;

namespace idesk {

// An answer with its score, highlighted inside the context where the answer says where (extractive
// question answering), other candidates below (visual QA), and the input image beside it (document
// and visual QA).
class AnswerView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit AnswerView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("answer"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return m_copy; }

    QString answerText() const;
    int highlightedSpanCount() const { return m_spans; }
    int candidateCount() const { return m_candidates; }

private:
    QLabel *m_question = nullptr;
    QLabel *m_answer = nullptr;
    QLabel *m_score = nullptr;
    QLabel *m_image = nullptr;
    QLabel *m_contextCaption = nullptr;
    QTextBrowser *m_context = nullptr;
    QWidget *m_others = nullptr;
    QGridLayout *m_othersLayout = nullptr;
    QVBoxLayout *m_left = nullptr;
    QString m_copy;
    int m_spans = 0;
    int m_candidates = 0;
};

} // namespace idesk
