// Vision chat and readable replies in the widgets: images dropped or pasted into a user turn become
// thumbnails (type, pixels, bytes, remove button) and content parts with the files' own bytes; a large
// image gets a warning and Downscale; a reply renders as Markdown (a table, a code block in a monospace
// face with a Copy code link), also while it streams, with a Raw text switch; the transcript shows the
// whole conversation with thumbnails; a reply cut by max_tokens offers to raise it.
#include "LocalFile.h"
#include "TestConfig.h"

#include "ChatImages.h"
#include "ConversationEditor.h"
#include "InferenceResult.h"
#include "TurnImages.h"
#include "views/ChatView.h"
#include "views/MarkdownReply.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFile>
#include <QFontDatabase>
#include <QFontInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>
#include <QToolButton>
#include <QtTest>

using namespace idesk;

namespace {
const QString kDir = QStringLiteral(IDESK_TEST_DATA_DIR "/constructed/chat/");

QByteArray readAll(const QString &path)
{
    return idesk::LocalFile::read(path, 1 << 20, nullptr).value_or(QByteArray());
}

QString dataUri(const QString &file, const char *mime)
{
    return QStringLiteral("data:%1;base64,").arg(QLatin1String(mime)) +
           QString::fromLatin1(readAll(kDir + file).toBase64());
}

void dropOn(QWidget *target, QMimeData *data)
{
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
}

int tablesIn(const QTextDocument *document)
{
    int n = 0;
    for (QTextFrame *frame : document->rootFrame()->childFrames())
        n += qobject_cast<QTextTable *>(frame) ? 1 : 0;
    return n;
}

// The text of code blocks (a fence on the block) drawn in a fixed-pitch face.
QStringList monospaceBlocks(const QTextDocument *document)
{
    const QString fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    QStringList out;
    for (QTextBlock b = document->begin(); b.isValid(); b = b.next()) {
        const QFont font =
            b.begin().atEnd() ? b.charFormat().font() : b.begin().fragment().charFormat().font();
        if (b.blockFormat().hasProperty(QTextFormat::BlockCodeFence) &&
            (QFontInfo(font).fixedPitch() || font.family() == fixed))
            out << b.text();
    }
    return out;
}

const QString kReply = QStringLiteral(
    "## Two cats\n\nThe image shows **two cats** on a *sofa*:\n\n"
    "| Cat | Colour |\n|---|---|\n| Left | ginger |\n| Right | grey |\n\n"
    "To count them:\n\n```python\nprint(len(cats))\n```\n\nSee [the docs](https://example.org/docs).\n");

InferenceResult okResult()
{
    InferenceResult r;
    r.status = 200;
    return r;
}
} // namespace

class TestVisionChatGui : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropTwoImagesMakesThumbnails()
    {
        ConversationEditor editor;
        editor.resize(700, 500);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.setTurnText(0, QStringLiteral("What differs?"));
        QVERIFY(editor.turnAddImageButton(0)->isVisible());
        QSignalSpy changed(&editor, &ConversationEditor::changed);

        auto *data = new QMimeData;
        data->setUrls({QUrl::fromLocalFile(kDir + QStringLiteral("cats.png")),
                       QUrl::fromLocalFile(kDir + QStringLiteral("dog.jpg"))});
        dropOn(editor.turnEditor(0)->viewport(), data);
        delete data;

        TurnImages *images = editor.turnImages(0);
        QCOMPARE(images->count(), 2);
        QVERIFY(images->isVisible());
        QCOMPARE(images->findChildren<QFrame *>(QStringLiteral("imageThumbnail")).size(), 2);
        QCOMPARE(images->infoAt(0), QStringLiteral("PNG · 48×32 · 222 B"));
        QVERIFY2(images->infoAt(1).startsWith(QStringLiteral("JPEG · 40×30 · ")),
                 qPrintable(images->infoAt(1)));
        QVERIFY(changed.count() >= 2);
        QCOMPARE(editor.turnEditor(0)->toPlainText(), QStringLiteral("What differs?")); // the text is kept

        const QJsonArray content =
            editor.messages().at(0).toObject().value(QStringLiteral("content")).toArray();
        QCOMPARE(content,
                 (QJsonArray{ChatImages::textPart(QStringLiteral("What differs?")),
                             ChatImages::imagePart(dataUri(QStringLiteral("cats.png"), "image/png")),
                             ChatImages::imagePart(dataUri(QStringLiteral("dog.jpg"), "image/jpeg"))}));
        QVERIFY(editor.problem().isEmpty());

        // The remove button of the first thumbnail takes it out.
        auto *remove = images->findChildren<QToolButton *>(QStringLiteral("removeImage")).value(0);
        QVERIFY(remove);
        remove->click();
        QCOMPARE(images->urls(), QStringList{dataUri(QStringLiteral("dog.jpg"), "image/jpeg")});

        // Loaded back from the request, the parts are thumbnails again.
        const QJsonArray messages = editor.messages();
        ConversationEditor other;
        QVERIFY(other.setInputs(messages));
        QCOMPARE(other.turnImages(0)->count(), 1);
        QCOMPARE(other.turnEditor(0)->toPlainText(), QStringLiteral("What differs?"));
        QCOMPARE(other.messages(), messages);
    }

    void pastedImageAndNotAnImage()
    {
        ConversationEditor editor;
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QImage image(20, 10, QImage::Format_RGB32);
        image.fill(Qt::red);
        QApplication::clipboard()->setImage(image);
        editor.turnEditor(0)->setFocus();
        QTest::keySequence(editor.turnEditor(0), QKeySequence::Paste);
        QCOMPARE(editor.turnImages(0)->count(), 1);
        QVERIFY(editor.turnImages(0)->urls().at(0).startsWith(QLatin1String("data:image/png;base64,")));
        QCOMPARE(editor.turnEditor(0)->toPlainText(), QString());
        // An image alone is a turn that can be sent.
        QVERIFY2(editor.problem().isEmpty(), qPrintable(editor.problem()));

        // A text file dropped is refused with a sentence; nothing is added.
        auto *data = new QMimeData;
        data->setUrls({QUrl::fromLocalFile(kDir + QStringLiteral("README.md"))});
        dropOn(editor.turnEditor(0)->viewport(), data);
        delete data;
        QCOMPARE(editor.turnImages(0)->count(), 1);
        QVERIFY2(editor.turnImages(0)->problemText().contains(QLatin1String("is not an image")),
                 qPrintable(editor.turnImages(0)->problemText()));
    }

    void largeImageOffersDownscale()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // Noise does not compress: a PNG of several MB.
        QImage noise(2400, 1600, QImage::Format_RGB32);
        quint32 seed = 7;
        for (int y = 0; y < noise.height(); ++y) {
            auto *line = reinterpret_cast<quint32 *>(noise.scanLine(y));
            for (int x = 0; x < noise.width(); ++x) {
                seed = seed * 1664525u + 1013904223u;
                line[x] = 0xff000000u | (seed >> 8);
            }
        }
        const QString path = dir.filePath(QStringLiteral("big.png"));
        QVERIFY(noise.save(path, "PNG"));
        QVERIFY(QFileInfo(path).size() > ChatImages::kLargeImageBytes);

        TurnImages images;
        QVERIFY(images.addFile(path));
        QVERIFY2(images.warningAt(0).contains(QLatin1String("Downscale")), qPrintable(images.warningAt(0)));
        auto *warning = images.findChild<QLabel *>(QStringLiteral("largeImageWarning"));
        QVERIFY(warning);
        QVERIFY2(warning->text().contains(QLatin1String(" MB")), qPrintable(warning->text()));
        auto *button = images.findChild<QPushButton *>(QStringLiteral("downscaleImage"));
        QVERIFY(button);
        button->click();
        // No alpha channel: a JPEG, far smaller than the noise PNG, and no warning left.
        QVERIFY2(images.warningAt(0).isEmpty(), qPrintable(images.warningAt(0)));
        QVERIFY(!images.findChild<QLabel *>(QStringLiteral("largeImageWarning")));
        QVERIFY2(images.infoAt(0).startsWith(QStringLiteral("JPEG · 1568×1045 · ")),
                 qPrintable(images.infoAt(0)));
    }

    void markdownReplyRendersTableAndCode()
    {
        ChatView view;
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.startStream();
        view.appendStreamText(kReply);
        view.finishStream(okResult());
        QCOMPARE(view.text(), kReply);
        const QTextDocument *document = view.markdownView()->document();
        QCOMPARE(tablesIn(document), 1);
        QVERIFY2(monospaceBlocks(document).contains(QStringLiteral("print(len(cats))")),
                 qPrintable(monospaceBlocks(document).join(QLatin1Char('|'))));
        QVERIFY(document->toHtml().contains(QLatin1String("idesk-copy:0")));
        QVERIFY(document->toHtml().contains(QLatin1String("https://example.org/docs")));
        QVERIFY(!document->toPlainText().contains(QLatin1String("**two cats**")));
        QCOMPARE(view.markdownView()->codeBlocks(), QStringList{QStringLiteral("print(len(cats))\n")});
        QApplication::clipboard()->clear();
        QVERIFY(view.markdownView()->copyCodeBlock(0));
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("print(len(cats))\n"));
        QVERIFY(view.markdownView()->isVisible());

        // The raw switch shows the text as it came.
        view.rawSwitch()->setChecked(true);
        QVERIFY(view.showsRaw());
        QVERIFY(!view.markdownView()->isVisible());
        auto *raw = view.findChild<QPlainTextEdit *>();
        QVERIFY(raw && raw->isVisible());
        QCOMPARE(raw->toPlainText(), kReply);
        view.rawSwitch()->setChecked(false);
        QVERIFY(view.markdownView()->isVisible());
    }

    void markdownWhileStreaming()
    {
        ChatView view;
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.startStream();
        // A few characters at a time, letting the view update in between.
        for (qsizetype at = 0; at < kReply.size(); at += 7) {
            view.appendStreamText(kReply.mid(at, 7));
            QTest::qWait(3);
        }
        // Before the end the first lines are already rendered (the heading is no longer "## ").
        QTRY_VERIFY(view.markdownView()->document()->toPlainText().startsWith(QLatin1String("Two cats")));
        view.finishStream(okResult());
        const QTextDocument *document = view.markdownView()->document();
        QCOMPARE(tablesIn(document), 1);
        QVERIFY(monospaceBlocks(document).contains(QStringLiteral("print(len(cats))")));
        // The same text rendered at once reads the same.
        MarkdownReply whole;
        whole.setText(kReply);
        QCOMPARE(document->toPlainText(), whole.document()->toPlainText());
    }

    void transcriptShowsTheConversation()
    {
        ChatView view;
        view.resize(800, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QJsonArray messages{
            QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                        {QStringLiteral("content"), QStringLiteral("Be brief.")}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"),
                         ChatImages::contentFrom(QStringLiteral("What is in this image?"),
                                                 {dataUri(QStringLiteral("cats.png"), "image/png")})}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), QJsonValue::Null},
                        {QStringLiteral("tool_calls"),
                         QJsonArray{QJsonObject{
                             {QStringLiteral("id"), QStringLiteral("call_1")},
                             {QStringLiteral("type"), QStringLiteral("function")},
                             {QStringLiteral("function"),
                              QJsonObject{{QStringLiteral("name"), QStringLiteral("count_cats")},
                                          {QStringLiteral("arguments"), QStringLiteral("{}")}}}}}}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("tool")},
                        {QStringLiteral("tool_call_id"), QStringLiteral("call_1")},
                        {QStringLiteral("content"), QStringLiteral("2")}}};
        view.setConversation(messages);
        QVERIFY(view.transcript()->isVisible());
        const QString text = view.transcript()->toPlainText();
        for (const char *expected :
             {"System", "Be brief.", "User", "What is in this image?", "PNG · 48×32 · 222 B", "Assistant",
              "count_cats", "Tool result (call_1)"})
            QVERIFY2(text.contains(QString::fromUtf8(expected)), qPrintable(text));
        QVERIFY(view.transcript()->document()->toHtml().contains(QLatin1String("idesk-thumbnail:0")));
        // Scrolled to the newest turn once laid out.
        QTRY_COMPARE(view.transcript()->verticalScrollBar()->value(),
                     view.transcript()->verticalScrollBar()->maximum());
    }

    void lengthFinishOffersToRaiseMaxTokens()
    {
        ChatView view;
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy raise(&view, &ChatView::raiseMaxTokensRequested);
        view.startStream();
        view.addStreamEvent(
            R"({"choices":[{"index":0,"delta":{"role":"assistant","content":"Once upon"}}]})");
        view.addStreamEvent(
            R"({"choices":[{"index":0,"delta":{"content":" a"},"finish_reason":"length"}],"usage":{"prompt_tokens":5,"completion_tokens":700,"total_tokens":705}})");
        view.finishStream(okResult());
        QVERIFY2(view.footerText().contains(QLatin1String("max_tokens")), qPrintable(view.footerText()));
        auto *button = view.findChild<QPushButton *>(QStringLiteral("raiseMaxTokens"));
        QVERIFY(button && button->isVisible());
        button->click();
        QCOMPARE(raise.count(), 1);
        QCOMPARE(raise.at(0).at(0).toInt(), 1400);
    }
};

QTEST_MAIN(TestVisionChatGui)
#include "TestVisionChatGui.moc"
