#include "AnswerView.h"

#include "ScoreBar.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QTextBrowser>
#include <QTextCursor>
#include <QVBoxLayout>

#include <cmath>

namespace idesk {

AnswerView::AnswerView(QWidget *parent) : ResultRenderer(parent)
{
    m_question = makeQuestionLabel();
    m_answer = makeAnswerLabel();
    m_score = new QLabel(this);
    m_score->setAccessibleName(tr("Answer score"));
    m_contextCaption = new QLabel(tr("Context:"), this);
    m_context = new QTextBrowser(this);
    m_context->setAccessibleName(tr("Context with the answer highlighted"));
    m_image = new QLabel(this);
    m_image->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    m_image->setAccessibleName(tr("Input image"));
    m_others = new QWidget(this);
    m_othersLayout = new QGridLayout(m_others);
    m_othersLayout->setContentsMargins(0, 0, 0, 0);
    m_othersLayout->setColumnStretch(1, 1);

    m_left = new QVBoxLayout;
    m_left->addWidget(m_question);
    m_left->addWidget(m_answer);
    m_left->addWidget(m_score);
    m_left->addWidget(m_others);
    m_left->addWidget(m_contextCaption);
    m_left->addWidget(m_context, 1);
    m_left->addStretch(0); // takes the room when there is no context to show
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(m_left, 3);
    layout->addWidget(m_image, 2);
}

QString AnswerView::answerText() const
{
    return m_answer->text();
}

void AnswerView::showResult(const ResultContext &context)
{
    const ResultShape &shape = context.shape;
    m_spans = 0;
    m_candidates = 0;
    const ResultShape::Answer best = shape.answers.value(0);
    m_question->setText(shape.contextTitle.isEmpty() ? QString()
                                                     : tr("Question: %1").arg(shape.contextTitle));
    m_question->setVisible(!shape.contextTitle.isEmpty());
    m_answer->setText(best.answer.isEmpty() ? tr("(empty answer)") : best.answer);
    m_score->setText(std::isnan(best.score) ? tr("The model gave no score.")
                                            : tr("Score %1").arg(ScoreBar::percentText(best.score)));

    // Other candidates (visual QA answers a ranked list).
    while (QLayoutItem *item = m_othersLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (int i = 1; i < shape.answers.size() && i <= 20; ++i) {
        const auto &a = shape.answers.at(i);
        m_othersLayout->addWidget(new QLabel(a.answer, m_others), i, 0);
        if (!std::isnan(a.score)) {
            auto *bar = new ScoreBar(a.score, m_others);
            bar->setAccessibleName(tr("%1: %2 percent").arg(a.answer).arg(a.score * 100.0, 0, 'f', 1));
            m_othersLayout->addWidget(bar, i, 1);
            m_othersLayout->addWidget(new QLabel(ScoreBar::percentText(a.score), m_others), i, 2);
        }
        ++m_candidates;
    }
    m_others->setVisible(m_candidates > 0);

    // The context with the answer highlighted.
    m_context->clear();
    const QString &text = shape.inputText;
    m_context->setVisible(!text.isEmpty());
    m_contextCaption->setVisible(!text.isEmpty());
    m_left->setStretch(m_left->count() - 1, text.isEmpty() ? 1 : 0);
    if (!text.isEmpty()) {
        QTextCursor cursor(m_context->document());
        if (best.start >= 0 && best.end <= text.size() && best.start < best.end) {
            cursor.insertText(text.left(best.start), QTextCharFormat());
            QTextCharFormat mark;
            QColor hl = palette().color(QPalette::Highlight);
            hl.setAlpha(110);
            mark.setBackground(hl);
            mark.setFontWeight(QFont::Bold);
            mark.setToolTip(m_score->text());
            cursor.insertText(text.mid(best.start, best.end - best.start), mark);
            cursor.insertText(text.mid(best.end), QTextCharFormat());
            m_spans = 1;
        } else {
            cursor.insertText(text);
        }
    }

    // The image asked about.
    if (!context.inputImage.isNull()) {
        m_image->setPixmap(QPixmap::fromImage(
            context.inputImage.scaled(360, 480, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        m_image->show();
    } else {
        m_image->clear();
        m_image->hide();
    }

    QStringList copy;
    for (const auto &a : shape.answers)
        copy.append(std::isnan(a.score) ? a.answer : QStringLiteral("%1\t%2").arg(a.answer).arg(a.score));
    m_copy = copy.join(QLatin1Char('\n'));
}

} // namespace idesk
