#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QWidget>

class QComboBox;
class QFrame;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QToolButton;
class QVBoxLayout;

namespace idesk {

class ElidedLabel;
class TurnImages;

// The input of the chat task: a system prompt and the turns of a conversation (user, assistant, and
// tool results), each editable, removable and movable up or down. New turns alternate user/assistant.
// It fills the request's `inputs` with the OpenAI messages array; a reply appended with
// appendAssistantMessage() becomes the next assistant turn (its tool calls kept, with a tool-result turn
// per call for the person to type), followed by an empty user turn so the conversation continues.
// A user turn holds images too (dropped, pasted or opened with its Add image button; TurnImages), sent as
// content parts after its text (ChatImages).
class ConversationEditor : public QWidget
{
    Q_OBJECT
public:
    struct Turn
    {
        QString role; // user | assistant | tool
        QString content;
        QJsonArray toolCalls; // assistant turns that called tools
        QString toolCallId;   // tool turns: the call they answer
        QStringList images;   // user turns: data URIs or http(s) URLs (ChatImages), sent after the text
    };

    explicit ConversationEditor(QWidget *parent = nullptr);

    QString systemPrompt() const;
    void setSystemPrompt(const QString &text);

    int turnCount() const { return int(m_turns.size()); }
    Turn turn(int index) const;
    // Adds a turn at the end; an empty role alternates (user after assistant or nothing, else assistant).
    int addTurn(const QString &role = QString(), const QString &content = QString());
    // What the Add … buttons do: a turn of `role` at the end (or the empty one already there), focused and
    // scrolled into view.
    int addTurnToType(const QString &role);
    void setTurnRole(int index, const QString &role);
    void setTurnText(int index, const QString &text);
    void removeTurn(int index);
    void moveTurn(int from, int to);
    void clear();

    // {"role": "system"} first when there is a system prompt, then every turn (empty user turns at the end
    // are left out: they are the next question, not typed yet).
    QJsonArray messages() const;
    // The request's inputs (the messages array).
    QJsonValue inputs() const { return messages(); }
    // Loads a messages array (a leading system message becomes the system prompt), or a plain string as
    // one user turn. False and *error (a sentence) when it is not a conversation.
    bool setInputs(const QJsonValue &inputs, QString *error = nullptr);
    // "" when the conversation can be sent, else what to fix.
    QString problem() const;

    // The reply as the next assistant turn; tool calls add a tool turn each, else an empty user turn.
    void appendAssistantMessage(const QJsonObject &message);

    // For tests: the widgets of a turn.
    QPlainTextEdit *turnEditor(int index) const;
    QComboBox *turnRoleBox(int index) const;
    QPlainTextEdit *systemEditor() const { return m_system; }
    // The system prompt shown in full (its editor), or folded to a line with the toggle; remembered.
    void setSystemPromptExpanded(bool expanded);
    bool isSystemPromptExpanded() const;
    TurnImages *turnImages(int index) const;
    QToolButton *turnAddImageButton(int index) const;

protected:
    // Images dropped on a turn or pasted into its text go to the turn's images (TurnImages).
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void changed();

private:
    void focusTurn(int index);
    struct Row
    {
        QFrame *frame = nullptr;
        QComboBox *role = nullptr;
        QPlainTextEdit *text = nullptr;
        QLabel *note = nullptr;
        QToolButton *up = nullptr;
        QToolButton *down = nullptr;
        QToolButton *remove = nullptr;
        QToolButton *addImage = nullptr;
        TurnImages *images = nullptr;
        QJsonArray toolCalls;
        QString toolCallId;
    };
    Row makeRow(const QString &role, const QString &content);
    void relayout();
    void updateNote(Row &row);
    int indexOfFrame(const QObject *frame) const;
    int indexOfWatched(const QObject *watched) const;
    void updateSystemPreview();

    QToolButton *m_systemToggle = nullptr;
    ElidedLabel *m_systemPreview = nullptr;
    QPlainTextEdit *m_system = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_turnsHost = nullptr;
    QVBoxLayout *m_turnsLayout = nullptr;
    QPushButton *m_addUser = nullptr;
    QPushButton *m_addAssistant = nullptr;
    QPushButton *m_addTool = nullptr;
    QList<Row> m_turns;
};

} // namespace idesk
