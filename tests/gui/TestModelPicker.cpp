// The model picker's provider combo: for chat completion a provider or routing policy beside the model,
// sent as the id's suffix; a suffix typed into the model box moves to the combo; hidden for other tasks
// unless a provider is set; an odd provider, or a provider on a task that ignores it, is a problem.
#include "ChatCompletion.h"
#include "ElidedLabel.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "OptionsPanel.h"
#include "ReplayServer.h"
#include "TestSettings.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using idesk::ChatCompletion;
using idesk::InferenceRequest;
using idesk::MainWindow;
using idesk::ModelPicker;
using idesk::test::ReplayServer;

class TestModelPicker : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

    static void chooseTask(ModelPicker &picker, const QString &task)
    {
        picker.setTask(task);
        QCOMPARE(picker.task(), task);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        idesk::test::useTestSettings(QStringLiteral("TestModelPicker"), m_home.path());
    }
    void init() { QSettings().clear(); }

    void providerComboOnlyForChat()
    {
        ModelPicker picker;
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        chooseTask(picker, QStringLiteral("text-classification"));
        QVERIFY(!picker.providerCombo()->isVisible());
        chooseTask(picker, ChatCompletion::taskId());
        QVERIFY(picker.providerCombo()->isVisible());
        // The list: auto first, the router's policies, then the known providers.
        QComboBox *combo = picker.providerCombo();
        QCOMPARE(combo->itemText(0), ModelPicker::tr("auto"));
        for (const QString &name : ChatCompletion::providerPolicies() + ChatCompletion::knownProviders())
            QVERIFY2(combo->findData(name) > 0, qPrintable(name));
        QVERIFY(!combo->itemData(combo->findData(QStringLiteral("fastest")), Qt::ToolTipRole)
                     .toString()
                     .isEmpty());
    }

    void providerBecomesTheSuffix()
    {
        ModelPicker picker;
        chooseTask(picker, ChatCompletion::taskId());
        picker.setModel(QStringLiteral("google/gemma-2-2b-it"));
        QCOMPARE(picker.model(), QStringLiteral("google/gemma-2-2b-it")); // auto: no suffix
        QSignalSpy changed(&picker, &ModelPicker::modelChanged);
        QComboBox *combo = picker.providerCombo();
        combo->setCurrentIndex(combo->findData(QStringLiteral("cheapest")));
        QCOMPARE(picker.model(), QStringLiteral("google/gemma-2-2b-it:cheapest"));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.last().at(0).toString(), QStringLiteral("google/gemma-2-2b-it:cheapest"));
        combo->setCurrentIndex(combo->findData(QStringLiteral("novita")));
        QCOMPARE(picker.model(), QStringLiteral("google/gemma-2-2b-it:novita"));
        // A provider the list does not know is typed in.
        combo->lineEdit()->selectAll();
        QTest::keyClicks(combo->lineEdit(), QStringLiteral("newcloud"));
        QCOMPARE(picker.model(), QStringLiteral("google/gemma-2-2b-it:newcloud"));
        QVERIFY(picker.problems().isEmpty());
        combo->setCurrentIndex(0);
        QCOMPARE(picker.model(), QStringLiteral("google/gemma-2-2b-it"));
        QCOMPARE(picker.provider(), QString());
    }

    void suffixTypedInTheModelBoxMovesToTheCombo()
    {
        ModelPicker picker;
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        chooseTask(picker, ChatCompletion::taskId());
        QLineEdit *box = picker.modelCombo()->lineEdit();
        box->setFocus();
        QTest::keyClicks(box, QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:fastest"));
        // While typing, the box keeps its text and the combo follows.
        QCOMPARE(picker.provider(), QStringLiteral("fastest"));
        QCOMPARE(picker.model(), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:fastest"));
        // Leaving the box: the id stays there, the suffix lives in the combo; the request is unchanged.
        QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(picker.modelCombo()->currentText(), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        QCOMPARE(picker.providerCombo()->currentText(), QStringLiteral("fastest"));
        QCOMPARE(picker.model(), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:fastest"));

        // setModel (a preset, a flow) splits the same way, and a plain id resets the provider to auto.
        picker.setModel(QStringLiteral("Qwen/Qwen2.5-72B-Instruct:together"));
        QCOMPARE(picker.modelCombo()->currentText(), QStringLiteral("Qwen/Qwen2.5-72B-Instruct"));
        QCOMPARE(picker.provider(), QStringLiteral("together"));
        picker.setModel(QStringLiteral("Qwen/Qwen2.5-72B-Instruct"));
        QCOMPARE(picker.provider(), QString());
        QCOMPARE(picker.model(), QStringLiteral("Qwen/Qwen2.5-72B-Instruct"));
    }

    void badProviderAndProviderOnOtherTasksAreProblems()
    {
        ModelPicker picker;
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        chooseTask(picker, ChatCompletion::taskId());
        picker.setModel(QStringLiteral("google/gemma-2-2b-it"));
        picker.providerCombo()->setEditText(QStringLiteral("two words"));
        QVERIFY(!picker.problems().isEmpty());
        QVERIFY2(picker.problems().first().contains(QLatin1String("two words")),
                 qPrintable(picker.problems().first()));
        picker.setProvider(QStringLiteral("groq"));
        QVERIFY(picker.problems().isEmpty());
        // Another task: the combo stays visible while a provider is set (nothing hidden changes the
        // request), and the mismatch is named with the way out.
        chooseTask(picker, QStringLiteral("text-classification"));
        QVERIFY(picker.providerCombo()->isVisible());
        QCOMPARE(picker.problems().size(), 1);
        QVERIFY(picker.problems().first().contains(QLatin1String("chat completion")));
        picker.setProvider(QString());
        QVERIFY(picker.problems().isEmpty());
        QVERIFY(!picker.providerCombo()->isVisible());
    }

    void chosenProviderIsSentAndSaved()
    {
        // The whole window: the provider chosen beside the model reaches the wire as the id's suffix, and
        // the request value (presets, last request) carries it back into the combo.
        ReplayServer server;
        QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
        QVERIFY(server.queueFile(
            QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_together-1.json")));
        MainWindow window;
        InferenceRequest request;
        request.task = ChatCompletion::taskId();
        request.endpoint = server.urlString();
        request.model = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");
        request.inputs = QStringLiteral("What is deep learning?");
        window.setRequest(request);
        ModelPicker *picker = window.modelPicker();
        picker->providerCombo()->setCurrentIndex(
            picker->providerCombo()->findData(QStringLiteral("together")));
        QCOMPARE(window.currentRequest().model, QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:together"));
        // Where it goes is shown: the router's chat route, not the endpoint as typed.
        auto *target = window.optionsPanel()->findChild<idesk::ElidedLabel *>(QStringLiteral("routeTarget"));
        QVERIFY(target);
        QVERIFY(!target->isHidden());
        QCOMPARE(target->text(), QStringLiteral("POST %1/v1/chat/completions").arg(server.urlString()));

        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(15000));
        const QJsonArray log = server.requests();
        QCOMPARE(log.size(), 1);
        const QJsonObject sent = log.at(0).toObject();
        QCOMPARE(sent.value(QStringLiteral("path")).toString(), QStringLiteral("/v1/chat/completions"));
        const QJsonObject body =
            QJsonDocument::fromJson(
                QByteArray::fromBase64(sent.value(QStringLiteral("body_base64")).toString().toLatin1()))
                .object();
        QCOMPARE(body.value(QStringLiteral("model")).toString(),
                 QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:together"));

        MainWindow other;
        other.setRequest(window.currentRequest());
        QCOMPARE(other.modelPicker()->provider(), QStringLiteral("together"));
        QCOMPARE(other.modelPicker()->modelCombo()->currentText(),
                 QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
    }
};

QTEST_MAIN(TestModelPicker)
#include "TestModelPicker.moc"
