// The output pane on real widgets (offscreen): every recording goes through ResultView and lands in
// its task's view (or the error panel); a few per view are checked for what is drawn; unknown shapes
// fall back to the JSON tree; a 30 MB answer is formatted while the event loop keeps running.

#include "Recording.h"
#include "RecordingResult.h"
#include "ResultView.h"
#include "SavedResult.h"
#include "TestConfig.h"
#include "views/AnswerView.h"
#include "views/AudioResultView.h"
#include "views/BoxesView.h"
#include "views/EntitiesView.h"
#include "views/ErrorView.h"
#include "views/ImageCanvas.h"
#include "views/ImageResultView.h"
#include "views/JsonTextView.h"
#include "views/JsonTreeModel.h"
#include "views/JsonTreeView.h"
#include "views/MasksView.h"
#include "views/RawView.h"
#include "views/ScoresView.h"
#include "views/TableAnswerView.h"
#include "views/TextResultView.h"
#include "views/VectorsView.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QSet>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTextLayout>
#include <QTimer>
#include <QToolTip>
#include <QTreeWidget>
#include <QtTest>

using namespace idesk;
using namespace idesk::test;

namespace {

const QSet<QString> &jsonByDesign()
{
    static const QSet<QString> files = {
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-1.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-2.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-3.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-4.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-5.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_fal-ai-1.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_replicate-1.json"),
        QStringLiteral("text-to-speech/r2504_TIC_text_to_speech_replicate-0.json"),
    };
    return files;
}

struct Loaded
{
    InferenceRequest request;
    InferenceResult result;
    Recording recording;
};

std::optional<Loaded> load(const QString &file)
{
    QString error;
    auto rec = Recording::load(file, &error);
    if (!rec) {
        qWarning("%s", qPrintable(error));
        return std::nullopt;
    }
    return Loaded{requestFromRecording(*rec), resultFromRecording(*rec), *rec};
}

// Shows a recording in a fresh, visible ResultView and waits until it is drawn.
bool showRecording(ResultView *view, const QString &file)
{
    const auto l = load(file);
    if (!l)
        return false;
    view->setResult(l->request, l->result);
    return QTest::qWaitFor([view] { return !view->isFormatting() && view->renderer(); }, 30000);
}

template <typename T> T *rendererOf(ResultView *view)
{
    return qobject_cast<T *>(view->renderer());
}

InferenceResult jsonResult(const QByteArray &body)
{
    InferenceResult r;
    r.status = 200;
    r.reason = "OK";
    r.body = body;
    r.contentType = QStringLiteral("application/json");
    return r;
}

} // namespace

class TestResultViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void everyRecording_data();
    void everyRecording();

    void scoresDrawOneBarPerLabel_data();
    void scoresDrawOneBarPerLabel();
    void fillMaskShowsTheSequence();
    void entitiesHighlightSpans();
    void boxesOnTheImageAndHoverLinksRows();
    void masksTintedAndToggled();
    void answerHighlightedInContext();
    void visualAnswerCandidates();
    void tableAnswerCells();
    void imageShownAndSavable();
    void audioDescribedAndSavable();
    void textAndChat();
    void vectorsShapeAndRows();
    void errorPanel();
    void failuresWithoutStatus();
    void rawTabHasTimingAndRequest();
    void jsonTabColouredText();

    void copyFollowsTheTab();
    void followsPaletteChanges();
    void unknownShapeFallsBackToJsonTree();
    void webPageAnswerIsAProblem();
    void taskLessAnswerGuessed();
    void unknownBinaryIsRaw();
    void streamAppendsLive();
    void busyAndClear();
    void saveAndOpenResult();
    void openBrokenResultSaysWhy();
    void largeAnswerFormattedWithoutBlocking();

private:
    ResultView *m_view = nullptr;
};

void TestResultViews::init()
{
    m_view = new ResultView;
    m_view->resize(1000, 700);
    m_view->show();
}

void TestResultViews::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void TestResultViews::everyRecording_data()
{
    QTest::addColumn<QString>("file");
    const QStringList files = inferenceRecordings(QStringLiteral(IDESK_TEST_DATA_DIR "/recordings"));
    QVERIFY2(files.size() > 150, "recordings missing");
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << f;
}

void TestResultViews::everyRecording()
{
    QFETCH(QString, file);
    const auto l = load(file);
    QVERIFY(l);
    QSignalSpy changed(m_view, &ResultView::viewChanged);
    m_view->setResult(l->request, l->result);
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->isFormatting(), 30000);

    QString expected = ResultShape::kindForTask(l->recording.task());
    if (l->recording.status() < 200 || l->recording.status() >= 300)
        expected = QStringLiteral("error");
    else if (jsonByDesign().contains(file))
        expected = QStringLiteral("json");
    QCOMPARE(m_view->currentViewKind(), expected);
    QVERIFY(m_view->renderer());
    QCOMPARE(m_view->renderer()->kind(), expected);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.last().first().toString(), expected);
    QVERIFY(m_view->renderer()->isVisible());
    // The JSON tab has the answer whenever it is JSON, the Raw tab always has the status.
    if (l->recording.responseIsJson()) {
        m_view->tabs()->setCurrentIndex(1); // a large text is fed once its tab is shown
        QTRY_VERIFY(!m_view->jsonTextView()->isLoading());
        QVERIFY(!m_view->jsonTextView()->editor()->toPlainText().isEmpty());
        QVERIFY(m_view->jsonTreeView()->model()->rowCount() == 1);
    }
    QVERIFY(m_view->rawView()->copyText().contains(QStringLiteral("HTTP %1").arg(l->recording.status())));
    // Drawing it does not crash either.
    QVERIFY(!m_view->grab().isNull());
}

void TestResultViews::scoresDrawOneBarPerLabel_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("bars");
    QTest::newRow("text-classification, list of lists") << "kestra/text-classification-0.json" << 3;
    QTest::newRow("image-classification")
        << "image-classification/r2504_TIC_image_classification_hf-inference-1.json" << 5;
    QTest::newRow("audio-classification")
        << "audio-classification/r2504_TIC_audio_classification_hf-inference-1.json" << 2;
    QTest::newRow("zero-shot object form")
        << "zero-shot-classification/r2504_TIC_zero_shot_classification_single_label_hf-inference-1.json"
        << -1;
    QTest::newRow("sentence-similarity") << "sentence-similarity/a2501_ICV_sentence_similarity-0.json" << 3;
}

void TestResultViews::scoresDrawOneBarPerLabel()
{
    QFETCH(QString, file);
    QFETCH(int, bars);
    QVERIFY(showRecording(m_view, file));
    auto *scores = rendererOf<ScoresView>(m_view);
    QVERIFY(scores);
    if (bars < 0) { // as many as the answer has labels
        const auto l = load(file);
        bars = int(l->recording.responseJson().toObject().value(QLatin1String("labels")).toArray().size());
        QVERIFY(bars > 1);
    }
    QCOMPARE(scores->barCount(), bars);
    QVERIFY(!scores->copyText().isEmpty());
}

void TestResultViews::fillMaskShowsTheSequence()
{
    QVERIFY(showRecording(m_view, QStringLiteral("kestra/fill-mask-0.json")));
    auto *scores = rendererOf<ScoresView>(m_view);
    QVERIFY(scores);
    QVERIFY(scores->barCount() >= 2);
    QVERIFY2(scores->copyText().contains(QLatin1String("i love to eat it.")), qPrintable(scores->copyText()));
}

void TestResultViews::entitiesHighlightSpans()
{
    QVERIFY(
        showRecording(m_view, QStringLiteral("token-classification/a2501_ICV_token_classification-0.json")));
    auto *entities = rendererOf<EntitiesView>(m_view);
    QVERIFY(entities);
    QCOMPARE(entities->highlightedSpanCount(), 2);
    QCOMPARE(entities->legendGroups(), QStringList{QStringLiteral("PER")});
    // The spans carry group and score for the tooltip, on the words of the input text.
    const QString text = entities->textView()->toPlainText();
    QVERIFY(text.startsWith(QLatin1String("My name is Sarah Jessica Parker")));
    QTextCursor c(entities->textView()->document());
    c.setPosition(int(text.indexOf(QLatin1String("Sarah"))) + 2);
    QVERIFY2(c.charFormat().toolTip().startsWith(QLatin1String("PER")), qPrintable(c.charFormat().toolTip()));
    QVERIFY(c.charFormat().background().color().alpha() > 0);
    // Hovering the span shows its group and score.
    QWidget *viewport = entities->textView()->viewport();
    const QPoint at = entities->textView()->cursorRect(c).center();
    QHelpEvent help(QEvent::ToolTip, at, viewport->mapToGlobal(at));
    QApplication::sendEvent(viewport, &help);
    QTRY_VERIFY2(QToolTip::text().startsWith(QStringLiteral("PER · score 99.9")),
                 qPrintable(QToolTip::text()));
}

void TestResultViews::boxesOnTheImageAndHoverLinksRows()
{
    QVERIFY(showRecording(m_view,
                          QStringLiteral("object-detection/r2504_TIC_object_detection_hf-inference-1.json")));
    auto *boxes = rendererOf<BoxesView>(m_view);
    QVERIFY(boxes);
    QCOMPARE(boxes->boxCount(), 3);
    QCOMPARE(boxes->list()->topLevelItemCount(), 3);
    QVERIFY(!boxes->canvas()->image().isNull()); // drawn over the input image
    QCOMPARE(boxes->canvas()->image().size(), m_view->request().file.isEmpty()
                                                  ? QSize()
                                                  : QImage::fromData(m_view->request().file.bytes).size());

    // Hovering the person's box (59,39 - 420,510) selects its row...
    ImageCanvas *canvas = boxes->canvas();
    QTRY_VERIFY(canvas->imageRect().width() > 0);
    const QRectF target = canvas->imageRect();
    const double sx = target.width() / canvas->image().width();
    const QPointF inside(target.left() + 100 * sx, target.top() + 150 * sx); // in box 0 only
    QMouseEvent move(QEvent::MouseMove, inside, canvas->mapToGlobal(inside), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(canvas, &move);
    QCOMPARE(canvas->highlightedBox(), 0);
    QCOMPARE(boxes->list()->indexOfTopLevelItem(boxes->list()->currentItem()), 0);
    // ...and choosing a row highlights its box.
    boxes->list()->setCurrentItem(boxes->list()->topLevelItem(2));
    QCOMPARE(canvas->highlightedBox(), 2);
}

void TestResultViews::masksTintedAndToggled()
{
    QVERIFY(showRecording(
        m_view, QStringLiteral("image-segmentation/r2504_TIC_image_segmentation_hf-inference-1.json")));
    auto *masks = rendererOf<MasksView>(m_view);
    QVERIFY(masks);
    QCOMPARE(masks->maskLayerCount(), 2);
    QCOMPARE(masks->visibleLayerCount(), 2);
    QCOMPARE(masks->list()->count(), 2);
    QVERIFY(!masks->canvas()->image().isNull());
    masks->list()->item(0)->setCheckState(Qt::Unchecked);
    QCOMPARE(masks->visibleLayerCount(), 1);
    QVERIFY(!masks->canvas()->isLayerVisible(0));
    masks->list()->item(0)->setCheckState(Qt::Checked);
    QCOMPARE(masks->visibleLayerCount(), 2);

    // The tint covers exactly the mask's white pixels.
    QImage mask(4, 2, QImage::Format_Grayscale8);
    mask.fill(0);
    mask.setPixel(1, 1, qRgb(255, 255, 255));
    const QImage t = MasksView::tint(mask, Qt::red, QSize(4, 2));
    QCOMPARE(qAlpha(t.pixel(0, 0)), 0);
    QVERIFY(qAlpha(t.pixel(1, 1)) > 0);
}

void TestResultViews::answerHighlightedInContext()
{
    QVERIFY(showRecording(m_view, QStringLiteral("question-answering/a2501_ICV_question_answering-0.json")));
    auto *answer = rendererOf<AnswerView>(m_view);
    QVERIFY(answer);
    QCOMPARE(answer->answerText(), QStringLiteral("42"));
    QCOMPARE(answer->highlightedSpanCount(), 1);
}

void TestResultViews::visualAnswerCandidates()
{
    QVERIFY(showRecording(
        m_view,
        QStringLiteral("visual-question-answering/r2504_TIC_visual_question_answering_hf-inference-1.json")));
    auto *answer = rendererOf<AnswerView>(m_view);
    QVERIFY(answer);
    QCOMPARE(answer->answerText(), QStringLiteral("woman"));
    QCOMPARE(answer->candidateCount(), 4);
}

void TestResultViews::tableAnswerCells()
{
    QVERIFY(showRecording(
        m_view, QStringLiteral("table-question-answering/a2501_ICV_table_question_answering-0.json")));
    auto *table = rendererOf<TableAnswerView>(m_view);
    QVERIFY(table);
    QCOMPARE(table->highlightedCellCount(), 1);
    QCOMPARE(table->table()->item(0, 1)->text(), QStringLiteral("36542"));
}

void TestResultViews::imageShownAndSavable()
{
    const QString file = QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_hf-inference-1.json");
    QVERIFY(showRecording(m_view, file));
    auto *image = rendererOf<ImageResultView>(m_view);
    QVERIFY(image);
    QVERIFY(!image->image().isNull());
    QTemporaryDir dir;
    QString error;
    const QString path = dir.filePath(QStringLiteral("out.jpg"));
    QVERIFY2(image->saveImage(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), m_view->result().body); // the original bytes, not a re-encoding
    image->setZoom(1);
    QCOMPARE(image->zoom(), 1.0);
    // A provider's JSON-wrapped base64 image is an image too.
    QVERIFY(showRecording(m_view,
                          QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_together-1.json")));
    QVERIFY(rendererOf<ImageResultView>(m_view));
    QVERIFY(!rendererOf<ImageResultView>(m_view)->image().isNull());
}

void TestResultViews::audioDescribedAndSavable()
{
    QVERIFY(
        showRecording(m_view, QStringLiteral("text-to-speech/r2504_TIC_text_to_speech_hf-inference-1.json")));
    auto *audio = rendererOf<AudioResultView>(m_view);
    QVERIFY(audio);
    QCOMPARE(audio->clipCount(), 1);
    QVERIFY2(audio->descriptions().first().startsWith(QLatin1String("FLAC")),
             qPrintable(audio->descriptions().first()));
    QTemporaryDir dir;
    QString error;
    QVERIFY2(audio->saveClip(0, dir.filePath(QStringLiteral("a.flac")), &error), qPrintable(error));
    QCOMPARE(QFileInfo(dir.filePath(QStringLiteral("a.flac"))).size(), qint64(m_view->result().body.size()));

    QVERIFY(
        showRecording(m_view, QStringLiteral("audio-to-audio/r2504_TIC_audio_to_audio_hf-inference-1.json")));
    audio = rendererOf<AudioResultView>(m_view);
    QVERIFY(audio);
    QCOMPARE(audio->clipCount(), 2);
}

void TestResultViews::textAndChat()
{
    QVERIFY(showRecording(m_view, QStringLiteral("translation/a2501_ICV_translation-0.json")));
    auto *text = rendererOf<TextResultView>(m_view);
    QVERIFY(text);
    QCOMPARE(text->text(), QStringLiteral("Hallo Welt"));
    QVERIFY(showRecording(
        m_view, QStringLiteral("conversational/r2504_TIC_chat_completion_with_stream_hf-inference-1.json")));
    text = rendererOf<TextResultView>(m_view);
    QVERIFY(text);
    QCOMPARE(text->kind(), QStringLiteral("chat"));
    QVERIFY(!text->text().isEmpty());
}

void TestResultViews::vectorsShapeAndRows()
{
    QVERIFY(showRecording(
        m_view,
        QStringLiteral(
            "feature-extraction/r2504_TIC_feature_extraction_with_transformers_hf-inference-1.json")));
    auto *vectors = rendererOf<VectorsView>(m_view);
    QVERIFY(vectors);
    QCOMPARE(vectors->shapeText(), QStringLiteral("1 × 8 × 768"));
    QCOMPARE(vectors->rowCount(), 8);
    QVERIFY(vectors->copyText().startsWith(QLatin1String("[[[")));
}

void TestResultViews::errorPanel()
{
    QVERIFY(showRecording(
        m_view, QStringLiteral("text-classification/e250123_TIC_text_classification_hf-inference-0.json")));
    auto *error = rendererOf<ErrorView>(m_view);
    QVERIFY(error);
    QVERIFY2(error->statusText().contains(QLatin1String("503")), qPrintable(error->statusText()));
    QVERIFY2(error->serverText().contains(QLatin1String("currently loading")),
             qPrintable(error->serverText()));
    QVERIFY(!error->adviceText().isEmpty());
    // text/plain errors show the server's words too.
    QVERIFY(showRecording(
        m_view, QStringLiteral("conversational-legacy/h240724_ICV_unprocessable_entity_error-0.json")));
    error = rendererOf<ErrorView>(m_view);
    QVERIFY(error);
    QVERIFY2(error->serverText().contains(QLatin1String("Failed to deserialize")),
             qPrintable(error->serverText()));
}

void TestResultViews::failuresWithoutStatus()
{
    InferenceRequest request;
    request.model = QStringLiteral("some/model");
    request.task = QStringLiteral("text-classification");
    request.inputs = QStringLiteral("hello");
    InferenceResult r;
    r.outcome = InferenceResult::Outcome::Timeout;
    r.errorMessage =
        QStringLiteral("No answer within 10 s (readTimeout). Raise the read timeout or try later.");
    m_view->setResult(request, r);
    QCOMPARE(m_view->currentViewKind(), QStringLiteral("error"));
    auto *error = rendererOf<ErrorView>(m_view);
    QVERIFY(error);
    QCOMPARE(error->statusText(), QStringLiteral("The request timed out"));
    QCOMPARE(error->adviceText(), r.errorMessage);
    QVERIFY(error->serverText().isEmpty());
    QVERIFY(m_view->rawView()->copyText().contains(QLatin1String("No HTTP status")));
}

void TestResultViews::rawTabHasTimingAndRequest()
{
    QVERIFY(showRecording(
        m_view, QStringLiteral("audio-classification/r2504_TIC_audio_classification_hf-inference-1.json")));
    const QString raw = m_view->rawView()->copyText();
    QVERIFY2(raw.contains(QLatin1String("HTTP 200")), qPrintable(raw));
    QVERIFY(raw.contains(QLatin1String("x-compute-time: 0.593")));
    QVERIFY(raw.contains(QLatin1String("Compute time (x-compute-time): 0.593 s")));
    QVERIFY(raw.contains(QLatin1String("Compute type (x-compute-type): cpu")));
    QVERIFY(raw.contains(QLatin1String("POST https://router.huggingface.co/hf-inference/models/")));
    QVERIFY(!raw.contains(QLatin1String("Bearer hf_")));
    QVERIFY(m_view->statusSummary().contains(QLatin1String("compute 593 ms on cpu")));
    // Binary answers get a hex dump.
    QVERIFY(
        showRecording(m_view, QStringLiteral("text-to-speech/r2504_TIC_text_to_speech_hf-inference-1.json")));
    QVERIFY(m_view->rawView()->copyText().contains(QLatin1String("66 4c 61 43"))); // "fLaC"
}

void TestResultViews::jsonTabColouredText()
{
    QVERIFY(showRecording(m_view, QStringLiteral("kestra/text-classification-0.json")));
    JsonTextView *json = m_view->jsonTextView();
    QTRY_VERIFY(!json->isLoading());
    QVERIFY(json->isHighlighted());
    const QString text = json->editor()->toPlainText();
    QVERIFY2(text.contains(QLatin1String("\"label\": \"neutral\"")), qPrintable(text));
    // Keys and strings get different colours.
    QTextBlock block = json->editor()->document()->findBlock(int(text.indexOf(QLatin1String("\"label\""))));
    const auto formats = block.layout()->formats();
    QVERIFY(formats.size() >= 2);
    QSet<QRgb> colours;
    for (const auto &f : formats)
        colours.insert(f.format.foreground().color().rgb());
    QVERIFY(colours.size() >= 2);
}

void TestResultViews::copyFollowsTheTab()
{
    QVERIFY(showRecording(m_view, QStringLiteral("kestra/text-classification-0.json")));
    QClipboard *clipboard = QGuiApplication::clipboard();
    m_view->tabs()->setCurrentIndex(0);
    m_view->copyToClipboard();
    QVERIFY2(clipboard->text().startsWith(QLatin1String("neutral\t")), qPrintable(clipboard->text()));
    m_view->tabs()->setCurrentIndex(1);
    QTRY_VERIFY(!m_view->jsonTextView()->isLoading());
    m_view->copyToClipboard();
    QVERIFY(QJsonDocument::fromJson(clipboard->text().toUtf8()).isArray()); // the whole answer, as JSON
    m_view->tabs()->setCurrentIndex(2);
    m_view->copyToClipboard();
    QVERIFY(clipboard->text().startsWith(QLatin1String("=== Answer ===")));
}

void TestResultViews::followsPaletteChanges()
{
    QVERIFY(
        showRecording(m_view, QStringLiteral("token-classification/a2501_ICV_token_classification-0.json")));
    auto spanColour = [this] {
        auto *entities = rendererOf<EntitiesView>(m_view);
        QTextCursor c(entities->textView()->document());
        c.setPosition(int(entities->textView()->toPlainText().indexOf(QLatin1String("Sarah"))) + 2);
        return c.charFormat().background().color();
    };
    const QColor light = spanColour();
    QPalette dark = m_view->palette();
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::Base, QColor(0x10, 0x10, 0x10));
    dark.setColor(QPalette::Text, Qt::white);
    m_view->setPalette(dark);
    QTRY_VERIFY(spanColour() != light); // redrawn in colours made for a dark background
    QCOMPARE(m_view->currentViewKind(), QStringLiteral("entities"));
}

void TestResultViews::unknownShapeFallsBackToJsonTree()
{
    InferenceRequest request;
    request.task = QStringLiteral("object-detection");
    m_view->setResult(request, jsonResult(R"({"unexpected": {"a": [1, 2, 3]}, "b": "c"})"));
    QCOMPARE(m_view->currentViewKind(), QStringLiteral("json"));
    auto *tree = rendererOf<JsonTreeView>(m_view);
    QVERIFY(tree);
    const QModelIndex top = tree->model()->index(0, 0);
    QVERIFY(top.isValid());
    QCOMPARE(tree->model()->rowCount(top), 2);
    // Keys in the order received.
    QCOMPARE(tree->model()->data(tree->model()->index(0, 0, top)).toString(), QStringLiteral("unexpected"));
    QCOMPARE(tree->model()->data(tree->model()->index(0, 1, top)).toString(), QStringLiteral("{1 key(s)}"));

    // Large arrays are paged: the first page, then a "… N more" row that lists the next one.
    QJsonArray big;
    for (int i = 0; i < 2500; ++i)
        big.append(i);
    tree->setJson(big);
    JsonTreeModel *model = tree->model();
    const QModelIndex bigTop = model->index(0, 0);
    QCOMPARE(model->rowCount(bigTop), JsonTreeModel::pageSize + 1);
    QModelIndex more = model->index(JsonTreeModel::pageSize, 0, bigTop);
    QVERIFY(model->isMoreRow(more));
    QVERIFY2(model->data(model->index(JsonTreeModel::pageSize, 1, bigTop))
                 .toString()
                 .contains(QLatin1String("1500")),
             qPrintable(model->data(model->index(JsonTreeModel::pageSize, 1, bigTop)).toString()));
    model->loadMore(more);
    QCOMPARE(model->rowCount(bigTop), 2 * JsonTreeModel::pageSize + 1);
    model->loadMore(model->index(2 * JsonTreeModel::pageSize, 0, bigTop));
    QCOMPARE(model->rowCount(bigTop), 2500); // all listed: no more row
    QVERIFY(!model->isMoreRow(model->index(2499, 0, bigTop)));
    QCOMPARE(model->pathAt(model->index(1777, 0, bigTop)), QStringLiteral("$[1777]"));
    QCOMPARE(model->data(model->index(1777, 1, bigTop)).toString(), QStringLiteral("1777"));
}

// Issue 19: a 200 text/html answer is a web page, not the API's answer: the result pane says so (the
// endpoint is likely wrong, with the page's title) as a problem, and no JSON tree is shown.
void TestResultViews::webPageAnswerIsAProblem()
{
    InferenceRequest request;
    request.task = QStringLiteral("text-classification");
    request.inputs = QStringLiteral("I am hungry");
    InferenceResult r;
    r.status = 200;
    r.reason = "OK";
    r.contentType = QStringLiteral("text/html");
    r.url = QUrl(QStringLiteral("http://127.0.0.1:9/models/m"));
    r.body = "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome</h1>"
             "</body></html>";
    m_view->setResult(request, r);
    QTRY_VERIFY(!m_view->isFormatting());
    QCOMPARE(m_view->currentViewKind(), QStringLiteral("error"));
    auto *error = rendererOf<ErrorView>(m_view);
    QVERIFY(error);
    QVERIFY2(error->adviceText().contains(QLatin1String("web page")) &&
                 error->adviceText().contains(QLatin1String("Welcome to nginx!")) &&
                 error->adviceText().contains(QLatin1String("endpoint")),
             qPrintable(error->adviceText()));
    QVERIFY(!m_view->result().ok());
    QCOMPARE(m_view->jsonTreeView()->model()->rowCount(), 0);
    QVERIFY(m_view->jsonTextView()->fullText().isEmpty());
    QVERIFY(!rendererOf<JsonTreeView>(m_view));
}

void TestResultViews::taskLessAnswerGuessed()
{
    InferenceRequest request; // a Kestra flow: no task
    request.inputs = QStringLiteral("I am hungry");
    m_view->setResult(
        request,
        jsonResult(R"([[{"label": "neutral", "score": 0.6}, {"label": "positive", "score": 0.3}]])"));
    QCOMPARE(m_view->currentViewKind(), QStringLiteral("scores"));
    QCOMPARE(rendererOf<ScoresView>(m_view)->barCount(), 2);
}

void TestResultViews::unknownBinaryIsRaw()
{
    InferenceResult r;
    r.status = 200;
    r.body = QByteArray("\x01\x02\x03\x04 binary", 11);
    r.contentType = QStringLiteral("application/octet-stream");
    m_view->setResult(InferenceRequest(), r);
    QCOMPARE(m_view->currentViewKind(), QStringLiteral("raw"));
    QVERIFY(rendererOf<RawView>(m_view)->copyText().contains(QLatin1String("01 02 03 04")));
}

void TestResultViews::streamAppendsLive()
{
    m_view->setBusy(tr("Waiting for answer…"));
    m_view->appendStreamText(QStringLiteral("Deep "));
    m_view->appendStreamText(QStringLiteral("learning "));
    m_view->appendStreamText(QStringLiteral("is"));
    QCOMPARE(m_view->currentViewKind(), QStringLiteral("text"));
    auto *text = rendererOf<TextResultView>(m_view);
    QVERIFY(text);
    QCOMPARE(text->text(), QStringLiteral("Deep learning is"));
    QVERIFY(text->isVisible());
    QVERIFY(m_view->rawView()->copyText().contains(QLatin1String("still arriving")));
    // The final result replaces the stream.
    QVERIFY(showRecording(m_view, QStringLiteral("translation/a2501_ICV_translation-0.json")));
    QCOMPARE(rendererOf<TextResultView>(m_view)->text(), QStringLiteral("Hallo Welt"));
}

void TestResultViews::busyAndClear()
{
    // Before any answer the view has no tabs to build (a start-up shows the empty page): waiting, clearing
    // and copying need none either; the first answer builds them.
    QVERIFY(!m_view->findChild<QTabWidget *>());
    m_view->setBusy(QStringLiteral("Waiting for answer…"));
    QVERIFY(!m_view->showsPreviousAnswer());
    m_view->copyToClipboard();
    m_view->clear();
    QVERIFY(!m_view->findChild<QTabWidget *>());
    QCOMPARE(m_view->currentViewKind(), QString());
    QVERIFY(showRecording(m_view, QStringLiteral("kestra/text-classification-0.json")));
    QVERIFY(m_view->hasResult());
    m_view->setBusy(QStringLiteral("Waiting for answer…"));
    // The previous answer stays, dimmed and labelled, until the next one comes.
    QVERIFY(m_view->showsPreviousAnswer());
    QVERIFY(m_view->tabs()->graphicsEffect());
    QVERIFY(showRecording(m_view, QStringLiteral("kestra/text-classification-0.json")));
    QVERIFY(!m_view->showsPreviousAnswer());
    QVERIFY(!m_view->tabs()->graphicsEffect());
    m_view->clear();
    m_view->setBusy(QStringLiteral("Waiting for answer…")); // nothing to dim: the busy page
    QVERIFY(!m_view->showsPreviousAnswer());
    QVERIFY(!m_view->tabs()->isVisible());
    m_view->clear();
    QVERIFY(!m_view->hasResult());
    QCOMPARE(m_view->currentViewKind(), QString());
    QString error;
    QTemporaryDir dir;
    QVERIFY(!m_view->saveResult(dir.filePath(QStringLiteral("x.json")), &error));
    QVERIFY(error.contains(QLatin1String("no answer")));
}

void TestResultViews::saveAndOpenResult()
{
    QVERIFY(showRecording(m_view,
                          QStringLiteral("object-detection/r2504_TIC_object_detection_hf-inference-1.json")));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("boxes.result.json"));
    QString error;
    QVERIFY2(m_view->saveResult(path, &error), qPrintable(error));

    ResultView other;
    other.resize(800, 600);
    other.show();
    QVERIFY2(other.openResult(path, &error), qPrintable(error));
    QTRY_VERIFY(!other.isFormatting());
    QCOMPARE(other.currentViewKind(), QStringLiteral("boxes"));
    auto *boxes = qobject_cast<BoxesView *>(other.renderer());
    QVERIFY(boxes);
    QCOMPARE(boxes->boxCount(), 3);
    QVERIFY(!boxes->canvas()->image().isNull()); // the input image travelled with the file
}

void TestResultViews::openBrokenResultSaysWhy()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[1, 2");
    f.close();
    QString error;
    QVERIFY(!m_view->openResult(path, &error));
    QVERIFY2(error.contains(QLatin1String("not valid JSON")), qPrintable(error));
    QVERIFY(!m_view->hasResult());
}

void TestResultViews::largeAnswerFormattedWithoutBlocking()
{
    // A synthetic feature-extraction answer of about 30 MB: 1 x 4000 x 768 numbers.
    QByteArray body;
    body.reserve(32 * 1024 * 1024);
    body += "[[";
    for (int row = 0; row < 4000; ++row) {
        body += row ? ",[" : "[";
        for (int i = 0; i < 768; ++i) {
            if (i)
                body += ',';
            body += QByteArray::number(((row * 31 + i * 17) % 2000 - 1000) / 997.0, 'f', 6);
        }
        body += ']';
    }
    body += "]]";
    QVERIFY(body.size() > 25 * 1024 * 1024);

    InferenceRequest request;
    request.task = QStringLiteral("feature-extraction");
    int ticks = 0;
    QTimer probe;
    probe.setInterval(10);
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 longestGap = 0;
    connect(&probe, &QTimer::timeout, this, [&] {
        ++ticks;
        longestGap = std::max(longestGap, clock.elapsed() - last);
        last = clock.elapsed();
    });
    clock.start();
    int ticksWhenShown = -1;
    connect(m_view, &ResultView::viewChanged, this, [&](const QString &kind) {
        if (kind == QLatin1String("vectors"))
            ticksWhenShown = ticks;
    });
    probe.start();
    m_view->setResult(request, jsonResult(body));
    QVERIFY(m_view->isFormatting()); // returned before the answer was read
    QCOMPARE(m_view->currentViewKind(), QString());
    const int ticksAtStart = ticks;
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->isFormatting(), 120000);
    QCOMPARE(m_view->currentViewKind(), QStringLiteral("vectors"));
    QVERIFY2(ticksWhenShown > ticksAtStart, "the event loop did not run while the answer was formatted");
    QCOMPARE(rendererOf<VectorsView>(m_view)->shapeText(), QStringLiteral("1 × 4,000 × 768"));

    // The JSON text goes in chunk by chunk, without colours, and only its beginning, once its tab is shown.
    JsonTextView *json = m_view->jsonTextView();
    QVERIFY(json->isLoading());
    QCOMPARE(json->editor()->document()->characterCount(), 1); // nothing fed while the tab is hidden
    const int ticksBeforeText = ticks;
    m_view->tabs()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(!json->isLoading(), 120000);
    QVERIFY(ticks > ticksBeforeText || json->editor()->document()->characterCount() > 0);
    QVERIFY(!json->isHighlighted());
    QVERIFY(json->isTruncated());
    QVERIFY(json->fullText().size() > body.size());
    // For the record only (the benchmark owns the numbers): the longest gap between probe ticks.
    qInfo("longest event-loop gap while formatting and showing: %lld ms", longestGap);
}

QTEST_MAIN(TestResultViews)
#include "TestResultViews.moc"
