// Screenshots of a vision chat: the conversation editor with an image in the user turn (thumbnail with its
// size), beside the result pane's transcript and a Markdown reply with a table and a code block; and the
// reply alone. IDESK_SCREENSHOT_DIR=docs/screenshots writes them there (chat-vision.png,
// chat-markdown-reply.png); under ctest they go to a
// temporary folder and the test checks that each was written and is not blank.
#include "TestConfig.h"

#include "ChatImages.h"
#include "ConversationEditor.h"
#include "InferenceResult.h"
#include "TurnImages.h"
#include "views/ChatView.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPalette>
#include <QSplitter>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;

namespace {
const QString kDir = QStringLiteral(IDESK_TEST_DATA_DIR "/constructed/chat/");

const QString kReply = QStringLiteral(
    "## Two cats on a sofa\n\n"
    "The photo shows **two cats** resting on a *grey sofa*:\n\n"
    "| Cat | Colour | Position |\n|---|---|---|\n| Left | ginger | curled up |\n| Right | grey tabby | "
    "sitting |\n\n"
    "- Both look relaxed.\n- The light comes from a window on the left.\n\n"
    "To count cats in your own photos with a detector:\n\n"
    "```python\ncats = [b for b in boxes if b[\"label\"] == \"cat\"]\nprint(len(cats))\n```\n\n"
    "See [object detection](https://huggingface.co/tasks/object-detection) for models.\n");

InferenceResult okResult()
{
    InferenceResult r;
    r.status = 200;
    return r;
}

void finishReply(ChatView *view)
{
    view->startStream();
    view->addStreamEvent(
        QJsonDocument(
            QJsonObject{
                {QStringLiteral("choices"),
                 QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                        {QStringLiteral("delta"),
                                         QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                     {QStringLiteral("content"), kReply}}},
                                        {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}},
                {QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), 812},
                                                      {QStringLiteral("completion_tokens"), 146},
                                                      {QStringLiteral("total_tokens"), 958}}}})
            .toJson(QJsonDocument::Compact));
    view->finishStream(okResult());
}
} // namespace

class TestVisionChatScreenshots : public QObject
{
    Q_OBJECT
    QString m_out;
    QTemporaryDir m_temp;

    void save(QWidget *widget, const QString &name)
    {
        QApplication::processEvents();
        QTest::qWait(50);
        const QImage image = widget->grab().toImage();
        const QString path = m_out + QLatin1Char('/') + name;
        QVERIFY(image.save(path));
        // A blank or one-colour grab has very few colours.
        QVERIFY2(image.convertToFormat(QImage::Format_Indexed8).colorCount() > 8, qPrintable(path));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        m_out = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
        if (m_out.isEmpty()) {
            QVERIFY(m_temp.isValid());
            m_out = m_temp.path();
        }
    }

    void visionChat()
    {
        QWidget window;
        window.resize(1280, 760);
        auto *split = new QSplitter(&window);
        auto *editor = new ConversationEditor(split);
        editor->setSystemPrompt(QStringLiteral("Answer in Markdown."));
        editor->setTurnText(0, QStringLiteral("What is in this image? Put the cats in a table."));
        QVERIFY(editor->turnImages(0)->addFile(kDir + QStringLiteral("cats.png")));
        auto *view = new ChatView(split);
        split->addWidget(editor);
        split->addWidget(view);
        split->setSizes({480, 800});
        auto *layout = new QHBoxLayout(&window);
        layout->addWidget(split);
        view->setConversation(editor->messages());
        finishReply(view);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        save(&window, QStringLiteral("chat-vision.png"));
    }

    void markdownReply()
    {
        ChatView view;
        view.resize(820, 640);
        finishReply(&view);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        save(&view, QStringLiteral("chat-markdown-reply.png"));
    }
};

QTEST_MAIN(TestVisionChatScreenshots)
#include "TestVisionChatScreenshots.moc"
