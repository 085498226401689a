// The provider box for every task (issue 14 point 5), offscreen against a loopback Hub and router
// (HF_ENDPOINT, INFERENCE_DESK_ROUTER): the model's providers listed from the Hub with their state, fal-ai
// chosen for FLUX text-to-image, the URL shown, sent through SendController, the queue's state in the status
// line, the image shown, and its download without an Authorization header.
#include "MainWindow.h"
#include "ModelPicker.h"
#include "ProviderAnswers.h"
#include "ProviderBox.h"
#include "ProviderJob.h"
#include "ProviderMappingLookup.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "SendPanel.h"
#include "TestSettings.h"
#include "views/RawView.h"

#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using idesk::InferenceResult;
using idesk::MainWindow;
using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_providerBoxTest0123");
const QString kFlux = QStringLiteral("black-forest-labs/FLUX.1-dev");

QJsonObject jsonEntry(const QJsonValue &body)
{
    return idesk::test::jsonAnswer(body);
}

QJsonObject fluxMapping()
{
    return idesk::test::mappingAnswer(
        kFlux, QStringLiteral("text-to-image"),
        {{QStringLiteral("fal-ai"), QStringLiteral("fal-ai/flux/dev"), QStringLiteral("live")},
         {QStringLiteral("replicate"), QStringLiteral("black-forest-labs/flux-dev"),
          QStringLiteral("staging")}});
}

// fal-ai's result: the image's URL.
QJsonObject imagesAnswer(const QString &url)
{
    return jsonEntry(
        QJsonObject{{QStringLiteral("images"), QJsonArray{QJsonObject{{QStringLiteral("url"), url}}}}});
}

// The Hub and the router at `server`, nothing cached.
void pointServicesAt(const ReplayServer &server)
{
    qputenv("HF_ENDPOINT", server.urlString().toUtf8());
    qputenv("INFERENCE_DESK_ROUTER", server.urlString().toUtf8());
    idesk::ProviderJob::clearMappingCache(); // ProviderMappingLookup's too: one cache
}

// The window on screen, with a token.
bool showWithToken(MainWindow &window)
{
    window.setTokenProvider([] { return kToken; });
    window.resize(1400, 900);
    window.show();
    return QTest::qWaitForWindowExposed(&window);
}

QByteArray png()
{
    // A sunset of sorts, so that the screenshot shows an image.
    QImage image(512, 384, QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const int dx = x - 256, dy = y - 250;
            const bool sun = dx * dx + dy * dy < 70 * 70;
            image.setPixelColor(
                x, y, sun ? QColor(255, 220, 120) : QColor(40 + y * 200 / 384, 60 + y / 4, 150 - y / 4));
        }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}
} // namespace

class TestProviderBox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        idesk::test::useTestSettings(QStringLiteral("TestProviderBox"), m_home.path());
        qRegisterMetaType<InferenceResult>();
    }

    void falAiTextToImageThroughTheBox()
    {
        ReplayServer server;
        QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
        pointServicesAt(server);
        const QByteArray image = png();
        QVERIFY(server.queue(
            QJsonArray{fluxMapping(), // the box asks; the job finds it in the same cache
                       idesk::test::falQueued(QStringLiteral("g1")),
                       jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                                             {QStringLiteral("queue_position"), 1}}),
                       jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("COMPLETED")}}),
                       imagesAnswer(server.urlString() + QStringLiteral("/files/cat.png")),
                       idesk::test::fileAnswer(QStringLiteral("image/png"), image)}));

        MainWindow window;
        QVERIFY(showWithToken(window));
        idesk::ModelPicker *picker = window.modelPicker();
        idesk::ProviderBox *box = picker->providerBox();
        QSignalSpy listed(box, &idesk::ProviderBox::listed);
        picker->setTask(QStringLiteral("text-to-image"));
        picker->setModel(kFlux);
        QVERIFY(box->isVisible());
        QVERIFY(listed.wait(10000));

        // auto, hf-inference (the endpoint), and the model's providers with their state.
        QComboBox *combo = box->combo();
        QVERIFY(combo->findData(QStringLiteral("auto")) >= 0);
        QVERIFY(combo->findData(QString()) >= 0);
        const int fal = combo->findData(QStringLiteral("fal-ai"));
        QVERIFY(fal >= 0);
        QCOMPARE(combo->itemText(fal), QStringLiteral("fal-ai (live)"));
        QCOMPARE(combo->itemText(combo->findData(QStringLiteral("replicate"))),
                 QStringLiteral("replicate (staging)"));
        QCOMPARE(picker->requestProvider(), QStringLiteral("auto")); // a fresh request: auto
        combo->setCurrentIndex(fal);
        QCOMPARE(picker->requestProvider(), QStringLiteral("fal-ai"));
        QVERIFY(box->targetLabel()->isVisible());
        QVERIFY2(box->targetLabel()->text().contains(server.urlString() +
                                                     QStringLiteral("/fal-ai/fal-ai/flux/dev")),
                 qPrintable(box->targetLabel()->text()));

        auto *text = window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
        QVERIFY(text && text->isVisibleTo(&window));
        text->setPlainText(QStringLiteral("a cat"));
        QStringList status;
        connect(window.statusBar(), &QStatusBar::messageChanged, this,
                [&](const QString &m) { status << m; });
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(30000));
        const auto result = finished.at(0).at(0).value<InferenceResult>();
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        QCOMPARE(result.body, image);
        QVERIFY2(status.join('|').contains(QLatin1String("in queue, position 1")),
                 qPrintable(status.join('|')));
        QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
        QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("image"));

        // The Raw tab: what fal-ai sent (its JSON with the image's URL), not only the image's bytes.
        const QString raw = window.resultView()->rawView()->copyText();
        QVERIFY2(raw.contains(QLatin1String("=== What the provider sent (application/json) ===")),
                 qPrintable(raw));
        QVERIFY2(raw.contains(server.urlString() + QStringLiteral("/files/cat.png")), qPrintable(raw));
        // ... and the request fal-ai was sent, not the hf-inference form, then the queue's follow-ups.
        QVERIFY2(raw.contains(QStringLiteral("POST ") + server.urlString() +
                              QStringLiteral("/fal-ai/fal-ai/flux/dev?_subdomain=queue")),
                 qPrintable(raw));
        QVERIFY2(!raw.contains(QLatin1String("/hf-inference/")), qPrintable(raw));
        QVERIFY2(raw.contains(QLatin1String("=== Follow-up requests ===")), qPrintable(raw));
        const QJsonArray got = server.requests();
        QCOMPARE(got.size(), 6); // the mapping once: the box's answer served the job too
        QCOMPARE(got.at(1).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/fal-ai/fal-ai/flux/dev"));
        QCOMPARE(ReplayServer::header(got.at(1), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);
        QCOMPARE(got.at(5).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/files/cat.png"));
        QVERIFY(ReplayServer::header(got.at(5), QStringLiteral("authorization")).isEmpty());
        // docs/screenshots/providers-text-to-image.png (tests/gui/make-screenshots.sh sets the folder).
        const QString dir = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QApplication::processEvents();
            QVERIFY(QDir().mkpath(dir));
            QVERIFY(window.grab().save(QDir(dir).filePath(QStringLiteral("providers-text-to-image.png"))));
        }
        // The request as remembered keeps its provider.
        QCOMPARE(window.currentRequest().provider, QStringLiteral("fal-ai"));
        qunsetenv("HF_ENDPOINT");
        qunsetenv("INFERENCE_DESK_ROUTER");
    }

    // A fresh request shows and uses auto; the box and the send say which provider it picked and why.
    void freshRequestIsAutoAndSaysWhatItPicked()
    {
        ReplayServer server;
        QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
        pointServicesAt(server);
        QSettings().remove(QStringLiteral("request/last")); // a first start
        const QString sdxl = QStringLiteral("o/sdxl-style");
        const QByteArray image = png();
        QVERIFY(server.queue(QJsonArray{
            idesk::test::mappingAnswer(
                sdxl, QStringLiteral("text-to-image"),
                {{QStringLiteral("replicate"), QStringLiteral("o/sdxl-r"), QStringLiteral("staging")},
                 {QStringLiteral("fal-ai"), QStringLiteral("fal-ai/sdxl"), QStringLiteral("live")}}),
            idesk::test::mappingAnswer(QStringLiteral("o/nobody"), QStringLiteral("text-to-image"), {}),
            // fal-ai's older synchronous answer: the result at once.
            imagesAnswer(server.urlString() + QStringLiteral("/files/style.png")),
            idesk::test::fileAnswer(QStringLiteral("image/png"), image)}));

        MainWindow window;
        QVERIFY(showWithToken(window));
        idesk::ModelPicker *picker = window.modelPicker();
        idesk::ProviderBox *box = picker->providerBox();
        QCOMPARE(box->combo()->itemData(0).toString(), QStringLiteral("auto")); // offered first
        QSignalSpy listed(box, &idesk::ProviderBox::listed);
        picker->setTask(QStringLiteral("text-to-image"));
        picker->setModel(sdxl);
        QVERIFY(listed.wait(10000));
        QCOMPARE(box->combo()->currentData().toString(), QStringLiteral("auto"));
        QCOMPARE(window.currentRequest().provider, QStringLiteral("auto"));
        const QString target = box->targetLabel()->text();
        QVERIFY2(target.contains(QLatin1String("provider fal-ai (auto: the first live provider")) &&
                     target.contains(QLatin1String("skipped: replicate is staging")),
                 qPrintable(target));

        // An endpoint the person chose: auto sends there, and the box says so.
        picker->setEndpoint(server.urlString() + QStringLiteral("/models"));
        QVERIFY2(box->targetLabel()->text().contains(QLatin1String("hf-inference at the endpoint you chose")),
                 qPrintable(box->targetLabel()->text()));
        picker->setEndpoint(idesk::InferenceRequest::defaultEndpoint());

        // A model no provider serves: the box says so and what to do (nothing is chosen silently).
        picker->setModel(QStringLiteral("o/nobody"));
        QVERIFY(listed.wait(10000));
        QVERIFY2(
            box->targetLabel()->text().contains(QLatin1String("no Inference Provider serves o/nobody")) &&
                box->targetLabel()->text().contains(QLatin1String("Choose hf-inference")),
            qPrintable(box->targetLabel()->text()));
        picker->setModel(sdxl); // listed before: from the cache
        QVERIFY(listed.wait(10000));

        auto *text = window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
        QVERIFY(text);
        text->setPlainText(QStringLiteral("a style"));
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(30000));
        const auto result = finished.at(0).at(0).value<InferenceResult>();
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        QCOMPARE(result.body, image);
        QVERIFY2(window.sendPanel()->note().contains(QLatin1String("provider fal-ai (auto:")),
                 qPrintable(window.sendPanel()->note()));
        const QJsonArray got = server.requests();
        QCOMPARE(got.size(), 4); // each mapping once (cached), fal-ai, the file
        QCOMPARE(got.at(2).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/fal-ai/fal-ai/sdxl"));
        QTRY_VERIFY(window.resultView()->hasResult());
        QVERIFY(window.resultView()->rawView()->copyText().contains(QLatin1String("/files/style.png")));
        qunsetenv("HF_ENDPOINT");
        qunsetenv("INFERENCE_DESK_ROUTER");
    }

    // A request remembered by a version before providers (no "provider" field) keeps hf-inference at its
    // endpoint: the box shows that, not auto.
    void requestFromBeforeProvidersKeepsTheEndpoint()
    {
        QSettings().setValue(
            QStringLiteral("request/last"),
            QStringLiteral("{\"endpoint\": \"https://router.huggingface.co/hf-inference/models\", "
                           "\"model\": \"o/m\", \"task\": \"text-classification\", "
                           "\"inputs\": \"hi\"}"));
        MainWindow window;
        QCOMPARE(window.currentRequest().provider, QString());
        QCOMPARE(window.modelPicker()->providerBox()->combo()->currentData().toString(), QString());
    }

private:
    QTemporaryDir m_home;
};

QTEST_MAIN(TestProviderBox)
#include "TestProviderBox.moc"
