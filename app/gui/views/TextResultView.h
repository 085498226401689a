#pragma once

#include "ResultRenderer.h"

class QLabel;
class QPlainTextEdit;

namespace idesk {

// Text answers (summaries, translations, generated text, captions, transcriptions) and chat messages:
// readable, selectable, copyable; streamed tokens are appended as they arrive.
class TextResultView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit TextResultView(QWidget *parent = nullptr);
    QString kind() const override { return m_kind; }
    void showResult(const ResultContext &context) override;
    QString copyText() const override;

    void startStream();
    void appendStreamText(const QString &text);
    QString text() const;
    QString footerText() const; // finish reason, tokens used, length

private:
    QLabel *m_header = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_footer = nullptr;
    QString m_kind = QStringLiteral("text");
};

} // namespace idesk
