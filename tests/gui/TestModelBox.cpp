// Issue 15 point 3, the Model box itself, offscreen against a loopback Hub (HF_ENDPOINT): completions only
// for the chosen task, recent models first, then curated, then the Hub's for what was typed (one request
// per pause in typing); the note under the box; an id typed by hand checked once against the Hub (its task
// and providers, not found, or the Hub unreachable), with the way out when it is made for another task.
// The Hub's answers below are constructed from the Hub API docs (GET /api/models, GET /api/models/{id}):
// search rows as tests/data/constructed/hub/search-page1.json, the model info's mapping keyed by provider.
#include "HubFixtures.h"
#include "ModelCompletions.h"
#include "ModelNote.h"
#include "ModelPicker.h"
#include "ReplayServer.h"
#include "TestSettings.h"

#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <QtTest>

using idesk::HubCache;
using idesk::ModelPicker;
using idesk::test::ReplayServer;

namespace {
QStringList rowsOf(const QAbstractItemModel *model)
{
    QStringList out;
    for (int r = 0; r < model->rowCount(); ++r)
        out << model->index(r, 0).data().toString();
    return out;
}

QStringList comboItems(const QComboBox *combo)
{
    QStringList out;
    for (int i = 0; i < combo->count(); ++i)
        out << combo->itemText(i);
    return out;
}

const char kInfoPath[] = "/api/models/acme/handmade-classifier";
QByteArray handmadeInfo()
{
    const QJsonObject mapping{
        {QStringLiteral("hf-inference"),
         QJsonObject{{QStringLiteral("status"), QStringLiteral("live")},
                     {QStringLiteral("providerId"), QStringLiteral("acme/handmade-classifier")},
                     {QStringLiteral("task"), QStringLiteral("text-classification")}}},
        {QStringLiteral("together"),
         QJsonObject{{QStringLiteral("status"), QStringLiteral("live")},
                     {QStringLiteral("providerId"), QStringLiteral("acme/handmade-classifier-t")},
                     {QStringLiteral("task"), QStringLiteral("text-classification")}}}};
    return QJsonDocument(QJsonObject{{QStringLiteral("id"), QStringLiteral("acme/handmade-classifier")},
                                     {QStringLiteral("pipeline_tag"), QStringLiteral("text-classification")},
                                     {QStringLiteral("inferenceProviderMapping"), mapping}})
        .toJson(QJsonDocument::Compact);
}
} // namespace

class TestModelBox : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_home;
    int m_cacheRun = 0;

    // A picker on a cache of its own (never shown: the provider box beside it asks the Hub only when
    // visible, so every request the server sees is the Model box's).
    void prepare(ModelPicker &picker)
    {
        const HubCache cache(m_home.filePath(QStringLiteral("cache%1").arg(++m_cacheRun)));
        picker.completions()->setCache(cache);
        picker.completions()->setDebounceMs(200);
        picker.note()->checker()->fetcher()->setCache(cache);
    }
    QJsonArray requestsTo(const QString &path)
    {
        QJsonArray out;
        for (const QJsonValue &r : m_server->requests())
            if (r.toObject().value(QStringLiteral("path")).toString() == path)
                out << r;
        return out;
    }
    void queue(const QByteArray &body, const QString &path, int status = 200)
    {
        QJsonObject answer = idesk::test::hubAnswer(body, {}, status);
        answer.insert(QStringLiteral("match_path"), path);
        QVERIFY(m_server->queue(QJsonArray{answer}));
    }

    // HF_ENDPOINT at a port nobody listens on any more: the Hub cannot be reached (the test sets it back).
    bool pointHubAtADeadPort()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost))
                return false;
            port = probe.serverPort();
        }
        return qputenv("HF_ENDPOINT", QByteArray("http://127.0.0.1:") + QByteArray::number(port));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        idesk::test::useTestSettings(QStringLiteral("TestModelBox"), m_home.path());
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
        qputenv("HF_ENDPOINT", m_server->urlString().toUtf8());
    }
    void init()
    {
        QSettings().clear();
        QVERIFY(m_server->reset());
    }

    void completionsFilteredByTask()
    {
        ModelPicker picker;
        picker.setTask(QStringLiteral("image-classification"));
        QStringList offered = comboItems(picker.modelCombo());
        QVERIFY(offered.contains(QStringLiteral("google/vit-base-patch16-224")));
        QVERIFY2(!offered.contains(QStringLiteral("espnet/kan-bayashi_ljspeech_vits")),
                 qPrintable(offered.join(' ')));
        QVERIFY(!offered.contains(QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest")));
        // Typing "vit" completes the image classifier only (not the text-to-speech "..._vits").
        QCompleter *completer = picker.modelCombo()->completer();
        QCOMPARE(completer, picker.completions()->completer());
        completer->setCompletionPrefix(QStringLiteral("vit"));
        QStringList completed;
        for (int i = 0; completer->setCurrentRow(i); ++i)
            completed << completer->currentCompletion();
        QCOMPARE(completed, QStringList{QStringLiteral("google/vit-base-patch16-224")});

        picker.setTask(QStringLiteral("text-to-speech"));
        offered = comboItems(picker.modelCombo());
        QVERIFY(offered.contains(QStringLiteral("espnet/kan-bayashi_ljspeech_vits")));
        QVERIFY(!offered.contains(QStringLiteral("google/vit-base-patch16-224")));
        // No task (Kestra's generic form): every model.
        picker.setTask(QString());
        offered = comboItems(picker.modelCombo());
        QVERIFY(offered.contains(QStringLiteral("espnet/kan-bayashi_ljspeech_vits")));
        QVERIFY(offered.contains(QStringLiteral("google/vit-base-patch16-224")));
    }

    void recentModelsFirst()
    {
        ModelPicker picker;
        picker.addRecentModel(QStringLiteral("someone/my-own-classifier"),
                              QStringLiteral("text-classification"));
        picker.addRecentModel(QStringLiteral("someone/my-voice"), QStringLiteral("text-to-speech"));
        picker.setTask(QStringLiteral("text-classification"));
        const QStringList offered = comboItems(picker.modelCombo());
        QCOMPARE(offered.value(0), QStringLiteral("someone/my-own-classifier"));
        QVERIFY(offered.contains(QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest")));
        QVERIFY(!offered.contains(QStringLiteral("someone/my-voice")));
        QCOMPARE(rowsOf(picker.completions()->rows()).value(0), QStringLiteral("someone/my-own-classifier"));
        // Remembered across starts (QSettings), still first.
        ModelPicker again;
        again.setTask(QStringLiteral("text-classification"));
        QCOMPARE(again.modelCombo()->itemText(0), QStringLiteral("someone/my-own-classifier"));
        // The note under the box says what a chosen model is, without hovering.
        again.setModel(QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"));
        QVERIFY2(again.note()->text().contains(QLatin1String("Sentiment")), qPrintable(again.note()->text()));
    }

    void typingSendsOneHubRequestPerPause()
    {
        queue(idesk::test::hubFixture(QStringLiteral("search-page1.json")), QStringLiteral("/api/models"));
        queue(idesk::test::hubFixture(QStringLiteral("search-page1.json")), QStringLiteral("/api/models"));
        ModelPicker picker;
        prepare(picker);
        picker.setTask(QStringLiteral("text-classification"));
        QSignalSpy shown(picker.completions(), &idesk::ModelCompletions::hubRowsShown);
        QLineEdit *box = picker.modelCombo()->lineEdit();
        QTest::keyClicks(box, QStringLiteral("acme/senti")); // ten characters, no pause
        QVERIFY(shown.wait(5000));
        QCOMPARE(requestsTo(QStringLiteral("/api/models")).size(), 1);
        const QUrlQuery query(requestsTo(QStringLiteral("/api/models"))
                                  .at(0)
                                  .toObject()
                                  .value(QStringLiteral("query"))
                                  .toString());
        QCOMPARE(query.queryItemValue(QStringLiteral("search")), QStringLiteral("acme/senti"));
        QCOMPARE(query.queryItemValue(QStringLiteral("pipeline_tag")), QStringLiteral("text-classification"));
        // After the curated models, the Hub's of this task (the chat model of the answer is left out).
        const QStringList rows = rowsOf(picker.completions()->rows());
        const QString hubId = QStringLiteral("acme/sentiment-base-with-a-rather-long-model-name-for-elision");
        QCOMPARE(rows.last(), hubId);
        QVERIFY(rows.indexOf(QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest")) <
                rows.indexOf(hubId));
        QVERIFY(!rows.contains(QStringLiteral("acme/chat-7b-instruct")));

        // Another pause, another request.
        QTest::keyClicks(box, QStringLiteral("ment"));
        QVERIFY(shown.wait(5000));
        QCOMPARE(requestsTo(QStringLiteral("/api/models")).size(), 2);

        // Choosing the Hub's row: the note says its task and providers, with no further request.
        QSignalSpy known(&picker, &ModelPicker::hubModelKnown);
        picker.modelCombo()->setEditText(hubId);
        Q_EMIT box->editingFinished();
        QCOMPARE(picker.note()->text(), QStringLiteral("text-classification · served by hf-inference"));
        QCOMPARE(known.size(), 1);
        QCOMPARE(m_server->requests().size(), 2);
    }

    void handTypedIdShowsTaskAndProvidersOnce()
    {
        queue(handmadeInfo(), QString::fromLatin1(kInfoPath));
        ModelPicker picker;
        prepare(picker);
        picker.setTask(QStringLiteral("text-classification"));
        QSignalSpy known(&picker, &ModelPicker::hubModelKnown);
        picker.modelCombo()->setEditText(QStringLiteral("acme/handmade-classifier"));
        QVERIFY(picker.note()->text().contains(QLatin1String("checked on the Hub")));
        Q_EMIT picker.modelCombo()->lineEdit()->editingFinished();
        QTRY_COMPARE(picker.note()->text(),
                     QStringLiteral("text-classification · served by hf-inference, together"));
        QCOMPARE(known.size(), 1);
        QCOMPARE(known.at(0).at(0).value<idesk::HubModel>().providers.size(), 2);
        QCOMPARE(requestsTo(QString::fromLatin1(kInfoPath)).size(), 1);
        QVERIFY(picker.note()->offeredTask().isEmpty());
        QVERIFY(picker.note()->actionLabel()->isHidden());
        // The token policy's rules hold: no token was given, none went along.
        QVERIFY(ReplayServer::header(requestsTo(QString::fromLatin1(kInfoPath)).at(0),
                                     QStringLiteral("authorization"))
                    .isEmpty());

        // Checked once: leaving the box again sends nothing.
        Q_EMIT picker.modelCombo()->lineEdit()->editingFinished();
        QVERIFY(!picker.note()->checker()->isRunning());
        QTest::qWait(0);
        QCOMPARE(m_server->requests().size(), 1);

        // Another task: said plainly, with the way out.
        picker.setTask(QStringLiteral("summarization"));
        QVERIFY2(
            picker.note()->text().startsWith(QLatin1String("A text-classification model, not summarization")),
            qPrintable(picker.note()->text()));
        QCOMPARE(picker.note()->offeredTask(), QStringLiteral("text-classification"));
        QVERIFY(!picker.note()->actionLabel()->isHidden());
        Q_EMIT picker.note()->actionLabel()->linkActivated(QStringLiteral("task"));
        QCOMPARE(picker.task(), QStringLiteral("text-classification"));
        QCOMPARE(picker.modelCombo()->currentText(), QStringLiteral("acme/handmade-classifier"));
        QCOMPARE(m_server->requests().size(), 1);
    }

    void unknownIdSaysNotFound()
    {
        queue(R"({"error":"Repository not found"})", QStringLiteral("/api/models/acme/no-such-model"), 404);
        ModelPicker picker;
        prepare(picker);
        picker.setTask(QStringLiteral("text-classification"));
        picker.modelCombo()->setEditText(QStringLiteral("acme/no-such-model"));
        Q_EMIT picker.modelCombo()->lineEdit()->editingFinished();
        QTRY_VERIFY2(
            picker.note()->text().contains(QStringLiteral("not found on the Hub — check the spelling")),
            qPrintable(picker.note()->text()));
        // Asked once: a 404 is kept for the session.
        Q_EMIT picker.modelCombo()->lineEdit()->editingFinished();
        QTest::qWait(0);
        QCOMPARE(m_server->requests().size(), 1);
    }

    // A search the Hub does not answer is said under the box (rate limited: when to type again; not
    // reachable: only local models), not passed over in silence; the local rows stay.
    void searchTroubleIsSaidUnderTheBox()
    {
        QJsonObject limited =
            idesk::test::hubAnswer(R"({"error":"Too many requests"})",
                                   QJsonObject{{QStringLiteral("Retry-After"), QStringLiteral("7")}}, 429);
        limited.insert(QStringLiteral("match_path"), QStringLiteral("/api/models"));
        QVERIFY(m_server->queue(QJsonArray{limited}));
        {
            ModelPicker picker;
            prepare(picker);
            picker.setTask(QStringLiteral("text-classification"));
            QSignalSpy problem(picker.completions(), &idesk::ModelCompletions::hubProblem);
            QTest::keyClicks(picker.modelCombo()->lineEdit(), QStringLiteral("senti"));
            QVERIFY(problem.wait(5000));
            QVERIFY2(picker.note()->text().contains(QLatin1String("try again in 7 s")),
                     qPrintable(picker.note()->text()));
            QVERIFY(rowsOf(picker.completions()->rows())
                        .contains(QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest")));
            QCOMPARE(requestsTo(QStringLiteral("/api/models")).size(), 1); // and no retry loop
        }

        QVERIFY(pointHubAtADeadPort());
        ModelPicker picker;
        prepare(picker);
        picker.setTask(QStringLiteral("text-classification"));
        QSignalSpy problem(picker.completions(), &idesk::ModelCompletions::hubProblem);
        QTest::keyClicks(picker.modelCombo()->lineEdit(), QStringLiteral("senti"));
        const bool said = problem.wait(10000);
        qputenv("HF_ENDPOINT", m_server->urlString().toUtf8());
        QVERIFY(said);
        QVERIFY2(picker.note()->text().contains(QLatin1String("could not be reached")),
                 qPrintable(picker.note()->text()));
    }

    void offlineSaysSoAndDoesNotBlock()
    {
        QVERIFY(pointHubAtADeadPort());
        ModelPicker picker;
        prepare(picker);
        picker.setTask(QStringLiteral("text-classification"));
        picker.modelCombo()->setEditText(QStringLiteral("acme/offline-classifier"));
        QSignalSpy checked(picker.note()->checker(), &idesk::ModelIdCheck::checked);
        Q_EMIT picker.modelCombo()->lineEdit()->editingFinished();
        QVERIFY(checked.wait(10000));
        qputenv("HF_ENDPOINT", m_server->urlString().toUtf8());
        QVERIFY2(picker.note()->text().contains(QLatin1String("could not be reached")),
                 qPrintable(picker.note()->text()));
        QVERIFY(picker.note()->text().contains(QLatin1String("sending still works")));
        // Nothing blocks sending.
        QVERIFY2(picker.problems().isEmpty(), qPrintable(picker.problems().join(' ')));
        // Not kept: once the Hub is back, leaving the box asks again.
        queue(handmadeInfo(), QStringLiteral("/api/models/acme/offline-classifier"));
        Q_EMIT picker.modelCombo()->lineEdit()->editingFinished();
        QVERIFY(checked.wait(10000));
        QCOMPARE(m_server->requests().size(), 1);
    }

    void noteNeverGrowsTheWindow()
    {
        // Chat: the provider box is hidden, so the only request is the check.
        const QString id =
            QStringLiteral("an-organisation-with-a-long-name/a-classifier-") + QString(60, QLatin1Char('m'));
        queue(handmadeInfo(), QStringLiteral("/api/models/") + id);
        QWidget host;
        auto *layout = new QVBoxLayout(&host);
        auto *picker = new ModelPicker(&host);
        prepare(*picker);
        layout->addWidget(picker);
        layout->addStretch(1);
        picker->setTask(QStringLiteral("chat-completion"));
        host.resize(560, 260);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        const QSize size = host.size();
        const QSize minimum = host.minimumSizeHint();
        picker->modelCombo()->setEditText(id);
        Q_EMIT picker->modelCombo()->lineEdit()->editingFinished();
        QTRY_VERIFY(!picker->note()->actionLabel()->isHidden()); // a text-classification model, not chat
        QCOMPARE(picker->note()->offeredTask(), QStringLiteral("text-classification"));
        QVERIFY(picker->note()->isVisible());
        // The task's description gives the note its line while the box holds a model.
        QVERIFY(!picker->findChild<QWidget *>(QStringLiteral("taskDescription"))->isVisible());
        QApplication::processEvents();
        QCOMPARE(host.size(), size);
        QVERIFY2(host.minimumSizeHint().width() <= size.width(),
                 qPrintable(QString::number(host.minimumSizeHint().width())));
        QVERIFY2(host.minimumSizeHint().height() <= minimum.height(),
                 qPrintable(QString::number(host.minimumSizeHint().height())));
        if (!qEnvironmentVariableIsEmpty("IDESK_MODELBOX_SHOT"))
            host.grab().save(qEnvironmentVariable("IDESK_MODELBOX_SHOT"));
    }
};

QTEST_MAIN(TestModelBox)
#include "TestModelBox.moc"
