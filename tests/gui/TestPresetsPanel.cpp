// The presets dock as a person uses it: a real PresetsPanel over a real PresetStore in a temporary
// folder. List, search as you type, open (double click, Enter), rename / duplicate / delete with undo,
// a broken file listed with its error and never touched without asking, Ctrl+S (save with a name, ask
// before replacing), import of the seed Kestra flows, export as a Kestra flow without the token.
#include "KestraFlow.h"
#include "Preset.h"
#include "PresetStore.h"
#include "PresetsPanel.h"
#include "TestConfig.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>
#include <functional>

using idesk::InferenceRequest;
using idesk::Preset;
using idesk::PresetsPanel;
using idesk::PresetStore;

namespace {

const char kFakeToken[] = "hf_" "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

InferenceRequest request(const QString &model, const QString &task, const QString &inputs)
{
    InferenceRequest r;
    r.model = model;
    r.task = task;
    r.inputs = inputs;
    return r;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

// Answers the next modal dialog (a QMessageBox or a QInputDialog) as soon as it shows.
void answerNextDialog(std::function<void(QWidget *)> answer)
{
    auto *timer = new QTimer;
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, [timer, answer]() {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal || !modal->isVisible())
            return;
        timer->stop();
        timer->deleteLater();
        answer(modal);
    });
    timer->start();
}

void clickRole(QWidget *modal, QMessageBox::ButtonRole role)
{
    auto *box = qobject_cast<QMessageBox *>(modal);
    QVERIFY(box);
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == role) {
            b->click();
            return;
        }
    QFAIL("no such button");
}

} // namespace

class TestPresetsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void listAndSearch();
    void openByDoubleClickAndEnter();
    void renameWithUndo();
    void duplicateWithUndo();
    void deleteWithUndo();
    void brokenFileListedAndUntouched();
    void saveRequestAsksNameAndBeforeReplacing();
    void importSeedFlows();
    void importRefusesUnevaluableExpression();
    void exportFlowWithoutToken();
    void dropFlowImports();
    void screenshot();

private:
    void seed();

    QTemporaryDir m_tmp;
    QString m_dir;
    PresetStore *m_store = nullptr;
    PresetsPanel *m_panel = nullptr;
};

void TestPresetsPanel::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QStandardPaths::setTestModeEnabled(true);
}

void TestPresetsPanel::init()
{
    static int n = 0;
    m_dir = m_tmp.filePath(QStringLiteral("presets-%1").arg(++n));
    QVERIFY(QDir().mkpath(m_dir));
    m_store = new PresetStore(m_dir);
    m_panel = new PresetsPanel(m_store);
    m_panel->resize(360, 520);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel));
}

void TestPresetsPanel::cleanup()
{
    delete m_panel;
    m_panel = nullptr;
    delete m_store;
    m_store = nullptr;
    qunsetenv("HF_TOKEN");
}

void TestPresetsPanel::seed()
{
    QVERIFY(m_store->save(Preset::fromRequest(
        QStringLiteral("Sentiment"),
        request(QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"),
                QStringLiteral("text-classification"), QStringLiteral("I want a refund")))));
    QVERIFY(m_store->save(
        Preset::fromRequest(QStringLiteral("Fill the blank"),
                            request(QStringLiteral("google-bert/bert-base-uncased"),
                                    QStringLiteral("fill-mask"), QStringLiteral("Paris is [MASK].")))));
    QVERIFY(m_store->save(
        Preset::fromRequest(QStringLiteral("News digest"),
                            request(QStringLiteral("facebook/bart-large-cnn"),
                                    QStringLiteral("summarization"), QStringLiteral("Long text")))));
}

void TestPresetsPanel::listAndSearch()
{
    // Empty store: the list says what to do.
    QVERIFY(m_panel->visibleNames().isEmpty());
    QCOMPARE(m_panel->presetList()->count(), 1);
    QVERIFY(m_panel->presetList()->item(0)->text().contains(QLatin1String("Ctrl+S")));
    QVERIFY(!m_panel->deleteAction()->isEnabled());

    seed();
    QCOMPARE(m_panel->visibleNames(),
             (QStringList{QStringLiteral("Fill the blank"), QStringLiteral("News digest"),
                          QStringLiteral("Sentiment")}));
    // Each row names the model too.
    QVERIFY(m_panel->presetList()
                ->item(0)
                ->data(Qt::UserRole + 2)
                .toString()
                .contains(QLatin1String("google-bert/bert-base-uncased")));

    // Search as you type: name, model, task.
    QTest::keyClicks(m_panel->searchEdit(), QStringLiteral("google"));
    QCOMPARE(m_panel->visibleNames(), QStringList{QStringLiteral("Fill the blank")});
    m_panel->searchEdit()->clear();
    QTest::keyClicks(m_panel->searchEdit(), QStringLiteral("SUMMAR"));
    QCOMPARE(m_panel->visibleNames(), QStringList{QStringLiteral("News digest")});
    m_panel->searchEdit()->clear();
    QTest::keyClicks(m_panel->searchEdit(), QStringLiteral("senti"));
    QCOMPARE(m_panel->visibleNames(), QStringList{QStringLiteral("Sentiment")});
    m_panel->searchEdit()->clear();
    QTest::keyClicks(m_panel->searchEdit(), QStringLiteral("zzz"));
    QVERIFY(m_panel->visibleNames().isEmpty());
    QVERIFY(m_panel->presetList()->item(0)->text().contains(QLatin1String("No preset matches \"zzz\"")));
    m_panel->searchEdit()->clear();
    QCOMPARE(m_panel->visibleNames().size(), 3);

    // A preset written by someone else (the CLI) shows up.
    PresetStore other(m_dir);
    QVERIFY(other.save(Preset::fromRequest(
        QStringLiteral("From the CLI"), request(QStringLiteral("gpt2"), QString(), QStringLiteral("Hi")))));
    m_store->reload();
    QVERIFY(m_panel->visibleNames().contains(QStringLiteral("From the CLI")));
}

void TestPresetsPanel::openByDoubleClickAndEnter()
{
    seed();
    QSignalSpy opened(m_panel, &PresetsPanel::presetActivated);
    QListWidget *list = m_panel->presetList();

    QVERIFY(m_panel->selectPreset(QStringLiteral("sentiment")));
    const QRect rect = list->visualItemRect(list->currentItem());
    // A double click is a press, a release, then the double-click press (as a real mouse sends it).
    QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QCOMPARE(opened.count(), 0); // a single click only selects
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QCOMPARE(opened.count(), 1);
    Preset p = opened.takeFirst().at(0).value<Preset>();
    QCOMPARE(p.name, QStringLiteral("Sentiment"));
    QCOMPARE(p.request.model, QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"));
    QCOMPARE(p.request.inputs.toString(), QStringLiteral("I want a refund"));

    list->setFocus();
    QVERIFY(m_panel->selectPreset(QStringLiteral("Fill the blank")));
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.takeFirst().at(0).value<Preset>().request.task, QStringLiteral("fill-mask"));

    // Enter in the search field opens the first match.
    list->setCurrentItem(nullptr);
    QTest::keyClicks(m_panel->searchEdit(), QStringLiteral("bart"));
    QTest::keyClick(m_panel->searchEdit(), Qt::Key_Return);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.takeFirst().at(0).value<Preset>().name, QStringLiteral("News digest"));
    QVERIFY(m_panel->messageLabel()->text().contains(QLatin1String("News digest")));
}

void TestPresetsPanel::renameWithUndo()
{
    seed();
    const QString path = m_store->preset(QStringLiteral("Sentiment"))->filePath;
    QVERIFY(m_panel->renamePreset(QStringLiteral("Sentiment"), QStringLiteral("Refund mood")));
    QVERIFY(m_store->contains(QStringLiteral("Refund mood")));
    QVERIFY(!m_store->contains(QStringLiteral("Sentiment")));
    QCOMPARE(m_panel->currentName(), QStringLiteral("Refund mood"));
    QVERIFY(Preset::load(path)->name == QStringLiteral("Refund mood"));

    // A name that is taken is refused, nothing changes.
    QVERIFY(!m_panel->renamePreset(QStringLiteral("Refund mood"), QStringLiteral("news DIGEST")));
    QVERIFY2(m_panel->messageLabel()->text().contains(QLatin1String("already exists")),
             qPrintable(m_panel->messageLabel()->text()));
    QVERIFY(m_store->contains(QStringLiteral("Refund mood")));
    QCOMPARE(m_panel->undoStack()->count(), 1);

    QVERIFY(m_panel->undoAction()->isEnabled());
    m_panel->undoAction()->trigger();
    QVERIFY(m_store->contains(QStringLiteral("Sentiment")));
    QVERIFY(!m_store->contains(QStringLiteral("Refund mood")));
    QCOMPARE(Preset::load(path)->name, QStringLiteral("Sentiment"));
    m_panel->redoAction()->trigger();
    QVERIFY(m_store->contains(QStringLiteral("Refund mood")));
}

void TestPresetsPanel::duplicateWithUndo()
{
    seed();
    QVERIFY(m_panel->selectPreset(QStringLiteral("Sentiment")));
    m_panel->duplicateAction()->trigger();
    QVERIFY(m_store->contains(QStringLiteral("Sentiment copy")));
    QCOMPARE(m_panel->currentName(), QStringLiteral("Sentiment copy"));
    const auto copy = m_store->preset(QStringLiteral("Sentiment copy"));
    QVERIFY(copy->request == m_store->preset(QStringLiteral("Sentiment"))->request);
    QVERIFY(QFileInfo::exists(copy->filePath));
    QCOMPARE(QDir(m_dir).entryList({QStringLiteral("*.json")}, QDir::Files).size(), 4);

    // A second duplicate does not share the name.
    QVERIFY(m_panel->selectPreset(QStringLiteral("Sentiment")));
    m_panel->duplicateAction()->trigger();
    QCOMPARE(m_panel->currentName(), QStringLiteral("Sentiment copy (2)"));

    m_panel->undoStack()->undo();
    m_panel->undoStack()->undo();
    QVERIFY(!m_store->contains(QStringLiteral("Sentiment copy")));
    QVERIFY(!m_store->contains(QStringLiteral("Sentiment copy (2)")));
    QCOMPARE(QDir(m_dir).entryList({QStringLiteral("*.json")}, QDir::Files).size(), 3);
    m_panel->undoStack()->redo();
    QVERIFY(m_store->contains(QStringLiteral("Sentiment copy")));
}

void TestPresetsPanel::deleteWithUndo()
{
    seed();
    const Preset before = *m_store->preset(QStringLiteral("Fill the blank"));
    QVERIFY(QFileInfo::exists(before.filePath));
    QListWidget *list = m_panel->presetList();
    list->setFocus();
    QVERIFY(m_panel->selectPreset(QStringLiteral("Fill the blank")));
    QTest::keyClick(list, Qt::Key_Delete);
    QVERIFY(!m_store->contains(QStringLiteral("Fill the blank")));
    QVERIFY(!QFileInfo::exists(before.filePath));
    QVERIFY(!m_panel->visibleNames().contains(QStringLiteral("Fill the blank")));
    QVERIFY2(m_panel->messageLabel()->text().contains(QLatin1String("Undo")),
             qPrintable(m_panel->messageLabel()->text()));

    // Delete two, undo both, in reverse order.
    QVERIFY(m_panel->deletePreset(QStringLiteral("Sentiment")));
    QVERIFY(m_panel->visibleNames() == QStringList{QStringLiteral("News digest")});
    QTest::keyClick(list, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(m_store->contains(QStringLiteral("Sentiment")));
    m_panel->undoAction()->trigger();
    const auto back = m_store->preset(QStringLiteral("Fill the blank"));
    QVERIFY(back);
    QVERIFY(back->sameContent(before));
    QVERIFY(QFileInfo::exists(back->filePath));
    QCOMPARE(m_panel->visibleNames().size(), 3);
    // And the restored preset survives a fresh look at the folder.
    PresetStore fresh(m_dir);
    QVERIFY(fresh.preset(QStringLiteral("Fill the blank"))->sameContent(before));
}

void TestPresetsPanel::brokenFileListedAndUntouched()
{
    seed();
    const QString broken = QDir(m_dir).filePath(QStringLiteral("half-written.json"));
    const QByteArray garbage("{\"format\": \"inference-desk-preset\", \"version\": 1, \"name\": \"Half");
    {
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(garbage);
    }
    m_store->reload();
    QVERIFY(m_panel->brokenList()->isVisible());
    QCOMPARE(m_panel->brokenList()->count(), 1);
    QListWidgetItem *item = m_panel->brokenList()->item(0);
    QVERIFY2(item->text().startsWith(QLatin1String("half-written.json: ")), qPrintable(item->text()));
    QVERIFY(item->text().size() > QStringLiteral("half-written.json: ").size()); // the parse error
    QVERIFY(item->toolTip().contains(QDir::toNativeSeparators(broken)));
    QCOMPARE(m_panel->visibleNames().size(), 3);

    // Saving, renaming, deleting and undoing others never touch it.
    QVERIFY(m_panel->saveRequest(QStringLiteral("Another"),
                                 request(QStringLiteral("gpt2"), QString(), QStringLiteral("Hello"))));
    QVERIFY(m_panel->renamePreset(QStringLiteral("Another"), QStringLiteral("Yet another")));
    QVERIFY(m_panel->deletePreset(QStringLiteral("Yet another")));
    m_panel->undoStack()->undo();
    QCOMPARE(readAll(broken), garbage);
    QCOMPARE(m_panel->brokenList()->count(), 1);

    // Deleting it asks first; "No" keeps it.
    m_panel->brokenList()->setCurrentRow(0);
    QVERIFY(m_panel->removeBrokenAction()->isEnabled());
    QString question;
    answerNextDialog([&question](QWidget *modal) {
        question =
            qobject_cast<QMessageBox *>(modal) ? qobject_cast<QMessageBox *>(modal)->text() : QString();
        clickRole(modal, QMessageBox::NoRole);
    });
    m_panel->removeBrokenAction()->trigger();
    QVERIFY2(question.contains(QDir::toNativeSeparators(broken)), qPrintable(question));
    QCOMPARE(readAll(broken), garbage);
    QCOMPARE(m_panel->brokenList()->count(), 1);

    answerNextDialog([](QWidget *modal) { clickRole(modal, QMessageBox::YesRole); });
    m_panel->removeBrokenAction()->trigger();
    QVERIFY(!QFileInfo::exists(broken));
    QCOMPARE(m_panel->brokenList()->count(), 0);
    QVERIFY(m_panel->brokenList()->isHidden());
    QCOMPARE(m_panel->visibleNames().size(), 4);
}

void TestPresetsPanel::saveRequestAsksNameAndBeforeReplacing()
{
    QSignalSpy saved(m_panel, &PresetsPanel::presetSaved);
    qputenv("HF_TOKEN", kFakeToken);
    const InferenceRequest first = request(QStringLiteral("openai-community/gpt2"),
                                           QStringLiteral("text-generation"), QStringLiteral("Once upon"));
    answerNextDialog([](QWidget *modal) {
        auto *dialog = qobject_cast<QInputDialog *>(modal);
        QVERIFY(dialog);
        QCOMPARE(dialog->textValue(), QStringLiteral("gpt2")); // suggested from the model
        dialog->setTextValue(QStringLiteral("Story start"));
        dialog->accept();
    });
    QCOMPARE(m_panel->promptSaveRequest(first), QStringLiteral("Story start"));
    QCOMPARE(saved.count(), 1);
    QCOMPARE(m_store->preset(QStringLiteral("Story start"))->request.inputs.toString(),
             QStringLiteral("Once upon"));
    QVERIFY(!readAll(m_store->preset(QStringLiteral("Story start"))->filePath).contains(kFakeToken));

    // The same name again: asked before replacing; "No" keeps the old one.
    InferenceRequest second = first;
    second.inputs = QStringLiteral("It was a dark night");
    answerNextDialog([](QWidget *modal) {
        auto *dialog = qobject_cast<QInputDialog *>(modal);
        QVERIFY(dialog);
        dialog->setTextValue(QStringLiteral("story START"));
        answerNextDialog([](QWidget *box) { clickRole(box, QMessageBox::NoRole); });
        dialog->accept();
    });
    QCOMPARE(m_panel->promptSaveRequest(second), QString());
    QCOMPARE(m_store->preset(QStringLiteral("Story start"))->request.inputs.toString(),
             QStringLiteral("Once upon"));
    QCOMPARE(saved.count(), 1);

    answerNextDialog([](QWidget *modal) {
        qobject_cast<QInputDialog *>(modal)->setTextValue(QStringLiteral("Story start"));
        answerNextDialog([](QWidget *box) { clickRole(box, QMessageBox::YesRole); });
        qobject_cast<QInputDialog *>(modal)->accept();
    });
    QCOMPARE(m_panel->promptSaveRequest(second), QStringLiteral("Story start"));
    QCOMPARE(m_store->names(), QStringList{QStringLiteral("Story start")});
    QCOMPARE(m_store->preset(QStringLiteral("Story start"))->request.inputs.toString(),
             QStringLiteral("It was a dark night"));

    // Without asking, a taken name is refused with what to do.
    QVERIFY(!m_panel->saveRequest(QStringLiteral("Story start"), first));
    QVERIFY(m_panel->messageLabel()->text().contains(QLatin1String("already exists")));
}

void TestPresetsPanel::importSeedFlows()
{
    const QString flows = QStringLiteral(IDESK_TEST_DATA_DIR) + QStringLiteral("/flows/");
    QStringList names = m_panel->importFile(flows + QStringLiteral("huggingface_inference_text.yaml"));
    QCOMPARE(names, QStringList{QStringLiteral("huggingface_inference")});
    auto p = m_store->preset(QStringLiteral("huggingface_inference"));
    QVERIFY(p);
    QCOMPARE(p->request.model, QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"));
    QCOMPARE(p->request.inputs.toString(), QStringLiteral("I want a refund"));
    QVERIFY(m_panel->messageLabel()->text().contains(QLatin1String("Imported 1 preset")));
    QCOMPARE(m_panel->currentName(), QStringLiteral("huggingface_inference"));

    // Importing again does not silently share the name.
    names = m_panel->importFile(flows + QStringLiteral("huggingface_inference_text.yaml"));
    QCOMPARE(names, QStringList{QStringLiteral("huggingface_inference (2)")});

    // The image flow: read() becomes a file input relative to the flow.
    names = m_panel->importFile(flows + QStringLiteral("huggingface_inference_image.yaml"));
    QCOMPARE(names.size(), 1);
    p = m_store->preset(names.first());
    QVERIFY(p->inputsFile.endsWith(QLatin1String("my-base64-image.txt")));

    // Other tasks are named as skipped.
    names = m_panel->importFile(flows + QStringLiteral("mixed-tasks.yaml"));
    QVERIFY2(names.contains(QStringLiteral("sentiment")), qPrintable(names.join(QLatin1Char(','))));
    QVERIFY2(names.contains(QStringLiteral("fill_mask")), qPrintable(names.join(QLatin1Char(','))));
    const QString text = m_panel->messageLabel()->text();
    QVERIFY2(text.contains(QLatin1String("Imported 2 presets from mixed-tasks.yaml")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("'start'")), qPrintable(text));
    QVERIFY(m_store->presets().size() == 5);

    // A flow with no Inference task says so and adds nothing.
    names = m_panel->importFile(flows + QStringLiteral("no-inference-task.yaml"));
    QVERIFY(names.isEmpty());
    QVERIFY(!m_panel->messageLabel()->text().isEmpty());
    QCOMPARE(m_store->presets().size(), 5);

    // A preset file imports as one preset.
    const QString exported = m_tmp.filePath(QStringLiteral("one.json"));
    QVERIFY(m_panel->exportPreset(QStringLiteral("sentiment"), exported, PresetsPanel::ExportFormat::Json));
    names = m_panel->importFile(exported);
    QCOMPARE(names, QStringList{QStringLiteral("sentiment (2)")});
    QVERIFY(m_store->preset(QStringLiteral("sentiment (2)"))->sameContent([&]() {
        Preset s = *m_store->preset(QStringLiteral("sentiment"));
        s.name = QStringLiteral("sentiment (2)");
        return s;
    }()));
}

void TestPresetsPanel::importRefusesUnevaluableExpression()
{
    const QString flows = QStringLiteral(IDESK_TEST_DATA_DIR) + QStringLiteral("/flows/");
    const QStringList names = m_panel->importFile(flows + QStringLiteral("unknown-expression.yaml"));
    QVERIFY(names.isEmpty());
    const QString text = m_panel->messageLabel()->text();
    QVERIFY2(text.contains(QLatin1String("outputs.fetch.body")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("unknown-expression.yaml")));
    QVERIFY(m_store->presets().isEmpty());

    const QStringList none = m_panel->importFile(flows + QStringLiteral("syntax-error.yaml"));
    QVERIFY(none.isEmpty());
    QVERIFY(m_panel->messageLabel()->text().contains(QLatin1String("Nothing was imported")));
}

void TestPresetsPanel::exportFlowWithoutToken()
{
    qputenv("HF_TOKEN", kFakeToken);
    const QString flows = QStringLiteral(IDESK_TEST_DATA_DIR) + QStringLiteral("/flows/");
    QCOMPARE(m_panel->importFile(flows + QStringLiteral("mixed-tasks.yaml")).size(), 2);
    const Preset fill = *m_store->preset(QStringLiteral("fill_mask"));

    const QString yamlPath = m_tmp.filePath(QStringLiteral("fill_mask.yaml"));
    QVERIFY(
        m_panel->exportPreset(QStringLiteral("fill_mask"), yamlPath, PresetsPanel::formatForPath(yamlPath)));
    const QByteArray yaml = readAll(yamlPath);
    QVERIFY2(yaml.contains("{{ secret('HUGGINGFACE_API_KEY') }}"), yaml.constData());
    QVERIFY(yaml.contains("type: io.kestra.plugin.huggingface.Inference"));
    QVERIFY(yaml.contains("google-bert/bert-base-uncased"));
    QVERIFY(!yaml.contains(kFakeToken));
    QVERIFY(!yaml.contains("hf_"));
    QVERIFY(m_panel->messageLabel()->text().contains(QLatin1String("HUGGINGFACE_API_KEY")));

    // Kestra would run it as is, and it reads back as the same request.
    QString error;
    const auto flow = idesk::KestraFlow::load(yamlPath, {}, &error);
    QVERIFY2(flow, qPrintable(error));
    QCOMPARE(flow->tasks.size(), 1);
    const InferenceRequest back = flow->tasks.first().request;
    QCOMPARE(back.model, fill.request.model);
    // The retired host no longer answers: the exporter (KestraExport, the CLI's too) writes the router.
    QCOMPARE(back.endpoint, fill.request.usesRetiredEndpoint()
                                ? InferenceRequest::migratedEndpoint(fill.request.endpoint)
                                : fill.request.endpoint);
    QVERIFY(m_panel->messageLabel()->text().contains(QLatin1String("retired")));
    QCOMPARE(back.inputs, fill.request.inputs);
    QCOMPARE(back.parameters, fill.request.parameters);
    QCOMPARE(back.options, fill.request.options);
    QCOMPARE(flow->tasks.first().apiKeySecretName, QStringLiteral("HUGGINGFACE_API_KEY"));

    // JSON export: a preset file, no token either.
    const QString jsonPath = m_tmp.filePath(QStringLiteral("fill_mask.json"));
    QCOMPARE(PresetsPanel::formatForPath(jsonPath), PresetsPanel::ExportFormat::Json);
    QVERIFY(m_panel->exportPreset(QStringLiteral("fill_mask"), jsonPath, PresetsPanel::ExportFormat::Json));
    QVERIFY(!readAll(jsonPath).contains(kFakeToken));
    QVERIFY(Preset::load(jsonPath)->request == fill.request);

    // No preset file of the store holds the token.
    for (const QString &f : QDir(m_dir).entryList(QDir::Files))
        QVERIFY(!readAll(QDir(m_dir).filePath(f)).contains(kFakeToken));

    // An unwritable target says so.
    QVERIFY(!m_panel->exportPreset(QStringLiteral("fill_mask"),
                                   m_tmp.filePath(QStringLiteral("no/such/dir/x.yaml")),
                                   PresetsPanel::ExportFormat::Kestra));
    QVERIFY(m_panel->messageLabel()->text().contains(QLatin1String("could not be written")));
}

void TestPresetsPanel::dropFlowImports()
{
    const QString flow =
        QStringLiteral(IDESK_TEST_DATA_DIR) + QStringLiteral("/flows/huggingface_inference_text.yaml");
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(flow), QUrl::fromLocalFile(m_tmp.filePath(QStringLiteral("x.png")))});
    QCOMPARE(PresetsPanel::importableFiles(&mime), QStringList{flow});

    const QPoint at = m_panel->presetList()->geometry().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_panel, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_panel, &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(m_store->contains(QStringLiteral("huggingface_inference")));
    QVERIFY(m_panel->messageLabel()->text().contains(QLatin1String("Imported 1 preset")));

    // Something else is not taken.
    QMimeData image;
    image.setUrls({QUrl::fromLocalFile(m_tmp.filePath(QStringLiteral("x.png")))});
    QDragEnterEvent refused(at, Qt::CopyAction, &image, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(m_panel, &refused);
    QVERIFY(!refused.isAccepted());
}

void TestPresetsPanel::screenshot()
{
    seed();
    const QString flows = QStringLiteral(IDESK_TEST_DATA_DIR) + QStringLiteral("/flows/");
    m_panel->importFile(flows + QStringLiteral("huggingface_inference_image.yaml"));
    QFile f(QDir(m_dir).filePath(QStringLiteral("old-colleague.json")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ not json");
    f.close();
    m_store->reload();
    m_panel->selectPreset(QStringLiteral("Sentiment"));
    m_panel->resize(380, 560);
    QApplication::processEvents();
    const QPixmap shot = m_panel->grab();
    QVERIFY(!shot.isNull());
    const QString dir = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(shot.save(QDir(dir).filePath(QStringLiteral("presets-dock.png"))));
    }
}

QTEST_MAIN(TestPresetsPanel)
#include "TestPresetsPanel.moc"
