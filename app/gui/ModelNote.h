#pragma once

#include "ModelIdCheck.h"

#include <QWidget>

class QLabel;

namespace idesk {

class ElidedLabel;

// The line under the Model box: what the model is (a curated model's note, the Hub's task and
// providers), that the Hub does not know it, or that the Hub could not be asked; with a one-click way out
// when the model is made for another task than the chosen one. One line, cut with "…" (the whole text in
// its tooltip): it never widens or heightens the window. Owns the check of ids typed by hand
// (ModelIdCheck).
class ModelNote : public QWidget
{
    Q_OBJECT
public:
    explicit ModelNote(QWidget *parent = nullptr);

    ModelIdCheck *checker() const { return m_check; }
    // What the Hub said about `id` at the last check: a kept answer, or the last failure for it.
    std::optional<ModelIdCheck::Result> resultFor(const QString &id) const;

    // A plain sentence (a hint, a curated model's note).
    void showText(const QString &text);
    // A model the Hub described, for the chosen task `appTask`.
    void showModel(const HubModel &model, const QString &appTask, bool offline = false);
    // What a check said, for the chosen task.
    void showResult(const ModelIdCheck::Result &result, const QString &appTask);

    QString text() const;
    // The offered task switch ("" when none is offered).
    QString offeredTask() const { return m_offered; }
    QLabel *actionLabel() const { return m_action; }

    // The app's task for a model the Hub describes: chat-completion for a chat model, else its
    // pipeline_tag when the app has a form for it; "" otherwise.
    static QString appTaskFor(const HubModel &model);

Q_SIGNALS:
    // The person asked to switch to `task` (the model's own).
    void switchTask(const QString &task);

private:
    void offer(const QString &task);

    ElidedLabel *m_text = nullptr;
    QLabel *m_action = nullptr;
    ModelIdCheck *m_check = nullptr;
    std::optional<ModelIdCheck::Result> m_last;
    QString m_offered;
};

} // namespace idesk
