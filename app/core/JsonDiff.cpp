#include "JsonDiff.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace idesk::JsonDiff {

namespace {

void walk(const QJsonValue &left, const QJsonValue &right, const QString &path, QList<Change> *out, int limit,
          int depth)
{
    if (out->size() >= limit)
        return;
    if (left.isObject() && right.isObject() && depth < 64) {
        const QJsonObject l = left.toObject();
        const QJsonObject r = right.toObject();
        QStringList keys = l.keys();
        for (const QString &k : r.keys())
            if (!l.contains(k))
                keys.append(k);
        static const QRegularExpression plain(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        for (const QString &k : keys) {
            const QString sub =
                plain.match(k).hasMatch()
                    ? path + QLatin1Char('.') + k
                    : path + QStringLiteral("[\"%1\"]")
                                 .arg(QString(k).replace(QLatin1Char('"'), QStringLiteral("\\\"")));
            if (!r.contains(k))
                out->append({Change::Kind::OnlyLeft, sub, l.value(k), QJsonValue(QJsonValue::Undefined)});
            else if (!l.contains(k))
                out->append({Change::Kind::OnlyRight, sub, QJsonValue(QJsonValue::Undefined), r.value(k)});
            else
                walk(l.value(k), r.value(k), sub, out, limit, depth + 1);
            if (out->size() >= limit)
                return;
        }
        return;
    }
    if (left.isArray() && right.isArray() && depth < 64) {
        const QJsonArray l = left.toArray();
        const QJsonArray r = right.toArray();
        const qsizetype n = qMax(l.size(), r.size());
        for (qsizetype i = 0; i < n && out->size() < limit; ++i) {
            const QString sub = path + QStringLiteral("[%1]").arg(i);
            if (i >= r.size())
                out->append({Change::Kind::OnlyLeft, sub, l.at(i), QJsonValue(QJsonValue::Undefined)});
            else if (i >= l.size())
                out->append({Change::Kind::OnlyRight, sub, QJsonValue(QJsonValue::Undefined), r.at(i)});
            else
                walk(l.at(i), r.at(i), sub, out, limit, depth + 1);
        }
        return;
    }
    if (left != right)
        out->append({Change::Kind::Changed, path, left, right});
}

QString shortJson(const QJsonValue &v)
{
    QString text;
    if (v.isUndefined())
        return QStringLiteral("(none)");
    if (v.isObject())
        text = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    else if (v.isArray())
        text = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    else
        text =
            QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    return text.size() > 120 ? text.left(119) + QChar(0x2026) : text;
}

} // namespace

QList<Change> diff(const QJsonValue &left, const QJsonValue &right, int limit)
{
    QList<Change> out;
    walk(left, right, QStringLiteral("$"), &out, limit, 0);
    return out;
}

QString describe(const QList<Change> &changes)
{
    if (changes.isEmpty())
        return QCoreApplication::translate("JsonDiff", "The two answers are the same JSON.");
    QStringList lines;
    for (const Change &c : changes) {
        switch (c.kind) {
        case Change::Kind::Changed:
            lines << QStringLiteral("~ %1: %2 -> %3").arg(c.path, shortJson(c.left), shortJson(c.right));
            break;
        case Change::Kind::OnlyLeft:
            lines << QStringLiteral("- %1: %2").arg(c.path, shortJson(c.left));
            break;
        case Change::Kind::OnlyRight:
            lines << QStringLiteral("+ %1: %2").arg(c.path, shortJson(c.right));
            break;
        }
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace idesk::JsonDiff
