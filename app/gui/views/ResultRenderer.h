#pragma once

#include "ResultContext.h"

#include <QString>
#include <QWidget>

class QLabel;

namespace idesk {

// One view of an answer (scores, entities, boxes...). ViewChooser creates the right one for a kind.
class ResultRenderer : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    // The view kind this renderer draws: "scores", "entities", ..., "json", "error", "raw".
    virtual QString kind() const = 0;
    virtual void showResult(const ResultContext &context) = 0;
    // What the Copy button puts on the clipboard while this view is shown.
    virtual void copyToClipboard() const;
    // The text Copy copies (the default copyToClipboard uses it).
    virtual QString copyText() const { return {}; }

protected:
    // The muted line that repeats what was asked (question, table query).
    QLabel *makeQuestionLabel();
    // The answer in large bold selectable text.
    QLabel *makeAnswerLabel();
};

} // namespace idesk
