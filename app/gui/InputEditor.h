#pragma once

#include "InferenceRequest.h"
#include "TaskCatalog.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QStackedWidget;

namespace idesk {

class ConversationEditor;
class FileDropArea;

// The request's input, shaped by the task's input kind: plain text, paired fields, an image or audio
// file, a table question, a chat message, or raw JSON validated as you type.
class InputEditor : public QWidget
{
    Q_OBJECT
public:
    explicit InputEditor(QWidget *parent = nullptr);

    void setInputKind(InputKind kind);
    InputKind inputKind() const { return m_kind; }
    // Raw JSON mode: the `inputs` value typed as JSON, whatever the task.
    void setRawJson(bool on);
    bool isRawJson() const;

    QJsonValue inputs() const;
    InputFile file() const;
    // Parameters that belong to the input (candidate_labels for the *WithLabels kinds).
    QJsonObject inputParameters() const;
    // Parameter names the input editor fills (hidden from the parameter table).
    QStringList ownedParameters() const;
    bool usesFile() const;
    // What stops the input from being sent, one sentence each ("" list when ready).
    QStringList problems() const;

    // Restores a request's input (kind must be set first).
    void setInputs(const QJsonValue &inputs, const InputFile &file, const QJsonObject &parameters);
    bool loadFile(const QString &path);
    void setMaxFileBytes(qint64 bytes);
    FileDropArea *fileArea() const { return m_fileArea; }
    // The chat page's editor (built at the first call if the Chat kind was never chosen).
    ConversationEditor *conversation();

Q_SIGNALS:
    void changed();

private:
    QJsonValue structuredInputs() const;
    QStringList structuredProblems() const;
    void updatePage();
    void validateJson();
    QStringList labels() const;
    QWidget *addPage(const QList<QPair<QString, QWidget *>> &rows, int stretchRow);
    // The page of a kind, built at the first call; the JSON page's editor likewise.
    QWidget *ensurePage(InputKind kind);
    QPlainTextEdit *jsonEdit();
    QString jsonText() const;

    InputKind m_kind = InputKind::Text;
    FileDropArea *m_fileArea = nullptr;
    QStackedWidget *m_pages = nullptr;
    QCheckBox *m_raw = nullptr;
    QWidget *m_emptyPage = nullptr;

    QWidget *m_textPage = nullptr;
    QPlainTextEdit *m_text = nullptr;

    QWidget *m_qcPage = nullptr;
    QLineEdit *m_question = nullptr;
    QPlainTextEdit *m_context = nullptr;

    QWidget *m_simPage = nullptr;
    QLineEdit *m_source = nullptr;
    QPlainTextEdit *m_sentences = nullptr;

    QWidget *m_labelsPage = nullptr;
    QPlainTextEdit *m_labelsText = nullptr;
    QLineEdit *m_labels = nullptr;

    QWidget *m_tablePage = nullptr;
    QLineEdit *m_query = nullptr;
    QPlainTextEdit *m_table = nullptr;

    QWidget *m_imageQuestionPage = nullptr;
    QLineEdit *m_imageQuestion = nullptr;

    QWidget *m_imageLabelsPage = nullptr;
    QLineEdit *m_imageLabels = nullptr;

    QWidget *m_chatPage = nullptr;
    ConversationEditor *m_conversation = nullptr;

    QWidget *m_jsonPage = nullptr;
    QPlainTextEdit *m_json = nullptr;
    QLabel *m_jsonStatus = nullptr;
    QString m_pendingJson;              // the JSON text set before the JSON page was built
    QWidget *m_lastPageField = nullptr; // the pages' fields go here in the tab order, before the raw box
};

} // namespace idesk
