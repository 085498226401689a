#include "InputEditor.h"

#include "ConversationEditor.h"
#include "FileDropArea.h"
#include "TabOrder.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <type_traits>

namespace idesk {

namespace {

QPlainTextEdit *makeTextEdit(const QString &name, const QString &placeholder, const QString &accessible)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(accessible);
    edit->setTabChangesFocus(true);
    return edit;
}

QLineEdit *makeLineEdit(const QString &name, const QString &placeholder, const QString &accessible)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(accessible);
    edit->setClearButtonEnabled(true);
    return edit;
}

// A page not built yet reads as empty.
QString textOf(const QPlainTextEdit *edit)
{
    return edit ? edit->toPlainText() : QString();
}

QString textOf(const QLineEdit *edit)
{
    return edit ? edit->text() : QString();
}

QStringList nonEmptyLines(const QString &text)
{
    QStringList out;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const QString t = line.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

QStringList splitLabels(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString t = part.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

QStringList splitRow(const QString &line, QChar separator)
{
    QStringList cells;
    for (const QString &cell : line.split(separator))
        cells << cell.trimmed();
    return cells;
}

// A table typed as CSV (or tab-separated): the first line holds the column names.
QJsonObject parseTable(const QString &text, QString *error)
{
    const QStringList lines = nonEmptyLines(text);
    if (lines.isEmpty()) {
        *error = QCoreApplication::translate("idesk::InputEditor",
                                             "Type the table: column names on the first line, then one row "
                                             "per line, cells separated by commas.");
        return {};
    }
    const QChar sep = lines.first().contains(QLatin1Char('\t')) ? QLatin1Char('\t') : QLatin1Char(',');
    const QStringList header = splitRow(lines.first(), sep);
    QList<QJsonArray> columns(header.size());
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList cells = splitRow(lines.at(i), sep);
        if (cells.size() != header.size()) {
            *error = QCoreApplication::translate("idesk::InputEditor",
                                                 "Table row %1 has %2 cells but there are %3 columns. Give "
                                                 "every row one cell per column.")
                         .arg(i + 1)
                         .arg(cells.size())
                         .arg(header.size());
            return {};
        }
        for (int c = 0; c < cells.size(); ++c)
            columns[c].append(cells.at(c));
    }
    QJsonObject table;
    for (int c = 0; c < header.size(); ++c)
        table.insert(header.at(c), columns.at(c));
    return table;
}

QString tableToText(const QJsonObject &table)
{
    const QStringList names = table.keys();
    QStringList lines{names.join(QStringLiteral(", "))};
    int rows = 0;
    for (const QString &name : names)
        rows = std::max(rows, int(table.value(name).toArray().size()));
    for (int r = 0; r < rows; ++r) {
        QStringList cells;
        for (const QString &name : names)
            cells << table.value(name).toArray().at(r).toVariant().toString();
        lines << cells.join(QStringLiteral(", "));
    }
    return lines.join(QLatin1Char('\n'));
}

QString labelsToText(const QJsonValue &labels)
{
    QStringList out;
    for (const QJsonValue &v : labels.toArray())
        out << v.toString();
    return out.join(QStringLiteral(", "));
}

QString toJsonText(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return {};
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QJsonValue parseJsonValue(const QString &text, QString *error)
{
    QJsonParseError parseError;
    const QByteArray utf8 = text.toUtf8();
    // Wrapped in an array so that a bare string, number or boolean is accepted too.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + utf8 + "\n]", &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        if (error) {
            const int offset = std::max(0, parseError.offset - 1);
            const int line = utf8.left(offset).count('\n') + 1;
            *error = QCoreApplication::translate("idesk::InputEditor",
                                                 "The inputs are not valid JSON: %1 (line %2). Text goes "
                                                 "in double quotes: \"like this\".")
                         .arg(doc.array().size() > 1
                                  ? QCoreApplication::translate("idesk::InputEditor", "more than one value")
                                  : parseError.errorString())
                         .arg(line);
        }
        return QJsonValue::Undefined;
    }
    return doc.array().first();
}

} // namespace

InputEditor::InputEditor(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("inputEditor"));
    m_fileArea = new FileDropArea(this);
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("inputPages"));

    m_emptyPage = new QWidget;
    m_pages->addWidget(m_emptyPage);
    // Only the text page, the default kind's, is built now: the others when their kind is first chosen
    // (a page not built yet reads as empty). A start-up builds one page instead of ten.
    ensurePage(InputKind::Text);
    m_lastPageField = m_text;

    m_raw = new QCheckBox(tr("Edit inputs as raw &JSON"), this);
    m_raw->setObjectName(QStringLiteral("rawJson"));
    m_raw->setToolTip(tr("Type the request's \"inputs\" value as JSON, for shapes the form does not cover"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_fileArea, 2);
    layout->addWidget(m_pages, 3);
    layout->addWidget(m_raw);

    connect(m_fileArea, &FileDropArea::fileChanged, this, &InputEditor::changed);
    connect(m_raw, &QCheckBox::toggled, this, [this](bool on) {
        QPlainTextEdit *json = jsonEdit();
        if (on && json->toPlainText().trimmed().isEmpty())
            json->setPlainText(toJsonText(structuredInputs()));
        updatePage();
        Q_EMIT changed();
    });

    updatePage();
}

QWidget *InputEditor::ensurePage(InputKind kind)
{
    const auto watch = [this](auto *edit) {
        using Edit = std::remove_pointer_t<decltype(edit)>;
        connect(edit, &Edit::textChanged, this, &InputEditor::changed);
        return edit;
    };
    switch (kind) {
    case InputKind::Text:
        if (!m_textPage) {
            m_text = watch(
                makeTextEdit(QStringLiteral("inputText"), tr("Type the text to send…"), tr("Input text")));
            m_textPage = addPage({{tr("&Text"), m_text}}, 0);
        }
        return m_textPage;
    case InputKind::QuestionContext:
        if (!m_qcPage) {
            m_question = watch(makeLineEdit(QStringLiteral("inputQuestion"), tr("What do you want to know?"),
                                            tr("Question")));
            m_context = watch(makeTextEdit(QStringLiteral("inputContext"),
                                           tr("The text that holds the answer…"), tr("Context")));
            m_qcPage = addPage({{tr("&Question"), m_question}, {tr("C&ontext"), m_context}}, 1);
        }
        return m_qcPage;
    case InputKind::SentenceSimilarity:
        if (!m_simPage) {
            m_source = watch(makeLineEdit(QStringLiteral("inputSourceSentence"),
                                          tr("The sentence to compare"), tr("Source sentence")));
            m_sentences = watch(makeTextEdit(QStringLiteral("inputSentences"), tr("One sentence per line"),
                                             tr("Sentences to compare with")));
            m_simPage = addPage(
                {{tr("&Source sentence"), m_source}, {tr("Sentences (one per &line)"), m_sentences}}, 1);
        }
        return m_simPage;
    case InputKind::TextWithLabels:
        if (!m_labelsPage) {
            m_labelsText = watch(makeTextEdit(QStringLiteral("inputLabelsText"),
                                              tr("Type the text to classify…"), tr("Input text")));
            m_labels = watch(makeLineEdit(QStringLiteral("inputCandidateLabels"),
                                          tr("e.g. sports, politics, science"), tr("Candidate labels")));
            m_labelsPage = addPage(
                {{tr("&Text"), m_labelsText}, {tr("Candidate &labels (comma-separated)"), m_labels}}, 0);
        }
        return m_labelsPage;
    case InputKind::TableQuestion:
        if (!m_tablePage) {
            m_query = watch(makeLineEdit(QStringLiteral("inputTableQuery"),
                                         tr("e.g. How many stars does the transformers "
                                            "repository have?"),
                                         tr("Table question")));
            m_table = watch(makeTextEdit(QStringLiteral("inputTable"),
                                         tr("Repository, Stars\ntransformers, 36542\ndatasets, 4512"),
                                         tr("Table")));
            m_tablePage =
                addPage({{tr("&Question"), m_query},
                         {tr("&Table (column names on the first line, cells separated by commas)"), m_table}},
                        1);
        }
        return m_tablePage;
    case InputKind::ImageQuestion:
        if (!m_imageQuestionPage) {
            m_imageQuestion =
                watch(makeLineEdit(QStringLiteral("inputImageQuestion"), tr("What is in the picture?"),
                                   tr("Question about the image")));
            m_imageQuestionPage = addPage({{tr("&Question"), m_imageQuestion}}, -1);
        }
        return m_imageQuestionPage;
    case InputKind::ImageWithLabels:
        if (!m_imageLabelsPage) {
            m_imageLabels = watch(makeLineEdit(QStringLiteral("inputImageLabels"), tr("e.g. cat, dog, bird"),
                                               tr("Candidate labels")));
            m_imageLabelsPage = addPage({{tr("Candidate &labels (comma-separated)"), m_imageLabels}}, -1);
        }
        return m_imageLabelsPage;
    case InputKind::Chat:
        if (!m_chatPage) {
            m_conversation = new ConversationEditor;
            m_conversation->setObjectName(QStringLiteral("conversationEditor"));
            m_conversation->setAccessibleName(tr("Conversation"));
            connect(m_conversation, &ConversationEditor::changed, this, &InputEditor::changed);
            m_chatPage = addPage({{QString(), m_conversation}}, 0);
        }
        return m_chatPage;
    case InputKind::Json:
        jsonEdit();
        return m_jsonPage;
    case InputKind::Image:
    case InputKind::Audio:
        break;
    }
    return m_emptyPage;
}

QPlainTextEdit *InputEditor::jsonEdit()
{
    if (!m_jsonPage) {
        m_json = makeTextEdit(QStringLiteral("inputJson"),
                              tr("\"a string\", {\"an\": \"object\"} or [\"a list\"]"), tr("Inputs as JSON"));
        m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_json->setPlainText(m_pendingJson);
        m_pendingJson.clear();
        m_jsonStatus = new QLabel;
        m_jsonStatus->setObjectName(QStringLiteral("inputJsonStatus"));
        m_jsonStatus->setWordWrap(true);
        m_jsonPage = addPage({{tr("&Inputs (JSON)"), m_json}, {QString(), m_jsonStatus}}, 0);
        connect(m_json, &QPlainTextEdit::textChanged, this, [this] {
            validateJson();
            Q_EMIT changed();
        });
        validateJson();
    }
    return m_json;
}

QString InputEditor::jsonText() const
{
    return m_json ? m_json->toPlainText() : m_pendingJson;
}

ConversationEditor *InputEditor::conversation()
{
    ensurePage(InputKind::Chat);
    return m_conversation;
}

QWidget *InputEditor::addPage(const QList<QPair<QString, QWidget *>> &rows, int stretchRow)
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < rows.size(); ++i) {
        if (!rows.at(i).first.isEmpty()) {
            auto *label = new QLabel(rows.at(i).first, page);
            label->setBuddy(rows.at(i).second);
            layout->addWidget(label);
        }
        layout->addWidget(rows.at(i).second, i == stretchRow ? 1 : 0);
    }
    if (stretchRow < 0)
        layout->addStretch(1);
    m_pages->addWidget(page);
    if (m_lastPageField) // a page built after the window: its fields keep their place when tabbing
        m_lastPageField = TabOrder::placeAfter(m_lastPageField, page);
    return page;
}

void InputEditor::setInputKind(InputKind kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    updatePage();
    Q_EMIT changed();
}

void InputEditor::setRawJson(bool on)
{
    m_raw->setChecked(on);
}

bool InputEditor::isRawJson() const
{
    return m_kind == InputKind::Json ||
           (m_raw->isChecked() && m_kind != InputKind::Image && m_kind != InputKind::Audio);
}

bool InputEditor::usesFile() const
{
    switch (m_kind) {
    case InputKind::Image:
    case InputKind::ImageQuestion:
    case InputKind::ImageWithLabels:
    case InputKind::Audio:
        return true;
    default:
        return false;
    }
}

void InputEditor::updatePage()
{
    m_fileArea->setVisible(usesFile());
    m_fileArea->setMode(m_kind == InputKind::Audio ? FileDropArea::Mode::Audio : FileDropArea::Mode::Image);
    m_raw->setVisible(m_kind != InputKind::Json && m_kind != InputKind::Image && m_kind != InputKind::Audio);
    QWidget *page = isRawJson() ? ensurePage(InputKind::Json) : ensurePage(m_kind);
    // Only the current page counts for the stack's size, so that a one-line page next to an image
    // leaves the room to the image.
    for (int i = 0; i < m_pages->count(); ++i)
        m_pages->widget(i)->setSizePolicy(
            m_pages->widget(i) == page ? QSizePolicy::Preferred : QSizePolicy::Ignored,
            m_pages->widget(i) == page ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_pages->setCurrentWidget(page);
    m_pages->setVisible(page != m_emptyPage);
    auto *layout = static_cast<QVBoxLayout *>(this->layout());
    const bool smallPage = page == m_imageQuestionPage || page == m_imageLabelsPage || page == m_emptyPage;
    layout->setStretchFactor(m_fileArea, 1);
    layout->setStretchFactor(m_pages, smallPage ? 0 : 1);
    m_pages->adjustSize();
}

QStringList InputEditor::labels() const
{
    return splitLabels(m_kind == InputKind::ImageWithLabels ? textOf(m_imageLabels) : textOf(m_labels));
}

QJsonValue InputEditor::structuredInputs() const
{
    switch (m_kind) {
    case InputKind::Text:
        return textOf(m_text);
    case InputKind::QuestionContext:
        return QJsonObject{{QStringLiteral("question"), textOf(m_question)},
                           {QStringLiteral("context"), textOf(m_context)}};
    case InputKind::SentenceSimilarity:
        return QJsonObject{
            {QStringLiteral("source_sentence"), textOf(m_source)},
            {QStringLiteral("sentences"), QJsonArray::fromStringList(nonEmptyLines(textOf(m_sentences)))}};
    case InputKind::TextWithLabels:
        return textOf(m_labelsText);
    case InputKind::TableQuestion: {
        QString error;
        return QJsonObject{{QStringLiteral("query"), textOf(m_query)},
                           {QStringLiteral("table"), parseTable(textOf(m_table), &error)}};
    }
    case InputKind::ImageQuestion:
        return QJsonObject{{QStringLiteral("question"), textOf(m_imageQuestion)}};
    case InputKind::Chat:
        return m_conversation ? m_conversation->inputs() : QJsonValue(QJsonArray());
    case InputKind::Image:
    case InputKind::ImageWithLabels:
    case InputKind::Audio:
    case InputKind::Json:
        break;
    }
    return QJsonValue(); // null, as in a default InferenceRequest: the file is the input
}

QJsonValue InputEditor::inputs() const
{
    if (isRawJson())
        return parseJsonValue(jsonText(), nullptr);
    return structuredInputs();
}

InputFile InputEditor::file() const
{
    return usesFile() ? m_fileArea->file() : InputFile{};
}

QJsonObject InputEditor::inputParameters() const
{
    if (m_kind != InputKind::TextWithLabels && m_kind != InputKind::ImageWithLabels)
        return {};
    const QStringList list = labels();
    if (list.isEmpty())
        return {};
    return QJsonObject{{QStringLiteral("candidate_labels"), QJsonArray::fromStringList(list)}};
}

QStringList InputEditor::ownedParameters() const
{
    if (m_kind == InputKind::TextWithLabels || m_kind == InputKind::ImageWithLabels)
        return {QStringLiteral("candidate_labels")};
    return {};
}

QStringList InputEditor::structuredProblems() const
{
    QStringList out;
    switch (m_kind) {
    case InputKind::Text:
        if (textOf(m_text).trimmed().isEmpty())
            out << tr("Type the text to send.");
        break;
    case InputKind::QuestionContext:
        if (textOf(m_question).trimmed().isEmpty())
            out << tr("Type a question.");
        if (textOf(m_context).trimmed().isEmpty())
            out << tr("Type the context the answer is taken from.");
        break;
    case InputKind::SentenceSimilarity:
        if (textOf(m_source).trimmed().isEmpty())
            out << tr("Type the source sentence.");
        if (nonEmptyLines(textOf(m_sentences)).isEmpty())
            out << tr("Type at least one sentence to compare with, one per line.");
        break;
    case InputKind::TextWithLabels:
        if (textOf(m_labelsText).trimmed().isEmpty())
            out << tr("Type the text to classify.");
        break;
    case InputKind::TableQuestion: {
        if (textOf(m_query).trimmed().isEmpty())
            out << tr("Type a question about the table.");
        QString error;
        parseTable(textOf(m_table), &error);
        if (!error.isEmpty())
            out << error;
        break;
    }
    case InputKind::ImageQuestion:
        if (textOf(m_imageQuestion).trimmed().isEmpty())
            out << tr("Type a question about the image.");
        break;
    case InputKind::Chat:
        if (m_conversation && !m_conversation->problem().isEmpty())
            out << m_conversation->problem();
        break;
    case InputKind::Image:
    case InputKind::ImageWithLabels:
    case InputKind::Audio:
    case InputKind::Json:
        break;
    }
    if ((m_kind == InputKind::TextWithLabels || m_kind == InputKind::ImageWithLabels) && labels().isEmpty())
        out << tr("Give at least one candidate label (comma-separated).");
    return out;
}

QStringList InputEditor::problems() const
{
    QStringList out;
    if (usesFile() && m_fileArea->file().isEmpty())
        out << (m_kind == InputKind::Audio ? tr("Drop or open an audio file.")
                                           : tr("Drop, paste or open an image."));
    if (isRawJson()) {
        QString error;
        if (jsonText().trimmed().isEmpty())
            out << tr("Type the inputs as JSON.");
        else if (parseJsonValue(jsonText(), &error).isUndefined())
            out << error;
        if ((m_kind == InputKind::TextWithLabels || m_kind == InputKind::ImageWithLabels) &&
            labels().isEmpty())
            out << tr("Give at least one candidate label (comma-separated).");
    } else {
        out << structuredProblems();
    }
    return out;
}

void InputEditor::validateJson()
{
    const QString text = jsonText();
    QString error;
    if (text.trimmed().isEmpty()) {
        m_jsonStatus->setText(tr("Type a JSON value."));
    } else if (parseJsonValue(text, &error).isUndefined()) {
        m_jsonStatus->setText(QStringLiteral("⚠ ") + error);
    } else {
        m_jsonStatus->setText(tr("✓ Valid JSON"));
    }
}

void InputEditor::setInputs(const QJsonValue &inputs, const InputFile &file, const QJsonObject &parameters)
{
    if (usesFile() && !file.isEmpty())
        m_fileArea->setFile(file);
    ensurePage(m_kind);
    const QJsonObject o = inputs.toObject();
    bool structured = true;
    switch (m_kind) {
    case InputKind::Text:
        structured = inputs.isString();
        m_text->setPlainText(inputs.toString());
        break;
    case InputKind::QuestionContext:
        structured = inputs.isObject();
        m_question->setText(o.value(QStringLiteral("question")).toString());
        m_context->setPlainText(o.value(QStringLiteral("context")).toString());
        break;
    case InputKind::SentenceSimilarity: {
        structured = inputs.isObject();
        m_source->setText(o.value(QStringLiteral("source_sentence")).toString());
        QStringList lines;
        for (const QJsonValue &v : o.value(QStringLiteral("sentences")).toArray())
            lines << v.toString();
        m_sentences->setPlainText(lines.join(QLatin1Char('\n')));
        break;
    }
    case InputKind::TextWithLabels:
        structured = inputs.isString();
        m_labelsText->setPlainText(inputs.toString());
        break;
    case InputKind::TableQuestion:
        structured = inputs.isObject();
        m_query->setText(o.value(QStringLiteral("query")).toString());
        m_table->setPlainText(tableToText(o.value(QStringLiteral("table")).toObject()));
        break;
    case InputKind::ImageQuestion:
        m_imageQuestion->setText(o.value(QStringLiteral("question")).toString());
        break;
    case InputKind::Chat:
        structured = inputs.isUndefined() || inputs.isNull() || m_conversation->setInputs(inputs);
        break;
    case InputKind::Image:
    case InputKind::ImageWithLabels:
    case InputKind::Audio:
        break;
    case InputKind::Json:
        structured = false;
        break;
    }
    if (m_kind == InputKind::TextWithLabels)
        m_labels->setText(labelsToText(parameters.value(QStringLiteral("candidate_labels"))));
    if (m_kind == InputKind::ImageWithLabels)
        m_imageLabels->setText(labelsToText(parameters.value(QStringLiteral("candidate_labels"))));
    if (m_json)
        m_json->setPlainText(toJsonText(inputs));
    else
        m_pendingJson = toJsonText(inputs);
    if (m_kind != InputKind::Json)
        m_raw->setChecked(!structured && !inputs.isUndefined() && !inputs.isNull());
    updatePage();
}

bool InputEditor::loadFile(const QString &path)
{
    if (!usesFile())
        return false;
    return m_fileArea->loadFile(path);
}

void InputEditor::setMaxFileBytes(qint64 bytes)
{
    m_fileArea->setMaxBytes(bytes);
}

} // namespace idesk
