// Issue 19: the result views stay within a few times the answer's size. The JSON tree reads the answer's
// bytes as rows are opened (a page at a time), the JSON text is pretty-printed by the core's streaming
// printer (compact below its depth limit), and no document is built for an answer too large or deep for
// one: 4,000 arrays nested 1,000 deep (8 MB) took 4.4 GB in the app.
#include "JsonPrettyPrinter.h"
#include "ResultView.h"
#include "views/JsonTextView.h"
#include "views/JsonTreeModel.h"
#include "views/JsonTreeView.h"
#include "views/RawView.h"

#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTextDocument>
#include <QTreeView>
#include <QtTest>

using namespace idesk;

namespace {

InferenceResult jsonResult(const QByteArray &body)
{
    InferenceResult r;
    r.status = 200;
    r.reason = "OK";
    r.body = body;
    r.contentType = QStringLiteral("application/json");
    return r;
}

QByteArray deeplyNested()
{
    const QByteArray one = QByteArray(1000, '[') + QByteArray(1000, ']');
    QByteArray body = "[";
    body.reserve(4000 * (one.size() + 1) + 2);
    for (int i = 0; i < 4000; ++i) {
        if (i)
            body += ',';
        body += one;
    }
    body += ']';
    return body;
}

QByteArray millionNumbers()
{
    QByteArray body = "[";
    body.reserve(7 * 1000 * 1000);
    for (int i = 0; i < 1000000; ++i) {
        if (i)
            body += ',';
        body += QByteArray::number(i);
    }
    body += ']';
    return body;
}

} // namespace

class TestBoundedViews : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deepAnswerBuildsNoDocument();
    void deepAnswerShownWithFewRows();
    void millionItemsPaged();
    void outlineReadElsewhereShowsTheSame();
    void largeAnswerRawTextPreparedOffTheUiThread();
};

void TestBoundedViews::deepAnswerBuildsNoDocument()
{
    const QByteArray body = deeplyNested();
    QCOMPARE(body.size(), 4000 * 2001 + 1);
    InferenceRequest request;
    request.task = QStringLiteral("feature-extraction");
    const ResultContext c = ResultView::prepare(request, jsonResult(body));
    QVERIFY(!c.json.isArray() && !c.json.isObject()); // no document of 4 million arrays
    QCOMPARE(c.jsonText.size(), body.size());
    QCOMPARE(c.shape.kind, QStringLiteral("json"));
    QVERIFY2(c.shape.problem.contains(QLatin1String("1,001")) ||
                 c.shape.problem.contains(QLatin1String("1001")),
             qPrintable(c.shape.problem));
    // Only the beginning of the pretty text is built (the view shows no more); Copy formats the rest.
    QVERIFY(c.prettyCut);
    QVERIFY(c.prettyJson.startsWith("[\n  [\n    ["));
    QVERIFY2(c.prettyJson.size() <= JsonTextView::displayCap + JsonTextView::chunkSize,
             QByteArray::number(c.prettyJson.size()).constData());
    // The whole text, compact below the printer's depth limit, stays about the answer's size.
    const QByteArray whole = JsonPrettyPrinter::format(body, 2);
    QVERIFY(whole.startsWith(c.prettyJson));
    QVERIFY2(whole.size() < 3 * body.size(), QByteArray::number(whole.size()).constData());
}

void TestBoundedViews::deepAnswerShownWithFewRows()
{
    ResultView view;
    view.resize(900, 600);
    view.show();
    InferenceRequest request;
    request.task = QStringLiteral("feature-extraction");
    const QByteArray body = deeplyNested();
    view.setResult(request, jsonResult(body));
    QTRY_VERIFY_WITH_TIMEOUT(!view.isFormatting(), 60000);
    QCOMPARE(view.currentViewKind(), QStringLiteral("json"));
    auto *tree = qobject_cast<JsonTreeView *>(view.renderer());
    QVERIFY(tree);
    for (JsonTreeModel *model : {tree->model(), view.jsonTreeView()->model()}) {
        const QModelIndex top = model->index(0, 0);
        // The top array's first page and its "… 3,000 more" row, nothing below them yet.
        QCOMPARE(model->rowCount(top), JsonTreeModel::pageSize + 1);
        QVERIFY(model->isMoreRow(model->index(JsonTreeModel::pageSize, 0, top)));
        QVERIFY2(model->nodeCount() <= JsonTreeModel::pageSize + 2,
                 QByteArray::number(model->nodeCount()).constData());
        QCOMPARE(model->data(model->index(0, 1, top)).toString(), QStringLiteral("[1 item(s)]"));
    }
    // Opening one chain 200 levels down adds one row per level.
    JsonTreeModel *model = tree->model();
    const qint64 before = model->nodeCount();
    QModelIndex at = model->index(0, 0, model->index(0, 0));
    for (int level = 0; level < 200; ++level) {
        QVERIFY(model->canFetchMore(at));
        model->fetchMore(at);
        QCOMPARE(model->rowCount(at), 1);
        at = model->index(0, 0, at);
    }
    QCOMPARE(model->nodeCount(), before + 200);
    const QModelIndex second = model->index(0, 0, model->index(0, 0, model->index(0, 0)));
    QCOMPARE(model->pathAt(second), QStringLiteral("$[0][0]"));

    // The JSON text view shows the bounded pretty text (compact below the depth limit), its beginning only.
    JsonTextView *text = view.jsonTextView();
    view.tabs()->setCurrentIndex(1); // the JSON tab: its text is fed once shown
    QTRY_VERIFY_WITH_TIMEOUT(!text->isLoading(), 60000);
    QVERIFY(!text->fullText().isEmpty());
    QVERIFY(text->fullText().size() < 3 * body.size());
    QVERIFY(text->editor()->document()->characterCount() <= JsonTextView::displayCap + 1);
}

void TestBoundedViews::millionItemsPaged()
{
    const QByteArray body = millionNumbers();
    JsonTreeView view;
    view.resize(600, 400);
    view.show();
    view.setJsonText(body);
    JsonTreeModel *model = view.model();
    const QModelIndex top = model->index(0, 0);
    QCOMPARE(model->data(top.siblingAtColumn(1)).toString(), QStringLiteral("[1000000 item(s)]"));
    QCOMPARE(model->rowCount(top), JsonTreeModel::pageSize + 1);
    QCOMPARE(model->nodeCount(), qint64(JsonTreeModel::pageSize) + 2);
    const QModelIndex more = model->index(JsonTreeModel::pageSize, 0, top);
    QVERIFY(model->isMoreRow(more));
    QVERIFY2(model->data(more.siblingAtColumn(1)).toString().contains(QLatin1String("999000")),
             qPrintable(model->data(more.siblingAtColumn(1)).toString()));
    // Scrolling to the end of the page fetches nothing more by itself.
    QVERIFY(!model->canFetchMore(top));
    QTest::qWait(0);
    QCOMPARE(model->rowCount(top), JsonTreeModel::pageSize + 1);
    // Activating the more row lists the next page only.
    model->loadMore(more);
    QCOMPARE(model->rowCount(top), 2 * JsonTreeModel::pageSize + 1);
    QCOMPARE(model->nodeCount(), 2 * qint64(JsonTreeModel::pageSize) + 2);
    QCOMPARE(model->data(model->index(1999, 1, top)).toString(), QStringLiteral("1999"));
    QCOMPARE(model->pathAt(model->index(1500, 0, top)), QStringLiteral("$[1500]"));
    QCOMPARE(model->valueAt(model->index(1500, 0, top)).toInt(), 1500);
    // In the tree, Enter on the more row (activated) shows the next page.
    const QModelIndex more2 = model->index(2 * JsonTreeModel::pageSize, 0, top);
    QVERIFY(model->isMoreRow(more2));
    view.tree()->setFocus();
    view.tree()->setCurrentIndex(more2);
    QTest::keyClick(view.tree(), Qt::Key_Return);
    QTRY_COMPARE(model->rowCount(top), 3 * JsonTreeModel::pageSize + 1);
}

// Issue 13 (stall): a large answer's tree outline is read on the worker that formats it; the model shown
// from that outline is the one a scan on the UI thread builds.
void TestBoundedViews::outlineReadElsewhereShowsTheSame()
{
    const QByteArray numbers = millionNumbers();
    const QByteArray object = R"( {"a": [1, 2], "b\u00e9": "x", "c": {"d": null}} )";
    for (const QByteArray &body :
         {numbers, object, QByteArray("  42 "), QByteArray("[]"), QByteArray("  ")}) {
        JsonTreeModel scanned;
        scanned.setJsonText(body);
        const JsonOutline outline = JsonTreeModel::outline(body);
        JsonTreeModel given;
        given.setJsonText(body, outline);
        QCOMPARE(given.rowCount(), scanned.rowCount());
        if (scanned.rowCount() == 0)
            continue;
        const QModelIndex top = given.index(0, 0);
        const QModelIndex scannedTop = scanned.index(0, 0);
        QCOMPARE(given.data(top.siblingAtColumn(1)), scanned.data(scannedTop.siblingAtColumn(1)));
        QCOMPARE(given.textAt(top), scanned.textAt(scannedTop));
        QCOMPARE(given.canFetchMore(top), scanned.canFetchMore(scannedTop));
        if (given.canFetchMore(top)) {
            given.fetchMore(top);
            scanned.fetchMore(scannedTop);
        }
        QCOMPARE(given.rowCount(top), scanned.rowCount(scannedTop));
        for (int row : {0, given.rowCount(top) - 1}) {
            QCOMPARE(given.data(given.index(row, 0, top)), scanned.data(scanned.index(row, 0, scannedTop)));
            QCOMPARE(given.data(given.index(row, 1, top)), scanned.data(scanned.index(row, 1, scannedTop)));
        }
        if (given.isMoreRow(given.index(given.rowCount(top) - 1, 0, top))) {
            given.loadMore(given.index(given.rowCount(top) - 1, 0, top));
            QCOMPARE(given.rowCount(top), 2 * JsonTreeModel::pageSize + 1);
            QCOMPARE(given.data(given.index(1500, 1, top)).toString(), QStringLiteral("1500"));
        }
    }
    // An outline of other text is not trusted: the text given is read.
    JsonTreeModel model;
    model.setJsonText("[1,2,3]", JsonTreeModel::outline("[1]"));
    QCOMPARE(model.data(model.index(0, 1)).toString(), QStringLiteral("[3 item(s)]"));
}

// The Raw tab's text of a large answer is built with the rest off the UI thread: it says so meanwhile and
// shows the exchange once formatted. The JSON and Raw tabs are filled a turn of the event loop after the
// task's view: formatting ends only once they are.
void TestBoundedViews::largeAnswerRawTextPreparedOffTheUiThread()
{
    const QByteArray body = millionNumbers();
    QVERIFY(body.size() > ResultView::asyncThreshold);
    ResultView view;
    view.resize(900, 600);
    view.show();
    InferenceRequest request;
    request.task = QStringLiteral("feature-extraction");
    view.setResult(request, jsonResult(body));
    QVERIFY(view.isFormatting());
    QVERIFY2(view.rawView()->copyText().contains(QLatin1String("being formatted")),
             qPrintable(view.rawView()->copyText()));
    QTRY_VERIFY_WITH_TIMEOUT(!view.isFormatting(), 60000);
    const QString raw = view.rawView()->copyText();
    QVERIFY2(raw.contains(QLatin1String("HTTP 200 OK")), qPrintable(raw.left(200)));
    QVERIFY(raw.contains(QLatin1String("[0,1,2,3")));
    QCOMPARE(raw, RawView::text(request, jsonResult(body)));
    // The JSON tab's tree came from the outline read with it.
    JsonTreeModel *model = view.jsonTreeView()->model();
    QCOMPARE(model->data(model->index(0, 1)).toString(), QStringLiteral("[1000000 item(s)]"));
    QCOMPARE(model->rowCount(model->index(0, 0)), JsonTreeModel::pageSize + 1);
}

QTEST_MAIN(TestBoundedViews)
#include "TestBoundedViews.moc"
