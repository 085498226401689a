#include "ResultPrinter.h"

#include "JsonPrettyPrinter.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <algorithm>
#include <cmath>

namespace idesk::cli::ResultPrinter {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ResultPrinter", text);
}

QString percent(double score)
{
    return QString::number(score * 100.0, 'f', 1) + QLatin1Char('%');
}

QString bar(double score)
{
    const int width = int(std::lround(qBound(0.0, score, 1.0) * 20));
    return QString(width, QChar(0x2588));
}

struct Scored
{
    QString label;
    double score;
};

QString scoresTable(QList<Scored> items, int limit = 10)
{
    std::stable_sort(items.begin(), items.end(),
                     [](const Scored &a, const Scored &b) { return a.score > b.score; });
    int width = 0;
    for (int i = 0; i < items.size() && i < limit; ++i)
        width = qMax(width, int(items[i].label.size()));
    width = qMin(width, 48);
    QString out;
    for (int i = 0; i < items.size() && i < limit; ++i)
        out += QStringLiteral("%1  %2  %3\n")
                   .arg(items[i].label.left(48), -width)
                   .arg(percent(items[i].score), 6)
                   .arg(bar(items[i].score));
    if (items.size() > limit)
        out += tr("(%1 more)\n").arg(items.size() - limit);
    return out;
}

// [{"label","score"}] or [[{"label","score"}]]
bool readScores(const QJsonValue &v, QList<Scored> *out)
{
    QJsonArray array = v.toArray();
    if (array.size() == 1 && array.at(0).isArray())
        array = array.at(0).toArray();
    if (array.isEmpty())
        return false;
    for (const QJsonValue &item : array) {
        const QJsonObject o = item.toObject();
        if (!o.contains(QStringLiteral("label")) || !o.value(QStringLiteral("score")).isDouble() ||
            o.contains(QStringLiteral("box")) || o.contains(QStringLiteral("mask")))
            return false;
        out->append(
            {o.value(QStringLiteral("label")).toString(), o.value(QStringLiteral("score")).toDouble()});
    }
    return true;
}

QString textOf(const QJsonObject &o)
{
    for (const char *key : {"generated_text", "summary_text", "translation_text", "text", "answer"})
        if (o.value(QLatin1String(key)).isString())
            return o.value(QLatin1String(key)).toString();
    return {};
}

QString vectorSummary(const QJsonArray &array)
{
    QList<int> shape;
    QJsonValue cursor = array;
    while (cursor.isArray()) {
        shape << int(cursor.toArray().size());
        if (cursor.toArray().isEmpty())
            break;
        cursor = cursor.toArray().at(0);
    }
    QStringList dims;
    for (int d : shape)
        dims << QString::number(d);
    // First row of numbers.
    QJsonArray row = array;
    while (!row.isEmpty() && row.at(0).isArray())
        row = row.at(0).toArray();
    QStringList first;
    double norm = 0;
    for (const QJsonValue &x : row)
        norm += x.toDouble() * x.toDouble();
    for (int i = 0; i < row.size() && i < 6; ++i)
        first << QString::number(row.at(i).toDouble(), 'g', 4);
    return tr("vector shape [%1], first row norm %2\n[%3%4]\n")
        .arg(dims.join(QLatin1String(" x ")))
        .arg(std::sqrt(norm), 0, 'g', 4)
        .arg(first.join(QLatin1String(", ")))
        .arg(row.size() > 6 ? QStringLiteral(", …") : QString());
}
} // namespace

QString summary(const QString &task, const QJsonValue &answer)
{
    QList<Scored> scores;
    if (answer.isObject()) {
        const QJsonObject o = answer.toObject();
        // zero-shot-classification {"sequence", "labels", "scores"}
        if (o.value(QStringLiteral("labels")).isArray() && o.value(QStringLiteral("scores")).isArray()) {
            const QJsonArray labels = o.value(QStringLiteral("labels")).toArray();
            const QJsonArray values = o.value(QStringLiteral("scores")).toArray();
            for (int i = 0; i < labels.size() && i < values.size(); ++i)
                scores.append({labels.at(i).toString(), values.at(i).toDouble()});
            return scoresTable(scores);
        }
        if (o.contains(QStringLiteral("answer"))) {
            QString out = tr("answer: %1").arg(o.value(QStringLiteral("answer")).toVariant().toString());
            if (o.value(QStringLiteral("score")).isDouble())
                out += QStringLiteral("  (%1)").arg(percent(o.value(QStringLiteral("score")).toDouble()));
            if (o.value(QStringLiteral("cells")).isArray()) {
                QStringList cells;
                for (const QJsonValue &c : o.value(QStringLiteral("cells")).toArray())
                    cells << c.toString();
                out += tr("\ncells: %1").arg(cells.join(QLatin1String(", ")));
            }
            return out + QLatin1Char('\n');
        }
        // OpenAI-compatible answers: chat (choices[0].message.content) and completions (choices[0].text).
        const QJsonObject choice = o.value(QStringLiteral("choices")).toArray().at(0).toObject();
        if (!choice.isEmpty()) {
            const QJsonObject message = choice.value(QStringLiteral("message")).toObject();
            QString out = message.value(QStringLiteral("content")).isString()
                              ? message.value(QStringLiteral("content")).toString()
                              : choice.value(QStringLiteral("text")).toString();
            for (const QJsonValue &call : message.value(QStringLiteral("tool_calls")).toArray()) {
                const QJsonObject function = call.toObject().value(QStringLiteral("function")).toObject();
                out += tr("\ntool call: %1(%2)")
                           .arg(function.value(QStringLiteral("name")).toString(),
                                function.value(QStringLiteral("arguments")).toVariant().toString());
            }
            return out.trimmed().isEmpty() ? QString() : out + QLatin1Char('\n');
        }
        const QString text = textOf(o);
        if (!text.isEmpty())
            return text + QLatin1Char('\n');
        return {};
    }
    if (!answer.isArray())
        return {};
    const QJsonArray array = answer.toArray();
    if (array.isEmpty())
        return tr("(empty answer)\n");
    if (readScores(answer, &scores))
        return scoresTable(scores);
    if (array.at(0).isDouble() && array.size() < 64 && task != QLatin1String("feature-extraction")) {
        // sentence-similarity: one score per sentence
        QString out;
        for (int i = 0; i < array.size(); ++i)
            out += QStringLiteral("%1  %2  %3\n")
                       .arg(i + 1, 3)
                       .arg(array.at(i).toDouble(), 0, 'f', 4)
                       .arg(bar(array.at(i).toDouble()));
        return out;
    }
    if (array.at(0).isDouble() || array.at(0).isArray())
        return vectorSummary(array);
    const QJsonObject first = array.at(0).toObject();
    if (first.contains(QStringLiteral("sequence")) && first.contains(QStringLiteral("score"))) { // fill-mask
        for (const QJsonValue &v : array)
            scores.append({v.toObject().value(QStringLiteral("sequence")).toString(),
                           v.toObject().value(QStringLiteral("score")).toDouble()});
        return scoresTable(scores);
    }
    if (first.contains(QStringLiteral("entity_group")) || first.contains(QStringLiteral("entity"))) {
        QString out;
        for (const QJsonValue &v : array) {
            const QJsonObject e = v.toObject();
            const QString group =
                e.value(e.contains(QStringLiteral("entity_group")) ? QStringLiteral("entity_group")
                                                                   : QStringLiteral("entity"))
                    .toString();
            out += QStringLiteral("%1  %2  %3\n")
                       .arg(group, -8)
                       .arg(percent(e.value(QStringLiteral("score")).toDouble()), 6)
                       .arg(e.value(QStringLiteral("word")).toString());
        }
        return out;
    }
    if (first.contains(QStringLiteral("box"))) {
        QString out;
        for (const QJsonValue &v : array) {
            const QJsonObject d = v.toObject();
            const QJsonObject b = d.value(QStringLiteral("box")).toObject();
            out += QStringLiteral("%1  %2  [%3, %4, %5, %6]\n")
                       .arg(d.value(QStringLiteral("label")).toString(), -16)
                       .arg(percent(d.value(QStringLiteral("score")).toDouble()), 6)
                       .arg(b.value(QStringLiteral("xmin")).toInt())
                       .arg(b.value(QStringLiteral("ymin")).toInt())
                       .arg(b.value(QStringLiteral("xmax")).toInt())
                       .arg(b.value(QStringLiteral("ymax")).toInt());
        }
        return out;
    }
    if (first.contains(QStringLiteral("mask"))) {
        QString out;
        for (const QJsonValue &v : array) {
            const QJsonObject d = v.toObject();
            out +=
                QStringLiteral("%1  %2  %3\n")
                    .arg(d.value(QStringLiteral("label")).toString(), -24)
                    .arg(d.value(QStringLiteral("score")).isDouble()
                             ? percent(d.value(QStringLiteral("score")).toDouble())
                             : QStringLiteral("-"),
                         6)
                    .arg(tr("mask %1 bytes").arg(d.value(QStringLiteral("mask")).toString().size() * 3 / 4));
        }
        return out;
    }
    const QString text = textOf(first);
    if (!text.isEmpty())
        return text + QLatin1Char('\n');
    return {};
}

QByteArray chatReading(const ChatStreamAssembler &answer, bool textAlreadyPrinted)
{
    QString out;
    if (!textAlreadyPrinted)
        out += answer.content();
    if (!out.isEmpty() || textAlreadyPrinted)
        out += QLatin1Char('\n');
    for (const ChatStreamAssembler::ToolCall &call : answer.toolCalls()) {
        out += tr("tool call %1 (%2):").arg(call.name, call.id.isEmpty() ? QStringLiteral("-") : call.id);
        out += QLatin1Char('\n') + call.prettyArguments() + QLatin1Char('\n');
    }
    const QString line = answer.summaryLine();
    if (!line.isEmpty())
        out += QStringLiteral("[%1]\n").arg(line);
    return out.toUtf8();
}

QString binaryFileName(const QString &model, const QString &mimeType)
{
    QString base = model;
    base.replace(QLatin1Char('/'), QLatin1Char('_'));
    const QMimeType mime = QMimeDatabase().mimeTypeForName(mimeType);
    QString suffix = mime.isValid() ? mime.preferredSuffix() : QString();
    if (suffix.isEmpty())
        suffix = QStringLiteral("bin");
    return base + QLatin1Char('.') + suffix;
}

bool write(const InferenceRequest &request, const InferenceResult &result, const QString &format,
           QIODevice *out, QString *error)
{
    if (!result.isJson()) {
        QByteArray text = result.text().toUtf8();
        if (!text.endsWith('\n'))
            text += '\n';
        return out->write(text) == text.size();
    }
    // Pretty and json stream from the answer's bytes (no document, no second copy): the peak stays near
    // the answer's size. json is the answer as received with the whitespace taken out.
    if (format == QLatin1String("pretty") || format == QLatin1String("json"))
        return JsonPrettyPrinter::write(result.body, out, format == QLatin1String("pretty") ? 2 : 0, error);
    QString parseError;
    const QJsonDocument doc = result.json(&parseError);
    if (!parseError.isEmpty()) {
        if (error)
            *error = tr("The answer is not valid JSON: %1.").arg(parseError);
        return false;
    }
    QByteArray bytes;
    if (format == QLatin1String("summary")) {
        const QJsonValue answer = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        QString text = summary(request.task, answer);
        if (text.isEmpty())
            text = QString::fromUtf8(JsonPrettyPrinter::format(result.body));
        bytes = text.toUtf8();
    }
    return out->write(bytes) == bytes.size();
}

} // namespace idesk::cli::ResultPrinter
