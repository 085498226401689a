#include "ConversationEditor.h"

#include "ChatImages.h"
#include "ElidedLabel.h"
#include "TurnImages.h"

#include <QClipboard>
#include <QComboBox>
#include <QDropEvent>
#include <QFileDialog>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace idesk {

namespace {
const char kSystemExpandedKey[] = "window/systemPromptExpanded";
const QStringList kRoles = {QStringLiteral("user"), QStringLiteral("assistant"), QStringLiteral("tool")};

QString roleLabel(const QString &role)
{
    if (role == QLatin1String("assistant"))
        return ConversationEditor::tr("Assistant");
    if (role == QLatin1String("tool"))
        return ConversationEditor::tr("Tool result");
    return ConversationEditor::tr("User");
}
} // namespace

ConversationEditor::ConversationEditor(QWidget *parent) : QWidget(parent)
{
    // The system prompt folds to one line (a toggle and the prompt's start), so the conversation keeps the
    // height at 1024x700; whether it is open is remembered.
    m_systemToggle = new QToolButton(this);
    m_systemToggle->setObjectName(QStringLiteral("systemPromptToggle"));
    m_systemToggle->setText(tr("System prompt"));
    m_systemToggle->setCheckable(true);
    m_systemToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_systemToggle->setAutoRaise(true);
    m_systemPreview = new ElidedLabel(this);
    m_systemPreview->setObjectName(QStringLiteral("systemPromptPreview"));
    m_systemPreview->setForegroundRole(QPalette::PlaceholderText);
    m_system = new QPlainTextEdit(this);
    m_system->setObjectName(QStringLiteral("systemPrompt"));
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setPlaceholderText(
        tr("How the assistant should behave, e.g. \"You are a concise assistant.\""));
    m_system->setMinimumHeight(m_system->fontMetrics().lineSpacing() * 2 + 12);
    m_system->setMaximumHeight(m_system->fontMetrics().lineSpacing() * 4 + 12);
    connect(m_system, &QPlainTextEdit::textChanged, this, [this] {
        updateSystemPreview();
        Q_EMIT changed();
    });
    connect(m_systemToggle, &QToolButton::toggled, this, [this](bool open) {
        setSystemPromptExpanded(open);
        QSettings().setValue(QLatin1String(kSystemExpandedKey), open);
        if (open)
            m_system->setFocus();
    });
    auto *systemRow = new QHBoxLayout;
    systemRow->addWidget(m_systemToggle);
    systemRow->addWidget(m_systemPreview, 1);

    m_turnsHost = new QWidget;
    m_turnsLayout = new QVBoxLayout(m_turnsHost);
    m_turnsLayout->setContentsMargins(0, 0, 0, 0);
    m_turnsLayout->addStretch(1);
    m_scroll = new QScrollArea(this); // the turns (their role boxes say what they are: no heading needed)
    m_scroll->setAccessibleName(tr("Conversation"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_turnsHost);

    m_addUser = new QPushButton(tr("Add &user turn"), this);
    m_addAssistant = new QPushButton(tr("Add &assistant turn"), this);
    m_addTool = new QPushButton(tr("Add &tool result"), this);
    m_addTool->setToolTip(tr("The result of a tool the model called, sent back so it can go on."));
    connect(m_addUser, &QPushButton::clicked, this, [this] { addTurnToType(QStringLiteral("user")); });
    connect(m_addAssistant, &QPushButton::clicked, this,
            [this] { addTurnToType(QStringLiteral("assistant")); });
    connect(m_addTool, &QPushButton::clicked, this, [this] { addTurnToType(QStringLiteral("tool")); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addUser);
    buttons->addWidget(m_addAssistant);
    buttons->addWidget(m_addTool);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(systemRow);
    layout->addWidget(m_system);
    layout->addWidget(m_scroll, 1);
    layout->addLayout(buttons);

    addTurn(QStringLiteral("user"));
    setSystemPromptExpanded(QSettings().value(QLatin1String(kSystemExpandedKey), false).toBool());
}

void ConversationEditor::setSystemPromptExpanded(bool expanded)
{
    m_system->setVisible(expanded);
    m_systemToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_systemToggle->setAccessibleName(expanded ? tr("Hide the system prompt") : tr("Show the system prompt"));
    if (m_systemToggle->isChecked() != expanded) {
        const QSignalBlocker block(m_systemToggle);
        m_systemToggle->setChecked(expanded);
    }
    updateSystemPreview();
}

bool ConversationEditor::isSystemPromptExpanded() const
{
    return m_systemToggle->isChecked();
}

void ConversationEditor::updateSystemPreview()
{
    // Folded: the prompt on one line (cut, whole in the tooltip), or what the section is for.
    const QString prompt = m_system->toPlainText().simplified();
    m_systemPreview->setText(isSystemPromptExpanded() ? QString()
                             : prompt.isEmpty()       ? tr("(optional) how the assistant should behave")
                                                      : prompt);
}

QString ConversationEditor::systemPrompt() const
{
    return m_system->toPlainText();
}

void ConversationEditor::setSystemPrompt(const QString &text)
{
    m_system->setPlainText(text);
}

ConversationEditor::Row ConversationEditor::makeRow(const QString &role, const QString &content)
{
    Row row;
    row.frame = new QFrame(m_turnsHost);
    row.frame->setFrameShape(QFrame::StyledPanel);
    row.role = new QComboBox(row.frame);
    for (const QString &r : kRoles)
        row.role->addItem(roleLabel(r), r);
    row.role->setCurrentIndex(qMax(0, kRoles.indexOf(role)));
    row.role->setAccessibleName(tr("Role of this turn"));
    row.text = new QPlainTextEdit(row.frame);
    row.text->setPlainText(content);
    row.text->setTabChangesFocus(true);
    row.text->setMinimumHeight(row.text->fontMetrics().lineSpacing() * 3 + 12);
    row.text->setMaximumHeight(row.text->fontMetrics().lineSpacing() * 10 + 12);
    row.note = new QLabel(row.frame);
    row.note->setWordWrap(true);
    row.note->setForegroundRole(QPalette::PlaceholderText);
    row.note->hide();
    row.up = new QToolButton(row.frame);
    row.up->setArrowType(Qt::UpArrow);
    row.up->setToolTip(tr("Move this turn up"));
    row.up->setAccessibleName(tr("Move up"));
    row.down = new QToolButton(row.frame);
    row.down->setArrowType(Qt::DownArrow);
    row.down->setToolTip(tr("Move this turn down"));
    row.down->setAccessibleName(tr("Move down"));
    row.remove = new QToolButton(row.frame);
    row.remove->setText(tr("Delete"));
    row.remove->setToolTip(tr("Delete this turn"));
    row.images = new TurnImages(row.frame);
    row.addImage = new QToolButton(row.frame);
    row.addImage->setObjectName(QStringLiteral("addImage"));
    row.addImage->setText(tr("Add &image"));
    row.addImage->setToolTip(tr("Attach an image for a vision model (you can also drop or paste one here)"));
    row.addImage->setPopupMode(QToolButton::InstantPopup);
    auto *imageMenu = new QMenu(row.addImage);
    TurnImages *images = row.images;
    imageMenu->addAction(tr("Image &file…"), this, [this, images] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Attach images"), QString(),
            tr("Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp);;All files (*)"));
        for (const QString &file : files)
            images->addFile(file);
    });
    imageMenu->addAction(tr("Image &address (URL)…"), this, [this, images] {
        bool ok = false;
        const QString url = QInputDialog::getText(this, tr("Attach an image by its address"),
                                                  tr("http(s) address of the image (sent as it is):"),
                                                  QLineEdit::Normal, QString(), &ok);
        if (ok && !url.trimmed().isEmpty())
            images->addWebUrl(url);
    });
    row.addImage->setMenu(imageMenu);
    connect(row.images, &TurnImages::changed, this, &ConversationEditor::changed);
    row.frame->setAcceptDrops(true);
    row.frame->installEventFilter(this);
    row.text->installEventFilter(this);
    row.text->viewport()->installEventFilter(this);

    auto *top = new QHBoxLayout;
    top->addWidget(row.role);
    top->addStretch(1);
    top->addWidget(row.addImage);
    top->addWidget(row.up);
    top->addWidget(row.down);
    top->addWidget(row.remove);
    auto *layout = new QVBoxLayout(row.frame);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addLayout(top);
    layout->addWidget(row.note);
    layout->addWidget(row.text);
    layout->addWidget(row.images);

    QFrame *frame = row.frame;
    connect(row.text, &QPlainTextEdit::textChanged, this, &ConversationEditor::changed);
    connect(row.role, &QComboBox::currentIndexChanged, this, [this, frame] {
        const int i = indexOfFrame(frame);
        if (i >= 0)
            updateNote(m_turns[i]);
        Q_EMIT changed();
    });
    connect(row.up, &QToolButton::clicked, this, [this, frame] {
        const int i = indexOfFrame(frame);
        if (i > 0)
            moveTurn(i, i - 1);
    });
    connect(row.down, &QToolButton::clicked, this, [this, frame] {
        const int i = indexOfFrame(frame);
        if (i >= 0 && i + 1 < turnCount())
            moveTurn(i, i + 1);
    });
    connect(row.remove, &QToolButton::clicked, this, [this, frame] {
        const int i = indexOfFrame(frame);
        if (i >= 0)
            removeTurn(i);
    });
    return row;
}

int ConversationEditor::indexOfFrame(const QObject *frame) const
{
    for (int i = 0; i < turnCount(); ++i)
        if (m_turns.at(i).frame == frame)
            return i;
    return -1;
}

void ConversationEditor::updateNote(Row &row)
{
    const QString role = row.role->currentData().toString();
    QString note;
    if (role == QLatin1String("assistant") && !row.toolCalls.isEmpty()) {
        QStringList names;
        for (const QJsonValue &c : row.toolCalls)
            names << c.toObject()
                         .value(QStringLiteral("function"))
                         .toObject()
                         .value(QStringLiteral("name"))
                         .toString();
        note = tr("Called: %1").arg(names.join(QLatin1String(", ")));
    } else if (role == QLatin1String("tool")) {
        note = row.toolCallId.isEmpty()
                   ? tr("Type what the tool returned.")
                   : tr("Result of call %1: type what the tool returned.").arg(row.toolCallId);
    }
    row.addImage->setVisible(role == QLatin1String("user"));
    row.note->setText(note);
    row.note->setVisible(!note.isEmpty());
    row.text->setPlaceholderText(role == QLatin1String("user") ? tr("Your message")
                                 : role == QLatin1String("assistant")
                                     ? tr("The assistant's earlier reply")
                                     : tr("The tool's result, e.g. {\"temperature\": 15}"));
}

void ConversationEditor::relayout()
{
    for (int i = 0; i < turnCount(); ++i) {
        Row &row = m_turns[i];
        m_turnsLayout->removeWidget(row.frame);
        m_turnsLayout->insertWidget(i, row.frame);
        row.up->setEnabled(i > 0);
        row.down->setEnabled(i + 1 < turnCount());
        setTabOrder(row.role, row.text);
    }
}

ConversationEditor::Turn ConversationEditor::turn(int index) const
{
    if (index < 0 || index >= turnCount())
        return {};
    const Row &row = m_turns.at(index);
    return Turn{row.role->currentData().toString(), row.text->toPlainText(), row.toolCalls, row.toolCallId,
                row.images->urls()};
}

int ConversationEditor::addTurn(const QString &roleIn, const QString &content)
{
    QString role = roleIn;
    if (role.isEmpty()) {
        const QString last = m_turns.isEmpty() ? QString() : m_turns.last().role->currentData().toString();
        role = last == QLatin1String("user") ? QStringLiteral("assistant") : QStringLiteral("user");
    }
    Row row = makeRow(role, content);
    m_turns.append(row);
    updateNote(m_turns.last());
    relayout();
    row.frame->show();
    Q_EMIT changed();
    return turnCount() - 1;
}

int ConversationEditor::addTurnToType(const QString &role)
{
    // An empty turn of that role already waiting at the end is the one to type in: no second one.
    int index = turnCount() - 1;
    if (index < 0 || turn(index).role != role || !turn(index).content.trimmed().isEmpty() ||
        !turn(index).toolCalls.isEmpty())
        index = addTurn(role);
    focusTurn(index);
    return index;
}

void ConversationEditor::focusTurn(int index)
{
    QPlainTextEdit *editor = turnEditor(index);
    if (!editor)
        return;
    editor->setFocus();
    // Once the new turn is laid out, scroll it into view.
    QTimer::singleShot(0, this, [this, editor = QPointer<QPlainTextEdit>(editor)] {
        if (editor)
            m_scroll->ensureWidgetVisible(editor);
    });
}

void ConversationEditor::setTurnRole(int index, const QString &role)
{
    if (index >= 0 && index < turnCount() && kRoles.contains(role))
        m_turns[index].role->setCurrentIndex(kRoles.indexOf(role));
}

void ConversationEditor::setTurnText(int index, const QString &text)
{
    if (index >= 0 && index < turnCount())
        m_turns[index].text->setPlainText(text);
}

void ConversationEditor::removeTurn(int index)
{
    if (index < 0 || index >= turnCount())
        return;
    const Row row = m_turns.takeAt(index);
    m_turnsLayout->removeWidget(row.frame);
    row.frame->deleteLater();
    relayout();
    Q_EMIT changed();
}

void ConversationEditor::moveTurn(int from, int to)
{
    if (from < 0 || from >= turnCount() || to < 0 || to >= turnCount() || from == to)
        return;
    m_turns.move(from, to);
    relayout();
    Q_EMIT changed();
}

void ConversationEditor::clear()
{
    m_system->clear();
    while (turnCount() > 0)
        removeTurn(turnCount() - 1);
}

QJsonArray ConversationEditor::messages() const
{
    QJsonArray out;
    if (!systemPrompt().trimmed().isEmpty())
        out.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                               {QStringLiteral("content"), systemPrompt()}});
    int last = turnCount() - 1;
    while (last >= 0 && turn(last).role == QLatin1String("user") && turn(last).content.trimmed().isEmpty() &&
           turn(last).images.isEmpty())
        --last;
    for (int i = 0; i <= last; ++i) {
        const Turn t = turn(i);
        QJsonObject m{{QStringLiteral("role"), t.role}};
        if (t.role == QLatin1String("assistant") && !t.toolCalls.isEmpty()) {
            m.insert(QStringLiteral("content"),
                     t.content.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(t.content));
            m.insert(QStringLiteral("tool_calls"), t.toolCalls);
        } else if (t.role == QLatin1String("user")) {
            m.insert(QStringLiteral("content"), ChatImages::contentFrom(t.content, t.images));
        } else {
            m.insert(QStringLiteral("content"), t.content);
        }
        if (t.role == QLatin1String("tool") && !t.toolCallId.isEmpty())
            m.insert(QStringLiteral("tool_call_id"), t.toolCallId);
        out.append(m);
    }
    return out;
}

bool ConversationEditor::setInputs(const QJsonValue &inputs, QString *error)
{
    QJsonArray list;
    if (inputs.isString()) {
        list = QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                      {QStringLiteral("content"), inputs.toString()}}};
    } else if (inputs.isArray()) {
        list = inputs.toArray();
    } else if (!inputs.isUndefined() && !inputs.isNull()) {
        if (error)
            *error =
                tr("A conversation is a list of messages [{\"role\", \"content\"}, ...] or a plain text.");
        return false;
    }
    for (const QJsonValue &v : std::as_const(list)) {
        const QString role = v.toObject().value(QStringLiteral("role")).toString();
        if (!v.isObject() || (role != QLatin1String("system") && !kRoles.contains(role))) {
            if (error)
                *error =
                    tr("The message %1 has no role the conversation knows (system, user, assistant, tool).")
                        .arg(QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)));
            return false;
        }
    }
    QSignalBlocker block(this);
    clear();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject m = list.at(i).toObject();
        const QString role = m.value(QStringLiteral("role")).toString();
        const QJsonValue content = m.value(QStringLiteral("content"));
        // Text and image parts are edited as text and thumbnails; any other part is kept as JSON text.
        bool onlyTextAndImages = content.isArray();
        for (const QJsonValue &part : content.toArray()) {
            const QString type = part.toObject().value(QStringLiteral("type")).toString();
            onlyTextAndImages =
                onlyTextAndImages && (type == QLatin1String("text") || type == QLatin1String("image_url"));
        }
        const QString text =
            content.isString() || onlyTextAndImages ? ChatImages::textOf(content)
            : content.isArray()
                ? QString::fromUtf8(QJsonDocument(content.toArray()).toJson(QJsonDocument::Compact))
                : QString();
        if (role == QLatin1String("system") && i == 0) {
            setSystemPrompt(text);
            continue;
        }
        const int index = addTurn(role == QLatin1String("system") ? QStringLiteral("user") : role, text);
        Row &row = m_turns[index];
        row.toolCalls = m.value(QStringLiteral("tool_calls")).toArray();
        row.toolCallId = m.value(QStringLiteral("tool_call_id")).toString();
        if (onlyTextAndImages)
            row.images->setUrls(ChatImages::imageUrlsOf(content));
        updateNote(row);
    }
    if (turnCount() == 0)
        addTurn(QStringLiteral("user"));
    block.unblock();
    Q_EMIT changed();
    return true;
}

QString ConversationEditor::problem() const
{
    const QJsonArray msgs = messages();
    bool anyUser = false;
    for (const QJsonValue &m : msgs)
        anyUser = anyUser || m.toObject().value(QStringLiteral("role")).toString() == QLatin1String("user");
    if (!anyUser)
        return tr("Type a user message: the conversation has none.");
    for (int i = 0; i < turnCount(); ++i) {
        const Turn t = turn(i);
        if (t.content.trimmed().isEmpty() && t.toolCalls.isEmpty() && t.images.isEmpty() &&
            i < msgs.size() - (systemPrompt().trimmed().isEmpty() ? 0 : 1))
            return tr("Turn %1 (%2) is empty: type its text or delete it.").arg(i + 1).arg(roleLabel(t.role));
    }
    const QJsonObject last = msgs.last().toObject();
    if (last.value(QStringLiteral("role")).toString() == QLatin1String("assistant") &&
        last.value(QStringLiteral("tool_calls")).isArray())
        return tr("The assistant called a tool: add a tool result turn (Add tool result) with what the tool "
                  "returned.");
    if (last.value(QStringLiteral("role")).toString() == QLatin1String("assistant"))
        return tr("The conversation ends with the assistant's reply: type your next message in a user turn "
                  "(Add user turn), or use Send anyway to have the model continue its reply.");
    return {};
}

void ConversationEditor::appendAssistantMessage(const QJsonObject &message)
{
    // An empty user turn waiting at the end is where the reply goes before it.
    while (turnCount() > 0 && turn(turnCount() - 1).role == QLatin1String("user") &&
           turn(turnCount() - 1).content.trimmed().isEmpty() && turn(turnCount() - 1).images.isEmpty())
        removeTurn(turnCount() - 1);
    const int index =
        addTurn(QStringLiteral("assistant"), message.value(QStringLiteral("content")).toString());
    Row &row = m_turns[index];
    row.toolCalls = message.value(QStringLiteral("tool_calls")).toArray();
    updateNote(row);
    if (row.toolCalls.isEmpty()) {
        addTurn(QStringLiteral("user"));
    } else {
        for (const QJsonValue &c : std::as_const(row.toolCalls)) {
            const int t = addTurn(QStringLiteral("tool"));
            m_turns[t].toolCallId = c.toObject().value(QStringLiteral("id")).toString();
            updateNote(m_turns[t]);
        }
    }
    focusTurn(turnCount() - 1);
    Q_EMIT changed();
}

QPlainTextEdit *ConversationEditor::turnEditor(int index) const
{
    return index >= 0 && index < turnCount() ? m_turns.at(index).text : nullptr;
}

TurnImages *ConversationEditor::turnImages(int index) const
{
    return index >= 0 && index < turnCount() ? m_turns.at(index).images : nullptr;
}

QToolButton *ConversationEditor::turnAddImageButton(int index) const
{
    return index >= 0 && index < turnCount() ? m_turns.at(index).addImage : nullptr;
}

int ConversationEditor::indexOfWatched(const QObject *watched) const
{
    for (int i = 0; i < turnCount(); ++i) {
        const Row &row = m_turns.at(i);
        if (watched == row.frame || watched == row.text || watched == row.text->viewport())
            return i;
    }
    return -1;
}

bool ConversationEditor::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type type = event->type();
    if (type != QEvent::DragEnter && type != QEvent::DragMove && type != QEvent::Drop &&
        type != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const int i = indexOfWatched(watched);
    if (i < 0 || turn(i).role != QLatin1String("user"))
        return QWidget::eventFilter(watched, event);
    TurnImages *images = m_turns.at(i).images;
    if (type == QEvent::KeyPress) {
        // Paste: an image (or image files) goes to the turn's images; text stays the editor's.
        if (!static_cast<QKeyEvent *>(event)->matches(QKeySequence::Paste))
            return false;
        const QMimeData *data = QGuiApplication::clipboard()->mimeData();
        if (!data)
            return false;
        bool files = data->hasUrls();
        for (const QUrl &url : data->urls())
            files = files && url.isLocalFile();
        if (data->hasImage() || files) {
            images->addFromMimeData(data);
            return true;
        }
        // A web address of an image, alone: attached as that address.
        const QString text = data->text().trimmed();
        static const QRegularExpression imageAddress(QStringLiteral("\\.(png|jpe?g|webp|gif)$"),
                                                     QRegularExpression::CaseInsensitiveOption);
        if (ChatImages::isWebUrl(text) && !text.contains(QLatin1Char(' ')) &&
            imageAddress.match(QUrl(text).path()).hasMatch())
            return images->addWebUrl(text);
        return false;
    }
    auto *drop = static_cast<QDropEvent *>(event);
    if (!TurnImages::carriesImages(drop->mimeData()))
        return false;
    if (type == QEvent::Drop)
        images->addFromMimeData(drop->mimeData());
    drop->acceptProposedAction();
    return true;
}

QComboBox *ConversationEditor::turnRoleBox(int index) const
{
    return index >= 0 && index < turnCount() ? m_turns.at(index).role : nullptr;
}

} // namespace idesk
