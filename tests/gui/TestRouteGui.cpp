// Text generation's Route combo in the real window (offscreen): shown for text-generation only, following
// the endpoint until the person picks a route, carried by currentRequest()/setRequest(), presets and the
// remembered last request; a completions answer, whole or streamed, shown as text.
#include "CompletionChunk.h"
#include "ElidedLabel.h"
#include "InferenceClient.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "OptionsPanel.h"
#include "Preset.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "TestConfig.h"
#include "TestSettings.h"
#include "views/TextResultView.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;
using idesk::test::completionChunk;
using idesk::test::ReplayServer;

namespace {

// Picks a route with the keyboard, as a person would (the combo emits activated()).
void pickRoute(QComboBox *combo, TextGenerationRoute route)
{
    combo->setFocus();
    const int wanted = combo->findData(int(route));
    while (combo->currentIndex() != wanted)
        QTest::keyClick(combo, combo->currentIndex() < wanted ? Qt::Key_Down : Qt::Key_Up);
}

} // namespace

class TestRouteGui : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        idesk::test::useTestSettings(QStringLiteral("TestRouteGui"), m_home.path());
    }
    void init() { QSettings().clear(); }

    void comboShownForTextGenerationOnly()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QComboBox *combo = window.optionsPanel()->routeCombo();
        auto *target = window.optionsPanel()->findChild<idesk::ElidedLabel *>(QStringLiteral("routeTarget"));
        QVERIFY(target);
        window.modelPicker()->setTask(QStringLiteral("text-classification"));
        QVERIFY(!combo->isVisible());
        QVERIFY(!target->isVisible());
        window.modelPicker()->setTask(QStringLiteral("text-generation"));
        QVERIFY(combo->isVisible());
        QVERIFY(target->isVisible());
        QCOMPARE(combo->count(), 2);
        // Each entry names the URL shape it posts to.
        QVERIFY(combo->itemText(combo->findData(int(TextGenerationRoute::Model))).startsWith("{model} "));
        QVERIFY(combo->itemText(combo->findData(int(TextGenerationRoute::Completions)))
                    .startsWith("{model}/v1/completions"));
        QVERIFY(!combo->accessibleName().isEmpty());
        window.modelPicker()->setTask(QStringLiteral("chat-completion"));
        QVERIFY(!combo->isVisible());
        window.modelPicker()->setTask(QString());
        QVERIFY(!combo->isVisible());
        // Other tasks keep the default value in their request, whatever the combo last showed.
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Model);
    }

    void defaultFollowsEndpointUntilPicked()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        OptionsPanel *options = window.optionsPanel();
        window.modelPicker()->setModel(QStringLiteral("openai-community/gpt2"));
        window.modelPicker()->setTask(QStringLiteral("text-generation"));
        QCOMPARE(window.modelPicker()->endpoint(), InferenceRequest::defaultEndpoint());

        // The router: completions, and the URL it makes is shown.
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Completions);
        QCOMPARE(
            options->routeTarget(),
            QStringLiteral("POST https://router.huggingface.co/hf-inference/models/openai-community/gpt2/"
                           "v1/completions"));
        QVERIFY(options->routeCombo()->toolTip().contains(
            QLatin1String("/openai-community/gpt2/v1/completions")));

        // Any other endpoint: the per-model form.
        QLineEdit *endpoint = window.modelPicker()->endpointEdit();
        endpoint->setText(QStringLiteral("https://my-tgi.example.com"));
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Model);
        QCOMPARE(options->routeTarget(),
                 QStringLiteral("POST https://my-tgi.example.com/openai-community/gpt2"));
        endpoint->setText(InferenceRequest::defaultEndpoint());
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Completions);
        QVERIFY(!options->isRoutePicked());

        // Picked: the choice stands whatever the endpoint.
        QSignalSpy edited(&window, &MainWindow::requestEdited);
        pickRoute(options->routeCombo(), TextGenerationRoute::Model);
        QVERIFY(options->isRoutePicked());
        QVERIFY(edited.count() >= 1);
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Model);
        QCOMPARE(
            options->routeTarget(),
            QStringLiteral("POST https://router.huggingface.co/hf-inference/models/openai-community/gpt2"));
        endpoint->setText(QStringLiteral("https://my-tgi.example.com"));
        endpoint->setText(QStringLiteral("https://router.huggingface.co/together/models"));
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Model);
        pickRoute(options->routeCombo(), TextGenerationRoute::Completions);
        endpoint->setText(QStringLiteral("https://my-tgi.example.com"));
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Completions);
        QVERIFY(options->routeTarget().endsWith(
            QLatin1String("my-tgi.example.com/openai-community/gpt2/v1/completions")));
    }

    void setRequestPresetAndLastRequestKeepTheRoute()
    {
        InferenceRequest request;
        request.model = QStringLiteral("openai-community/gpt2");
        request.task = QStringLiteral("text-generation");
        request.inputs = QStringLiteral("Once upon a time");
        request.route = TextGenerationRoute::Model; // not the router's default: it stands
        {
            MainWindow window;
            window.setRequest(request);
            QCOMPARE(window.currentRequest(), request);
            QVERIFY(window.optionsPanel()->isRoutePicked());
            // The same endpoint with the other route, and another endpoint with each route.
            for (const QString &endpoint :
                 {InferenceRequest::defaultEndpoint(), QStringLiteral("http://127.0.0.1:9/models")})
                for (const auto route : {TextGenerationRoute::Completions, TextGenerationRoute::Model}) {
                    InferenceRequest other = request;
                    other.endpoint = endpoint;
                    other.route = route;
                    window.setRequest(other);
                    QCOMPARE(window.currentRequest(), other);
                }

            // A preset of the window's request, written and read back, into another window.
            window.setRequest(request);
            QString error;
            const auto preset = Preset::fromJsonBytes(
                Preset::fromRequest(QStringLiteral("story"), window.currentRequest()).toJsonBytes(), &error);
            QVERIFY2(preset, qPrintable(error));
            QCOMPARE(preset->request.route, TextGenerationRoute::Model);
            MainWindow second;
            second.setRequest(preset->request);
            QCOMPARE(second.currentRequest(), request);
            second.close();
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.close(); // remembers the request
        }
        MainWindow restored;
        QCOMPARE(restored.currentRequest().route, TextGenerationRoute::Model);
        QCOMPARE(restored.currentRequest(), request);
    }

    void completionsAnswerShownAsText()
    {
        ReplayServer server;
        QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
        QJsonObject answer = completionChunk(QStringLiteral(" a galaxy far away."), QStringLiteral("stop"));
        answer.insert(QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), 4},
                                                           {QStringLiteral("completion_tokens"), 5},
                                                           {QStringLiteral("total_tokens"), 9}});
        QVERIFY(server.queue(
            QJsonArray{QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), answer}}}));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.modelPicker()->endpointEdit()->setText(server.urlString() + QStringLiteral("/models"));
        window.modelPicker()->setModel(QStringLiteral("openai-community/gpt2"));
        window.modelPicker()->setTask(QStringLiteral("text-generation"));
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Model); // a server of its own
        pickRoute(window.optionsPanel()->routeCombo(), TextGenerationRoute::Completions);
        QCOMPARE(
            window.optionsPanel()->routeTarget(),
            QStringLiteral("POST %1/models/openai-community/gpt2/v1/completions").arg(server.urlString()));
        auto *text = window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
        QVERIFY(text);
        text->setPlainText(QStringLiteral("Long ago, in"));

        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(15000));
        const QJsonObject sent = server.requests().at(0).toObject();
        QCOMPARE(sent.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/openai-community/gpt2/v1/completions"));
        const QJsonObject body = QJsonDocument::fromJson(ReplayServer::body(sent)).object();
        QCOMPARE(body.value(QStringLiteral("prompt")).toString(), QStringLiteral("Long ago, in"));
        QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("openai-community/gpt2"));

        QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
        QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("text"));
        auto *view = qobject_cast<TextResultView *>(window.resultView()->renderer());
        QVERIFY(view);
        QCOMPARE(view->text().trimmed(), QStringLiteral("a galaxy far away."));
        // The finish reason and the tokens used, under the text.
        QVERIFY2(view->footerText().contains(QLatin1String("stop")), qPrintable(view->footerText()));
        QVERIFY2(view->footerText().contains(QLatin1String("4 prompt + 5 completion = 9 tokens")),
                 qPrintable(view->footerText()));
    }

    void completionsStreamShownAsText()
    {
        ReplayServer server;
        QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
        QByteArray stream;
        for (const QJsonObject &e :
             {completionChunk(QStringLiteral(" a")), completionChunk(QStringLiteral(" galaxy")),
              completionChunk(QStringLiteral(" far away."), QStringLiteral("stop"))})
            stream += "data: " + QJsonDocument(e).toJson(QJsonDocument::Compact) + "\n\n";
        stream += "data: [DONE]\n\n";
        QVERIFY(server.queue(QJsonArray{ReplayServer::eventStream(stream, 60, 5)}));
        MainWindow window;
        window.modelPicker()->endpointEdit()->setText(server.urlString() + QStringLiteral("/models"));
        window.modelPicker()->setModel(QStringLiteral("openai-community/gpt2"));
        window.modelPicker()->setTask(QStringLiteral("text-generation"));
        window.optionsPanel()->setRoute(TextGenerationRoute::Completions);
        window.optionsPanel()->setStream(true);
        QVERIFY(window.currentRequest().stream);
        QCOMPARE(window.currentRequest().route, TextGenerationRoute::Completions);
        window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))
            ->setPlainText(QStringLiteral("Long ago, in"));

        QSignalSpy events(window.client(), &InferenceClient::streamEvent);
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(15000));
        QVERIFY(events.count() >= 3);
        const QJsonObject sent = server.requests().at(0).toObject();
        QCOMPARE(sent.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/openai-community/gpt2/v1/completions"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(sent)).object().value(QStringLiteral("stream")),
                 QJsonValue(true));
        QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
        QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("text"));
        auto *view = qobject_cast<TextResultView *>(window.resultView()->renderer());
        QVERIFY(view);
        QCOMPARE(view->text().trimmed(), QStringLiteral("a galaxy far away."));
    }
};

QTEST_MAIN(TestRouteGui)
#include "TestRouteGui.moc"
