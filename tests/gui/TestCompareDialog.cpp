// "Compare with…" offscreen against the loopback replay server: one input to three models, one slow and one
// failing; every column gets its own answer, status and latency. With IDESK_SCREENSHOT_DIR set it also
// writes compare-models.png (1400x900).
#include "BatchAnswers.h"
#include "CompareDialog.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "TestSettings.h"

#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;
using idesk::test::ReplayServer;
namespace BatchAnswers = idesk::test::BatchAnswers;

class TestCompareDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        idesk::test::useTestSettings(QStringLiteral("TestCompareDialog"), m_home.path());
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    }

    void threeModelsOneFailing()
    {
        QVERIFY(m_server->reset());
        // The model is in the path: each answer waits for the request of its own model.
        auto answer = [](const QString &model, int status, const QByteArray &body, int delayMs) {
            return ReplayServer::answerWith(status, QStringLiteral("application/json"), body, {},
                                            QJsonObject{{QStringLiteral("delay_first_byte_ms"), delayMs},
                                                        {QStringLiteral("match_path"), model}});
        };
        QJsonArray queue;
        queue << answer(QStringLiteral("/distilbert-base-uncased-finetuned-sst-2-english"), 200,
                        BatchAnswers::labels(QStringLiteral("POSITIVE"), 0.98), 400)
              << answer(QStringLiteral("/broken-model"), 503, R"({"error":"Service unavailable"})", 50)
              << answer(QStringLiteral("/twitter-roberta-base-sentiment-latest"), 200,
                        BatchAnswers::labels(QStringLiteral("positive"), 0.71), 80);
        QVERIFY(m_server->queue(queue));

        InferenceRequest request;
        request.endpoint = m_server->urlString() + QStringLiteral("/models");
        request.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
        request.task = QStringLiteral("text-classification");
        request.inputs = QStringLiteral("I love this phone");
        CompareDialog dialog(request);
        dialog.resize(1400, 900);
        dialog.show();
        QVERIFY(!dialog.compare()); // one model only
        dialog.setModels({request.model, QStringLiteral("org/broken-model"),
                          QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest")});
        QSignalSpy done(&dialog, &CompareDialog::allFinished);
        QVERIFY(dialog.compare());
        QCOMPARE(dialog.columnCount(), 3);
        QVERIFY(done.wait(20000));
        QVERIFY2(dialog.columnStatus(0).contains(QStringLiteral("— ok —")),
                 qPrintable(dialog.columnStatus(0)));
        QVERIFY2(dialog.columnStatus(1).contains(QLatin1String("failed (503)")),
                 qPrintable(dialog.columnStatus(1)));
        QVERIFY2(dialog.columnStatus(2).contains(QStringLiteral("— ok —")),
                 qPrintable(dialog.columnStatus(2)));
        QTRY_VERIFY(dialog.columnView(0)->hasResult());
        QTRY_VERIFY(dialog.columnView(2)->hasResult());
        QCOMPARE(dialog.columnView(0)->currentViewKind(), QStringLiteral("scores"));
        QCOMPARE(m_server->requests().size(), 3);

        QApplication::processEvents();
        const QPixmap shot = dialog.grab();
        QVERIFY(!shot.isNull());
        const QString out = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
        if (!out.isEmpty()) {
            QVERIFY(QDir().mkpath(out));
            QVERIFY(shot.save(QDir(out).filePath(QStringLiteral("compare-models.png"))));
        }
    }
};

QTEST_MAIN(TestCompareDialog)
#include "TestCompareDialog.moc"
