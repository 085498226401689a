// The batch window offscreen against the loopback replay server: three inputs, one failing; the table's
// rows and statuses, the progress, Re-run failed sending only the failed input, the CSV export; the
// drop of several files on the main window's input offering a batch. With IDESK_SCREENSHOT_DIR set it also
// writes batch-images.png (a batch of images at 1400x900).
#include "BatchAnswers.h"
#include "BatchDialog.h"
#include "BatchLauncher.h"
#include "BatchRunner.h"
#include "BatchTableModel.h"
#include "FileDropArea.h"
#include "HostApproval.h"
#include "InputEditor.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "TestSettings.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;
using idesk::test::ReplayServer;
namespace BatchAnswers = idesk::test::BatchAnswers;
using BatchAnswers::labels;

namespace {

QJsonObject answerFor(const QString &input, int status, const QByteArray &body)
{
    return BatchAnswers::answer(status, body, 50, BatchAnswers::quoted(input));
}

} // namespace

class TestBatchDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_home;

    InferenceRequest templ(const QString &task) const
    {
        InferenceRequest r;
        r.endpoint = m_server->urlString() + QStringLiteral("/models");
        r.model = QStringLiteral("org/model");
        r.task = task;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        idesk::test::useTestSettings(QStringLiteral("TestBatchDialog"), m_home.path());
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    }
    void init() { QVERIFY(m_server->reset()); }

    void threeInputsOneFailing()
    {
        QJsonArray queue;
        queue << answerFor(QStringLiteral("first"), 200, labels(QStringLiteral("POSITIVE")))
              << answerFor(QStringLiteral("second"), 400, R"({"error":"Input is not valid"})")
              << answerFor(QStringLiteral("third"), 200, labels(QStringLiteral("NEGATIVE")));
        QVERIFY(m_server->queue(queue));

        BatchDialog dialog(templ(QStringLiteral("text-classification")));
        dialog.show();
        QList<BatchInput> inputs;
        int line = 1;
        for (const char *text : {"first", "second", "third"})
            inputs << BatchInput{QStringLiteral("line %1").arg(line++), QString(), QString::fromLatin1(text)};
        dialog.setInputs(inputs, QStringLiteral("three lines"));
        auto *concurrency = dialog.findChild<QSpinBox *>(QStringLiteral("concurrency"));
        QVERIFY(concurrency);
        QCOMPARE(concurrency->value(), 4);

        auto *start = dialog.findChild<QPushButton *>(QStringLiteral("startButton"));
        auto *rerun = dialog.findChild<QPushButton *>(QStringLiteral("rerunButton"));
        auto *exportButton = dialog.findChild<QPushButton *>(QStringLiteral("exportButton"));
        auto *progress = dialog.findChild<QProgressBar *>(QStringLiteral("progress"));
        auto *progressLabel = dialog.findChild<QLabel *>(QStringLiteral("progressLabel"));
        QVERIFY(start && rerun && exportButton && progress && progressLabel);
        QVERIFY(!rerun->isEnabled());

        QSignalSpy finished(dialog.runner(), &BatchRunner::finished);
        QTest::mouseClick(start, Qt::LeftButton);
        QVERIFY(dialog.runner()->isRunning());
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).toString(), QString());

        BatchTableModel *model = dialog.tableModel();
        auto *table = dialog.findChild<QTableView *>(QStringLiteral("table"));
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 3);
        const int status = model->statusColumn();
        QCOMPARE(table->model()->index(0, status).data().toString(), QStringLiteral("ok"));
        QCOMPARE(table->model()->index(1, status).data().toString(), QStringLiteral("failed"));
        QCOMPARE(table->model()->index(2, status).data().toString(), QStringLiteral("ok"));
        QCOMPARE(table->model()->index(0, 1).data().toString(), QStringLiteral("POSITIVE"));
        QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("first"));
        QVERIFY2(table->model()
                     ->index(1, status)
                     .data(Qt::ToolTipRole)
                     .toString()
                     .contains(QLatin1String("valid")),
                 qPrintable(table->model()->index(1, status).data(Qt::ToolTipRole).toString()));
        QCOMPARE(progress->maximum(), 3);
        QCOMPARE(progress->value(), 3);
        QVERIFY2(progressLabel->text().startsWith(QLatin1String("2 of 3 done, 1 failed")),
                 qPrintable(progressLabel->text()));
        QVERIFY(rerun->isEnabled());
        QVERIFY(exportButton->isEnabled());

        // A row opens its full result.
        table->doubleClicked(table->model()->index(0, 0));
        QDialog *resultDialog = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets())
            if (w->findChild<ResultView *>(QStringLiteral("batchResultView")) && w->isVisible())
                resultDialog = qobject_cast<QDialog *>(w);
        QVERIFY(resultDialog);
        auto *view = resultDialog->findChild<ResultView *>(QStringLiteral("batchResultView"));
        QTRY_VERIFY(view->hasResult());
        QCOMPARE(view->currentViewKind(), QStringLiteral("scores"));
        resultDialog->close();

        // Re-run failed sends only the failed input.
        QVERIFY(m_server->clearRequests());
        QVERIFY(m_server->queue(
            QJsonArray{answerFor(QStringLiteral("second"), 200, labels(QStringLiteral("NEUTRAL")))}));
        QTest::mouseClick(rerun, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        const QJsonArray log = m_server->requests();
        QCOMPARE(log.size(), 1);
        QCOMPARE(BatchAnswers::inputsOf(log.at(0)), QStringLiteral("second"));
        QCOMPARE(table->model()->index(1, status).data().toString(), QStringLiteral("ok"));
        QCOMPARE(table->model()->index(1, 1).data().toString(), QStringLiteral("NEUTRAL"));
        QVERIFY(!rerun->isEnabled());

        // Export: a CSV with a header and three rows.
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        QString error;
        QVERIFY2(dialog.exportTo(csv, &error), qPrintable(error));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY2(lines.at(1).startsWith("first,"), lines.at(1).constData());
        QVERIFY2(lines.at(2).contains("NEUTRAL"), lines.at(2).constData());
        QVERIFY2(lines.at(3).contains("NEGATIVE"), lines.at(3).constData());
    }

    // The batch window keeps its state in the app's data folder: cancelled after some inputs finished,
    // closed and opened again, it offers Resume, which sends only the unfinished inputs; every input ends
    // with exactly one result.
    void cancelledBatchResumesInANewWindow()
    {
        QFile::remove(BatchDialog::statePath());
        QList<BatchInput> inputs;
        const QStringList texts{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three"),
                                QStringLiteral("four"), QStringLiteral("five")};
        for (int i = 0; i < texts.size(); ++i)
            inputs << BatchInput{QStringLiteral("line %1").arg(i + 1), QString(), texts.at(i)};
        // "one" and "two" answer at once; "three" and "four" are still on the wire when the batch is
        // cancelled.
        QVERIFY(
            m_server->queue(QJsonArray{answerFor(QStringLiteral("one"), 200, labels(QStringLiteral("A"))),
                                       answerFor(QStringLiteral("two"), 200, labels(QStringLiteral("B"))),
                                       BatchAnswers::answer(200, labels(QStringLiteral("late")), 10000,
                                                            BatchAnswers::quoted(QStringLiteral("three"))),
                                       BatchAnswers::answer(200, labels(QStringLiteral("late")), 10000,
                                                            BatchAnswers::quoted(QStringLiteral("four")))}));
        {
            BatchDialog dialog(templ(QStringLiteral("text-classification")));
            QVERIFY(!dialog.hasUnfinishedBatch());
            dialog.setInputs(inputs, QStringLiteral("five lines"));
            dialog.findChild<QSpinBox *>(QStringLiteral("concurrency"))->setValue(2);
            dialog.start();
            QVERIFY(dialog.runner()->isRunning());
            QTRY_COMPARE_WITH_TIMEOUT(dialog.runner()->progress().done, 2, 20000);
            QTRY_COMPARE_WITH_TIMEOUT(dialog.runner()->progress().running, 2, 20000);
            dialog.cancelBatch();
            QVERIFY(!dialog.runner()->isRunning());
        }
        QVERIFY(QFile::exists(BatchDialog::statePath()));

        QVERIFY(m_server->reset());
        QJsonArray rest;
        for (const QString &t : {QStringLiteral("three"), QStringLiteral("four"), QStringLiteral("five")})
            rest << answerFor(t, 200, labels(t.toUpper()));
        QVERIFY(m_server->queue(rest));
        // Another template in the main window: the resumed batch keeps its own.
        InferenceRequest other = templ(QStringLiteral("text-classification"));
        other.model = QStringLiteral("org/other");
        BatchDialog reopened(other);
        reopened.show();
        QVERIFY(reopened.hasUnfinishedBatch());
        auto *label = reopened.findChild<QLabel *>(QStringLiteral("resumeLabel"));
        QVERIFY(label);
        QVERIFY2(label->text().contains(QLatin1String("2 of 5")), qPrintable(label->text()));
        QSignalSpy finished(reopened.runner(), &BatchRunner::finished);
        QTest::mouseClick(reopened.findChild<QPushButton *>(QStringLiteral("resumeButton")), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).toString(), QString());

        QStringList sent;
        for (const QJsonValue &r : m_server->requests()) {
            sent << BatchAnswers::inputsOf(r);
            QVERIFY(
                r.toObject().value(QStringLiteral("path")).toString().endsWith(QLatin1String("/org/model")));
        }
        sent.sort();
        QCOMPARE(sent,
                 (QStringList{QStringLiteral("five"), QStringLiteral("four"), QStringLiteral("three")}));
        const QList<BatchItemResult> results = reopened.runner()->results();
        QCOMPARE(results.size(), 5);
        QSet<QString> keys;
        for (const BatchItemResult &r : results) {
            QVERIFY2(r.ok, qPrintable(r.key));
            keys.insert(r.key);
        }
        QCOMPARE(keys.size(), 5);
        QCOMPARE(reopened.tableModel()->rowCount(), 5);
        QVERIFY(!QFile::exists(BatchDialog::statePath())); // complete: nothing left to resume

        // Discard forgets an unfinished batch.
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queue(QJsonArray{BatchAnswers::answer(
            200, labels(QStringLiteral("late")), 10000, BatchAnswers::quoted(QStringLiteral("one")))}));
        {
            BatchDialog dialog(templ(QStringLiteral("text-classification")));
            dialog.setInputs(inputs.mid(0, 1), QStringLiteral("one line"));
            dialog.start();
            QTRY_COMPARE_WITH_TIMEOUT(dialog.runner()->progress().running, 1, 20000);
        }
        BatchDialog again(templ(QStringLiteral("text-classification")));
        QVERIFY(again.hasUnfinishedBatch());
        QTest::mouseClick(again.findChild<QPushButton *>(QStringLiteral("discardButton")), Qt::LeftButton);
        QVERIFY(!again.hasUnfinishedBatch());
        QVERIFY(!QFile::exists(BatchDialog::statePath()));
    }

    // The token's destination is asked about once for the whole batch, before anything is sent; approved,
    // every input carries the token.
    void hostApprovalAskedOnceBeforeTheBatch()
    {
        HostApproval::setApprovedOrigins({});
        const QString token = QStringLiteral("hf_BatchApprovalTest0123");
        QJsonArray queue;
        for (const char *text : {"red", "green", "blue"})
            queue << answerFor(QString::fromLatin1(text), 200, labels(QStringLiteral("L")));
        QVERIFY(m_server->queue(queue));
        BatchDialog dialog(templ(QStringLiteral("text-classification")));
        dialog.setTokenProvider([token] { return token; });
        QList<BatchInput> inputs;
        for (const char *text : {"red", "green", "blue"})
            inputs << BatchInput{QString::fromLatin1(text), QString(), QString::fromLatin1(text)};
        dialog.setInputs(inputs, QStringLiteral("three words"));
        dialog.show();
        dialog.start();
        auto *approval = dialog.findChild<HostApproval *>();
        QVERIFY(approval);
        QMessageBox *box = approval->pendingQuestion();
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QVERIFY(!dialog.runner()->isRunning());
        QCOMPARE(m_server->requests().size(), 0); // nothing sent before the answer
        QSignalSpy finished(dialog.runner(), &BatchRunner::finished);
        for (QAbstractButton *b : box->buttons())
            if (box->buttonRole(b) == QMessageBox::AcceptRole)
                b->click();
        QVERIFY(finished.wait(20000));
        const QJsonArray log = m_server->requests();
        QCOMPARE(log.size(), 3);
        for (const QJsonValue &r : log)
            QCOMPARE(ReplayServer::header(r, QStringLiteral("authorization")),
                     QStringLiteral("Bearer ") + token);
        QVERIFY(!approval->pendingQuestion()); // one question, not one per input
        HostApproval::setApprovedOrigins({});
    }

    void unreadableSourceSaysWhy()
    {
        BatchDialog dialog(templ(QStringLiteral("text-classification")));
        QVERIFY(!dialog.loadInputs());
        auto *message = dialog.findChild<QLabel *>(QStringLiteral("sourceMessage"));
        QVERIFY(message);
        QVERIFY2(message->text().contains(QLatin1String("Choose")), qPrintable(message->text()));
        dialog.start();
        QVERIFY(!dialog.runner()->isRunning());
    }

    void droppedFilesOfferABatch()
    {
        QTemporaryDir dir;
        for (const char *name : {"a.png", "b.png"}) {
            QImage image(8, 8, QImage::Format_RGB32);
            image.fill(Qt::red);
            QVERIFY(image.save(dir.filePath(QLatin1String(name))));
        }
        MainWindow window;
        window.show();
        auto *launcher = window.findChild<BatchLauncher *>();
        QVERIFY(launcher);
        auto *menu = window.menuBar()->findChild<QMenu *>(QStringLiteral("menuRequest"));
        QVERIFY(menu);
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("actionBatch")) ||
                menu->actions().contains(launcher->action()));
        int asked = -1;
        launcher->confirm = [&asked](int n) {
            asked = n;
            return true;
        };
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(dir.path())});
        // The image area of the input editor (a drop reaches the widget that accepted its drag; Qt routes it
        // only during a real drag, so the event goes through the launcher's filter as Qt would send it).
        QWidget *target = window.inputEditor()->fileArea();
        QVERIFY(target);
        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QVERIFY(static_cast<QObject *>(launcher)->eventFilter(target, &drop));
        QCOMPARE(asked, 2);
        BatchDialog *dialog = window.findChild<BatchDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->inputCount(), 2);
        QCOMPARE(dialog->tableModel()->rowCount(), 2);
    }

    // Several text files dropped on a text task's text box offer a batch of their lines (a CSV: its first
    // column), instead of the text box taking the drop.
    void textFilesOnTheTextBoxOfferABatchOfLines()
    {
        QTemporaryDir dir;
        QFile lines(dir.filePath(QStringLiteral("a.txt")));
        QVERIFY(lines.open(QIODevice::WriteOnly));
        lines.write("alpha\nbeta\n");
        lines.close();
        QFile csv(dir.filePath(QStringLiteral("b.csv")));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("text,score\ngamma,1\ndelta,2\nepsilon,3\n");
        csv.close();
        MainWindow window;
        window.show();
        window.modelPicker()->setTask(QStringLiteral("text-classification"));
        auto *launcher = window.findChild<BatchLauncher *>();
        QVERIFY(launcher);
        int asked = -1;
        launcher->confirm = [&asked](int n) {
            asked = n;
            return true;
        };
        auto *text = window.inputEditor()->findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
        QVERIFY(text);
        text->clear();
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(lines.fileName()), QUrl::fromLocalFile(csv.fileName())});
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QVERIFY(static_cast<QObject *>(launcher)->eventFilter(text->viewport(), &enter));
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QVERIFY(static_cast<QObject *>(launcher)->eventFilter(text->viewport(), &drop));
        QCOMPARE(asked, 5);
        BatchDialog *dialog = window.findChild<BatchDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->inputCount(), 5);
        const QList<BatchInput> inputs = dialog->runner()->inputs();
        QCOMPARE(inputs.at(0).key, QStringLiteral("a.txt: line 1"));
        QCOMPARE(inputs.at(1).value.toString(), QStringLiteral("beta"));
        QVERIFY(inputs.at(2).key.startsWith(QLatin1String("b.csv: ")));
        QCOMPARE(inputs.at(2).value.toString(), QStringLiteral("gamma"));
        QCOMPARE(inputs.at(4).value.toString(), QStringLiteral("epsilon"));
        QVERIFY(text->toPlainText().isEmpty()); // the text box did not take the drop
    }

    void screenshotOfImages()
    {
        QTemporaryDir dir;
        const QList<QPair<QString, QColor>> pictures = {
            {"tabby-01.jpg", QColor(196, 140, 80)},     {"retriever-02.jpg", QColor(220, 180, 90)},
            {"parrot-03.jpg", QColor(60, 170, 80)},     {"goldfish-04.jpg", QColor(240, 120, 40)},
            {"corrupt-05.jpg", QColor(90, 90, 90)},     {"tabby-06.jpg", QColor(160, 110, 70)},
            {"zebra-07.jpg", QColor(40, 40, 40)},       {"husky-08.jpg", QColor(150, 160, 180)},
            {"flamingo-09.jpg", QColor(240, 130, 160)}, {"owl-10.jpg", QColor(120, 90, 60)}};
        QStringList files;
        int i = 0;
        for (const auto &p : pictures) {
            QImage image(320, 240, QImage::Format_RGB32);
            image.fill(p.second.lighter(150));
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setBrush(p.second);
            painter.setPen(Qt::NoPen);
            painter.drawEllipse(QPoint(160, 130), 70 + 10 * (i % 3), 80);
            painter.setBrush(p.second.darker(140));
            painter.drawEllipse(QPoint(110 + 5 * i, 70), 25, 30);
            painter.drawEllipse(QPoint(210 - 5 * i, 70), 25, 30);
            painter.end();
            files << dir.filePath(p.first);
            image.setText(QStringLiteral("Description"), QFileInfo(p.first).baseName());
            QVERIFY(image.save(files.last(), "JPG"));
            ++i;
        }
        const QStringList answers = {
            "tabby, tabby cat", "golden retriever", "macaw",         "goldfish", "", "tiger cat", "zebra",
            "Siberian husky",   "flamingo",         "great grey owl"};
        const QList<double> scores = {0.91, 0.87, 0.78, 0.95, 0, 0.64, 0.97, 0.72, 0.93, 0.81};
        QJsonArray queue;
        for (int k = 0; k < answers.size(); ++k) {
            // Each picture carries its name in a JPEG comment, so its answer finds it whatever the order.
            const int delay = k >= 8 ? 30000 : 150 + 40 * k;
            const QString name = QFileInfo(files.at(k)).baseName();
            queue << (answers.at(k).isEmpty()
                          ? BatchAnswers::answer(400, R"({"error":"cannot identify image file"})", delay,
                                                 name)
                          : BatchAnswers::answer(200, labels(answers.at(k), scores.at(k)), delay, name));
        }
        QVERIFY(m_server->queue(queue));

        InferenceRequest request = templ(QStringLiteral("image-classification"));
        request.model = QStringLiteral("google/vit-base-patch16-224");
        BatchDialog dialog(request);
        dialog.resize(1400, 900);
        dialog.setInputs(BatchInputs::fromFiles(files), QStringLiteral("10 dropped files"));
        dialog.show();
        dialog.start();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.runner()->progress().done + dialog.runner()->progress().failed >= 8,
                                 20000);
        QApplication::processEvents();
        const QPixmap shot = dialog.grab();
        QVERIFY(!shot.isNull());
        QCOMPARE(shot.size() / shot.devicePixelRatio(), QSize(1400, 900));
        const QString out = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
        if (!out.isEmpty()) {
            QVERIFY(QDir().mkpath(out));
            QVERIFY(shot.save(QDir(out).filePath(QStringLiteral("batch-images.png"))));
        }
        dialog.cancelBatch();
        QVERIFY(!dialog.runner()->isRunning());
    }
};

QTEST_MAIN(TestBatchDialog)
#include "TestBatchDialog.moc"
