// Choosing the chat task in the window: the answer streams by default (the person may switch it off),
// while a restored request (preset, last request, flow) keeps the choice it was saved with.
#include "ChatCompletion.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "OptionsPanel.h"
#include "TestSettings.h"

#include <QComboBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using idesk::ChatCompletion;
using idesk::InferenceRequest;
using idesk::MainWindow;

class TestChatTaskDefaults : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        idesk::test::useTestSettings(QStringLiteral("TestChatTaskDefaults"), m_home.path());
    }

    void choosingChatTurnsStreamingOn()
    {
        MainWindow window;
        QVERIFY(!window.currentRequest().stream);
        QComboBox *task = window.modelPicker()->taskCombo();
        task->setCurrentIndex(task->findData(ChatCompletion::taskId()));
        QVERIFY(window.currentRequest().stream);
        // The person's choice stands while the task stays.
        window.optionsPanel()->setStream(false);
        QVERIFY(!window.currentRequest().stream);
        // Other tasks do not stream (text classification has no stream at all).
        task->setCurrentIndex(task->findData(QStringLiteral("text-classification")));
        QVERIFY(!window.currentRequest().stream);
        task->setCurrentIndex(task->findData(ChatCompletion::taskId()));
        QVERIFY(window.currentRequest().stream);
    }

    void restoredChatKeepsItsChoice()
    {
        MainWindow window;
        InferenceRequest request;
        request.task = ChatCompletion::taskId();
        request.model = QStringLiteral("google/gemma-2-2b-it");
        request.inputs = QStringLiteral("Hello");
        request.stream = false;
        window.setRequest(request);
        QVERIFY(!window.currentRequest().stream);
        request.stream = true;
        window.setRequest(request);
        QVERIFY(window.currentRequest().stream);
    }
};

QTEST_MAIN(TestChatTaskDefaults)
#include "TestChatTaskDefaults.moc"
