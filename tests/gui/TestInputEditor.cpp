// The input editor's forms, and the image/audio area: drops (file URLs and image data), paste,
// bad files refused in place with the previous input kept.
#include "ConversationEditor.h"
#include "FileDropArea.h"
#include "InputEditor.h"

#include <QBuffer>
#include <QClipboard>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QtTest>

using idesk::FileDropArea;
using idesk::InputEditor;
using idesk::InputKind;

class TestInputEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void textKind();
    void pairedKinds();
    void tableQuestion();
    void rawJsonValidatedAsYouType();
    void dropFileUrlKeepsOriginalBytes();
    void dropImageDataBecomesPng();
    void dropEncodedImageDataKeepsBytes();
    void pasteImageFromClipboard();
    void pasteFileUrlFromClipboard();
    void notAnImageIsRefusedAndPreviousStays();
    void tooLargeIsRefused();
    void unreadableIsRefused();
    void audioFile();
    void restoreInputs();
    void pagesBuiltWhenFirstChosen();

private:
    QString writeImage(const QString &name, const char *format, QSize size);
    QTemporaryDir m_dir;
};

void TestInputEditor::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QString TestInputEditor::writeImage(const QString &name, const char *format, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(QColor(200, 120, 40));
    const QString path = m_dir.filePath(name);
    if (!image.save(path, format))
        return {};
    return path;
}

static QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

static void drop(QWidget *target, const QMimeData *mime)
{
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(5, 5), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropEvent);
}

void TestInputEditor::textKind()
{
    InputEditor editor;
    editor.setInputKind(InputKind::Text);
    QVERIFY(!editor.problems().isEmpty());
    auto *text = editor.findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
    QVERIFY(text);
    QTest::keyClicks(text, QStringLiteral("Hello world"));
    QCOMPARE(editor.inputs(), QJsonValue(QStringLiteral("Hello world")));
    QVERIFY(editor.problems().isEmpty());
    QVERIFY(!editor.usesFile());
    QVERIFY(editor.file().isEmpty());
}

void TestInputEditor::pairedKinds()
{
    InputEditor editor;
    editor.show();
    editor.setInputKind(InputKind::QuestionContext);
    QTest::keyClicks(editor.findChild<QLineEdit *>(QStringLiteral("inputQuestion")),
                     QStringLiteral("Where?"));
    QVERIFY(editor.problems().join(' ').contains(QStringLiteral("context")));
    QTest::keyClicks(editor.findChild<QPlainTextEdit *>(QStringLiteral("inputContext")),
                     QStringLiteral("In Berlin."));
    QCOMPARE(editor.inputs(),
             QJsonValue(QJsonObject{{QStringLiteral("question"), QStringLiteral("Where?")},
                                    {QStringLiteral("context"), QStringLiteral("In Berlin.")}}));
    QVERIFY(editor.problems().isEmpty());

    editor.setInputKind(InputKind::SentenceSimilarity);
    QTest::keyClicks(editor.findChild<QLineEdit *>(QStringLiteral("inputSourceSentence")),
                     QStringLiteral("A cat"));
    editor.findChild<QPlainTextEdit *>(QStringLiteral("inputSentences"))
        ->setPlainText(QStringLiteral("A dog\n\n  A kitten  \n"));
    QCOMPARE(editor.inputs().toObject().value(QStringLiteral("sentences")).toArray(),
             (QJsonArray{QStringLiteral("A dog"), QStringLiteral("A kitten")}));
    QCOMPARE(editor.inputs().toObject().value(QStringLiteral("source_sentence")).toString(),
             QStringLiteral("A cat"));

    editor.setInputKind(InputKind::TextWithLabels);
    QCOMPARE(editor.ownedParameters(), QStringList{QStringLiteral("candidate_labels")});
    editor.findChild<QPlainTextEdit *>(QStringLiteral("inputLabelsText"))
        ->setPlainText(QStringLiteral("I won the match"));
    QVERIFY(editor.problems().join(' ').contains(QStringLiteral("label")));
    QTest::keyClicks(editor.findChild<QLineEdit *>(QStringLiteral("inputCandidateLabels")),
                     QStringLiteral("sports, politics ,, science"));
    QCOMPARE(editor.inputs(), QJsonValue(QStringLiteral("I won the match")));
    QCOMPARE(editor.inputParameters().value(QStringLiteral("candidate_labels")).toArray(),
             (QJsonArray{QStringLiteral("sports"), QStringLiteral("politics"), QStringLiteral("science")}));
    QVERIFY(editor.problems().isEmpty());

    // Chat: the conversation editor, its messages as the inputs.
    editor.setInputKind(InputKind::Chat);
    idesk::ConversationEditor *conversation = editor.conversation();
    QVERIFY(conversation && conversation->isVisibleTo(&editor));
    QVERIFY(!editor.problems().isEmpty());
    conversation->setSystemPrompt(QStringLiteral("Be brief."));
    if (conversation->turnCount() == 0)
        conversation->addTurn(QStringLiteral("user"));
    conversation->setTurnText(0, QStringLiteral("Hi"));
    const QJsonArray messages = editor.inputs().toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("content")).toString(), QStringLiteral("Hi"));
    QVERIFY(editor.problems().isEmpty());
}

void TestInputEditor::tableQuestion()
{
    InputEditor editor;
    editor.setInputKind(InputKind::TableQuestion);
    editor.findChild<QLineEdit *>(QStringLiteral("inputTableQuery"))
        ->setText(QStringLiteral("How many stars?"));
    auto *table = editor.findChild<QPlainTextEdit *>(QStringLiteral("inputTable"));
    table->setPlainText(QStringLiteral("Repository, Stars\ntransformers, 36542\ndatasets"));
    const QString problems = editor.problems().join(' ');
    QVERIFY2(problems.contains(QStringLiteral("row 3")), qPrintable(problems));
    table->setPlainText(QStringLiteral("Repository, Stars\ntransformers, 36542\ndatasets, 4512"));
    QVERIFY(editor.problems().isEmpty());
    const QJsonObject t = editor.inputs().toObject().value(QStringLiteral("table")).toObject();
    QCOMPARE(t.value(QStringLiteral("Stars")).toArray(),
             (QJsonArray{QStringLiteral("36542"), QStringLiteral("4512")}));
    QCOMPARE(editor.inputs().toObject().value(QStringLiteral("query")).toString(),
             QStringLiteral("How many stars?"));
}

void TestInputEditor::rawJsonValidatedAsYouType()
{
    InputEditor editor;
    editor.show();
    editor.setInputKind(InputKind::QuestionContext);
    editor.findChild<QLineEdit *>(QStringLiteral("inputQuestion"))->setText(QStringLiteral("Who?"));
    editor.setRawJson(true);
    auto *json = editor.findChild<QPlainTextEdit *>(QStringLiteral("inputJson"));
    QVERIFY(json->isVisible());
    // Switching to raw JSON starts from the form's value.
    QCOMPARE(editor.inputs().toObject().value(QStringLiteral("question")).toString(), QStringLiteral("Who?"));
    auto *status = editor.findChild<QLabel *>(QStringLiteral("inputJsonStatus"));
    json->clear();
    QTest::keyClicks(json, QStringLiteral("{\"question\": \"Who?\""));
    QVERIFY(status->text().contains(QStringLiteral("not valid JSON")));
    QVERIFY(!editor.problems().isEmpty());
    QTest::keyClicks(json, QStringLiteral("}"));
    QVERIFY(status->text().contains(QStringLiteral("Valid")));
    QVERIFY(editor.problems().isEmpty());
    // A bare string is a JSON value too.
    json->setPlainText(QStringLiteral("\"plain\""));
    QCOMPARE(editor.inputs(), QJsonValue(QStringLiteral("plain")));
    json->setPlainText(QStringLiteral("plain"));
    QVERIFY(editor.problems().join(' ').contains(QStringLiteral("double quotes")));
}

void TestInputEditor::dropFileUrlKeepsOriginalBytes()
{
    const QString path = writeImage(QStringLiteral("photo.jpg"), "JPEG", QSize(320, 200));
    QVERIFY(!path.isEmpty());
    InputEditor editor;
    editor.setInputKind(InputKind::Image);
    FileDropArea *area = editor.fileArea();
    QSignalSpy changed(&editor, &InputEditor::changed);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    drop(area, &mime);
    QCOMPARE(editor.file().bytes, readAll(path));
    QCOMPARE(editor.file().mimeType, QStringLiteral("image/jpeg"));
    QCOMPARE(editor.file().path, QFileInfo(path).absoluteFilePath());
    QVERIFY(area->description().contains(QStringLiteral("320 × 200")));
    QVERIFY(area->description().contains(QStringLiteral("JPEG"), Qt::CaseInsensitive));
    QVERIFY(area->description().contains(QStringLiteral("photo.jpg")));
    QVERIFY(area->message().isEmpty());
    QVERIFY(changed.count() >= 1);
    QVERIFY(editor.problems().isEmpty());
    auto *preview = area->findChild<QLabel *>(QStringLiteral("filePreview"));
    QVERIFY(!preview->pixmap().isNull());
}

void TestInputEditor::dropImageDataBecomesPng()
{
    InputEditor editor;
    editor.setInputKind(InputKind::Image);
    QImage image(40, 30, QImage::Format_ARGB32);
    image.fill(Qt::magenta);
    QMimeData mime;
    mime.setImageData(image);
    drop(editor.fileArea(), &mime);
    QCOMPARE(editor.file().mimeType, QStringLiteral("image/png"));
    QVERIFY(editor.file().path.isEmpty());
    QImage back;
    QVERIFY(back.loadFromData(editor.file().bytes, "PNG"));
    QCOMPARE(back.size(), QSize(40, 30));
    QVERIFY(editor.fileArea()->description().contains(QStringLiteral("40 × 30")));
}

void TestInputEditor::dropEncodedImageDataKeepsBytes()
{
    const QString path = writeImage(QStringLiteral("enc.jpg"), "JPEG", QSize(16, 16));
    const QByteArray jpeg = readAll(path);
    InputEditor editor;
    editor.setInputKind(InputKind::Image);
    QMimeData mime;
    mime.setData(QStringLiteral("image/jpeg"), jpeg);
    drop(editor.fileArea(), &mime);
    QCOMPARE(editor.file().bytes, jpeg);
    QCOMPARE(editor.file().mimeType, QStringLiteral("image/jpeg"));
}

void TestInputEditor::pasteImageFromClipboard()
{
    InputEditor editor;
    editor.setInputKind(InputKind::ImageQuestion);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QImage image(25, 35, QImage::Format_RGB32);
    image.fill(Qt::green);
    QApplication::clipboard()->setImage(image);
    editor.fileArea()->setFocus();
    QTest::keyClick(editor.fileArea(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(editor.file().mimeType, QStringLiteral("image/png"));
    QImage back;
    QVERIFY(back.loadFromData(editor.file().bytes));
    QCOMPARE(back.size(), QSize(25, 35));
    // The question is still needed.
    QVERIFY(editor.problems().join(' ').contains(QStringLiteral("question")));
    editor.findChild<QLineEdit *>(QStringLiteral("inputImageQuestion"))
        ->setText(QStringLiteral("What colour?"));
    QVERIFY(editor.problems().isEmpty());
    QCOMPARE(editor.inputs().toObject().value(QStringLiteral("question")).toString(),
             QStringLiteral("What colour?"));
}

void TestInputEditor::pasteFileUrlFromClipboard()
{
    const QString path = writeImage(QStringLiteral("copied.png"), "PNG", QSize(12, 9));
    InputEditor editor;
    editor.setInputKind(InputKind::Image);
    auto *mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(path)});
    QApplication::clipboard()->setMimeData(mime);
    QVERIFY(editor.fileArea()->pasteFromClipboard());
    QCOMPARE(editor.file().bytes, readAll(path));
}

void TestInputEditor::notAnImageIsRefusedAndPreviousStays()
{
    const QString image = writeImage(QStringLiteral("keep.png"), "PNG", QSize(10, 10));
    const QString text = m_dir.filePath(QStringLiteral("notes.png")); // a lying extension
    {
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just some words, not pixels\n");
    }
    InputEditor editor;
    editor.setInputKind(InputKind::Image);
    QVERIFY(editor.loadFile(image));
    const QByteArray before = editor.file().bytes;

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(text)});
    drop(editor.fileArea(), &mime);
    QCOMPARE(editor.file().bytes, before);
    const QString message = editor.fileArea()->message();
    QVERIFY2(message.contains(QStringLiteral("notes.png")) &&
                 message.contains(QStringLiteral("not an image")),
             qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("previous")));

    // A folder is refused too.
    QVERIFY(!editor.loadFile(m_dir.path()));
    QVERIFY(editor.fileArea()->message().contains(QStringLiteral("folder")));
    QCOMPARE(editor.file().bytes, before);

    // A good file afterwards clears the message.
    QVERIFY(editor.loadFile(image));
    QVERIFY(editor.fileArea()->message().isEmpty());
}

void TestInputEditor::tooLargeIsRefused()
{
    const QString path = writeImage(QStringLiteral("big.bmp"), "BMP", QSize(100, 100));
    InputEditor editor;
    editor.setInputKind(InputKind::Image);
    editor.setMaxFileBytes(1000);
    QVERIFY(!editor.loadFile(path));
    QVERIFY(editor.file().isEmpty());
    QVERIFY(editor.fileArea()->message().contains(QStringLiteral("over the limit")));
    editor.setMaxFileBytes(10 * 1024 * 1024);
    QVERIFY(editor.loadFile(path));
}

void TestInputEditor::unreadableIsRefused()
{
    InputEditor editor;
    editor.setInputKind(InputKind::Image);
    QVERIFY(!editor.loadFile(m_dir.filePath(QStringLiteral("missing.png"))));
    QVERIFY(editor.fileArea()->message().contains(QStringLiteral("does not exist")));
    const QString path = writeImage(QStringLiteral("secret.png"), "PNG", QSize(10, 10));
    QFile::setPermissions(path, QFileDevice::Permissions());
    QFile probe(path);
    if (probe.open(QIODevice::ReadOnly))
        QSKIP("running with privileges that read any file");
    QVERIFY(!editor.loadFile(path));
    QVERIFY(editor.fileArea()->message().contains(QStringLiteral("cannot be read")));
}

void TestInputEditor::audioFile()
{
    // A minimal PCM WAV file.
    QByteArray wav;
    QDataStream out(&wav, QIODevice::WriteOnly);
    out.setByteOrder(QDataStream::LittleEndian);
    const quint32 samples = 800;
    out.writeRawData("RIFF", 4);
    out << quint32(36 + samples * 2);
    out.writeRawData("WAVEfmt ", 8);
    out << quint32(16) << quint16(1) << quint16(1) << quint32(8000) << quint32(16000) << quint16(2)
        << quint16(16);
    out.writeRawData("data", 4);
    out << quint32(samples * 2);
    for (quint32 i = 0; i < samples; ++i)
        out << qint16(i * 40);
    const QString path = m_dir.filePath(QStringLiteral("hello.wav"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wav);
    }
    InputEditor editor;
    editor.setInputKind(InputKind::Audio);
    QCOMPARE(editor.fileArea()->mode(), FileDropArea::Mode::Audio);
    QVERIFY(editor.problems().join(' ').contains(QStringLiteral("audio")));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    drop(editor.fileArea(), &mime);
    QCOMPARE(editor.file().bytes, wav);
    QVERIFY(editor.file().mimeType.startsWith(QStringLiteral("audio/")));
    QVERIFY(editor.fileArea()->description().contains(QStringLiteral("hello.wav")));
    // An image is not audio.
    const QString image = writeImage(QStringLiteral("pic.png"), "PNG", QSize(5, 5));
    QVERIFY(!editor.loadFile(image));
    QVERIFY(editor.fileArea()->message().contains(QStringLiteral("audio")));
    QCOMPARE(editor.file().bytes, wav);
}

void TestInputEditor::restoreInputs()
{
    InputEditor editor;
    editor.setInputKind(InputKind::SentenceSimilarity);
    const QJsonObject inputs{
        {QStringLiteral("source_sentence"), QStringLiteral("a")},
        {QStringLiteral("sentences"), QJsonArray{QStringLiteral("b"), QStringLiteral("c")}}};
    editor.setInputs(inputs, {}, {});
    QCOMPARE(editor.inputs(), QJsonValue(inputs));
    QVERIFY(!editor.isRawJson());
    // A shape the form cannot hold is kept as raw JSON.
    editor.setInputKind(InputKind::Text);
    editor.setInputs(QJsonArray{1, 2}, {}, {});
    QVERIFY(editor.isRawJson());
    QCOMPARE(editor.inputs(), QJsonValue(QJsonArray{1, 2}));
}

// Start-up builds the text page only; another kind's page is built when that kind is first chosen, and a
// JSON text set before the JSON page exists is what that page shows.
void TestInputEditor::pagesBuiltWhenFirstChosen()
{
    InputEditor editor;
    auto *pages = editor.findChild<QStackedWidget *>(QStringLiteral("inputPages"));
    QVERIFY(pages);
    QCOMPARE(pages->count(), 2); // the empty page and the text page
    QVERIFY(editor.findChild<QPlainTextEdit *>(QStringLiteral("inputText")));
    QVERIFY(!editor.findChild<QLineEdit *>(QStringLiteral("inputQuestion")));
    QVERIFY(!editor.findChild<idesk::ConversationEditor *>());
    QVERIFY(!editor.findChild<QPlainTextEdit *>(QStringLiteral("inputJson")));

    editor.setInputKind(InputKind::QuestionContext);
    QCOMPARE(pages->count(), 3);
    auto *question = editor.findChild<QLineEdit *>(QStringLiteral("inputQuestion"));
    QVERIFY(question);
    QCOMPARE(pages->currentWidget(), question->parentWidget());
    QSignalSpy changed(&editor, &InputEditor::changed);
    QTest::keyClicks(question, QStringLiteral("Who?"));
    QVERIFY(changed.count() > 0); // the page built late is watched like the others
    editor.setInputKind(InputKind::Text);
    editor.setInputKind(InputKind::QuestionContext);
    QCOMPARE(pages->count(), 3); // built once
    QCOMPARE(question->text(), QStringLiteral("Who?"));

    // Restored while the JSON page does not exist: switching to raw JSON shows that value.
    editor.setInputKind(InputKind::Text);
    editor.setInputs(QStringLiteral("kept"), {}, {});
    QVERIFY(!editor.findChild<QPlainTextEdit *>(QStringLiteral("inputJson")));
    editor.setRawJson(true);
    auto *json = editor.findChild<QPlainTextEdit *>(QStringLiteral("inputJson"));
    QVERIFY(json);
    QCOMPARE(json->toPlainText(), QStringLiteral("\"kept\""));
    QCOMPARE(editor.inputs(), QJsonValue(QStringLiteral("kept")));

    // The conversation is built on first use, even when asked for by the window.
    QVERIFY(editor.conversation());
    QVERIFY(editor.findChild<idesk::ConversationEditor *>());
}

QTEST_MAIN(TestInputEditor)
#include "TestInputEditor.moc"
