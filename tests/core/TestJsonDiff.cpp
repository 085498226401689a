// JsonDiff: changed values, keys and items only one side has, paths, the limit, and the same JSON.
#include "JsonDiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace idesk;

namespace {
QJsonValue json(const char *text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}
} // namespace

class TestJsonDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void paths()
    {
        const auto changes =
            JsonDiff::diff(json(R"([{"label":"POSITIVE","score":0.9},{"label":"NEGATIVE"}])"),
                           json(R"([{"label":"POSITIVE","score":0.8}])"));
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes.at(0).path, QStringLiteral("$[0].score"));
        QCOMPARE(changes.at(0).kind, JsonDiff::Change::Kind::Changed);
        QCOMPARE(changes.at(0).left.toDouble(), 0.9);
        QCOMPARE(changes.at(0).right.toDouble(), 0.8);
        QCOMPARE(changes.at(1).path, QStringLiteral("$[1]"));
        QCOMPARE(changes.at(1).kind, JsonDiff::Change::Kind::OnlyLeft);
        const QString text = JsonDiff::describe(changes);
        QVERIFY2(text.contains(QLatin1String("~ $[0].score: 0.9 -> 0.8")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("- $[1]: {\"label\":\"NEGATIVE\"}")), qPrintable(text));
    }
    void keysAndTypes()
    {
        const auto changes = JsonDiff::diff(json(R"({"a": 1, "odd key": true})"),
                                            json(R"({"a": "1", "b": null, "odd key": true})"));
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes.at(0).path, QStringLiteral("$.a"));
        QCOMPARE(changes.at(1).path, QStringLiteral("$.b"));
        QCOMPARE(changes.at(1).kind, JsonDiff::Change::Kind::OnlyRight);
        QCOMPARE(JsonDiff::diff(json(R"({"x y": 1})"), json(R"({"x y": 2})")).first().path,
                 QStringLiteral("$[\"x y\"]"));
    }
    void sameAndLimit()
    {
        QVERIFY(JsonDiff::diff(json(R"({"a":[1,2]})"), json(R"({"a":[1,2]})")).isEmpty());
        QVERIFY(JsonDiff::describe({}).contains(QLatin1String("same")));
        QJsonArray left, right;
        for (int i = 0; i < 100; ++i) {
            left.append(i);
            right.append(i + 1);
        }
        QCOMPARE(JsonDiff::diff(left, right, 10).size(), 10);
    }
};

QTEST_GUILESS_MAIN(TestJsonDiff)
#include "TestJsonDiff.moc"
