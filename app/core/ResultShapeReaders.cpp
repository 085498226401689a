#include "ResultShapeReaders.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

// The readers, one per kind (each returns false when the JSON is not its shape), and the predicates and
// helpers they share with the kind guess.

namespace idesk::ResultShapeReaders {

QString tr(const char *text)
{
    return QCoreApplication::translate("ResultShape", text);
}

double number(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : qQNaN();
}

bool isScoreObject(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    return v.isObject() && o.value(QLatin1String("score")).isDouble() &&
           (o.value(QLatin1String("label")).isString() || o.value(QLatin1String("token_str")).isString());
}

bool allOf(const QJsonArray &a, bool (*pred)(const QJsonValue &))
{
    if (a.isEmpty())
        return false;
    for (const QJsonValue &v : a)
        if (!pred(v))
            return false;
    return true;
}

bool isScoreList(const QJsonValue &v)
{
    return v.isArray() && allOf(v.toArray(), isScoreObject);
}

bool isEntityObject(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    return v.isObject() &&
           (o.value(QLatin1String("entity_group")).isString() ||
            o.value(QLatin1String("entity")).isString()) &&
           (o.contains(QLatin1String("word")) || o.contains(QLatin1String("start")));
}

bool isBoxObject(const QJsonValue &v)
{
    return v.isObject() && v.toObject().value(QLatin1String("box")).isObject();
}

bool isMaskObject(const QJsonValue &v)
{
    return v.isObject() && v.toObject().value(QLatin1String("mask")).isString();
}

bool isAnswerObject(const QJsonValue &v)
{
    return v.isObject() && v.toObject().value(QLatin1String("answer")).isString();
}

bool isAudioBlobObject(const QJsonValue &v)
{
    return v.isObject() && v.toObject().value(QLatin1String("blob")).isString();
}

bool isNumberTree(const QJsonValue &v, int depth)
{
    if (v.isDouble())
        return true;
    if (!v.isArray() || depth > 8)
        return false;
    const QJsonArray a = v.toArray();
    if (a.isEmpty())
        return false;
    return isNumberTree(a.first(), depth + 1);
}

QString textFieldOf(const QJsonObject &o)
{
    for (const char *key : {"generated_text", "summary_text", "translation_text", "text"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isString())
            return v.toString();
    }
    return {};
}

bool hasTextField(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    for (const char *key : {"generated_text", "summary_text", "translation_text", "text"})
        if (o.value(QLatin1String(key)).isString())
            return true;
    return false;
}

// A completions answer {"choices": [{"text", "finish_reason"}]} (no chat "message"): its first choice.
QJsonObject completionChoice(const QJsonValue &json)
{
    const QJsonObject choice = json.toObject().value(QLatin1String("choices")).toArray().at(0).toObject();
    if (choice.contains(QLatin1String("message")) || !choice.value(QLatin1String("text")).isString())
        return {};
    return choice;
}

QByteArray fromBase64(const QString &text, bool *ok)
{
    QString s = text;
    // data: URLs (data:image/png;base64,...)
    if (s.startsWith(QLatin1String("data:"))) {
        const int comma = s.indexOf(QLatin1Char(','));
        s = comma >= 0 ? s.mid(comma + 1) : QString();
    }
    const auto decoded =
        QByteArray::fromBase64Encoding(s.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    *ok = bool(decoded) && !decoded.decoded.isEmpty();
    return decoded.decoded;
}

QString inputString(const InferenceRequest &request)
{
    if (request.inputs.isString())
        return request.inputs.toString();
    if (request.inputs.isArray() && request.inputs.toArray().first().isString())
        return request.inputs.toArray().first().toString();
    if (request.inputs.isObject()) {
        const QJsonObject o = request.inputs.toObject();
        for (const char *key : {"text", "context", "inputs"})
            if (o.value(QLatin1String(key)).isString())
                return o.value(QLatin1String(key)).toString();
    }
    return {};
}

// Summaries are read by scripts too: numbers in the C locale.
QString percent(double score)
{
    return QLocale::c().toString(score * 100.0, 'f', 2) + QLatin1Char('%');
}

namespace {

bool readScores(const InferenceRequest &request, const QJsonValue &json, ResultShape *out)
{
    auto readList = [](const QJsonArray &a) {
        QList<ResultShape::Score> items;
        for (const QJsonValue &v : a) {
            const QJsonObject o = v.toObject();
            ResultShape::Score s;
            s.label = o.value(QLatin1String("label")).toString();
            if (s.label.isEmpty())
                s.label = o.value(QLatin1String("token_str")).toString().trimmed();
            s.score = o.value(QLatin1String("score")).toDouble();
            s.sequence = o.value(QLatin1String("sequence")).toString();
            items.append(s);
        }
        std::stable_sort(
            items.begin(), items.end(),
            [](const ResultShape::Score &a, const ResultShape::Score &b) { return a.score > b.score; });
        return items;
    };

    if (json.isObject()) { // zero-shot: {"sequence", "labels", "scores"}
        const QJsonObject o = json.toObject();
        const QJsonArray labels = o.value(QLatin1String("labels")).toArray();
        const QJsonArray scores = o.value(QLatin1String("scores")).toArray();
        if (labels.isEmpty() || labels.size() != scores.size())
            return false;
        ResultShape::ScoreGroup g;
        for (int i = 0; i < labels.size(); ++i)
            g.items.append({labels.at(i).toString(), scores.at(i).toDouble(), {}});
        std::stable_sort(
            g.items.begin(), g.items.end(),
            [](const ResultShape::Score &a, const ResultShape::Score &b) { return a.score > b.score; });
        out->contextTitle = o.value(QLatin1String("sequence")).toString();
        out->scoreGroups.append(g);
        return true;
    }
    if (!json.isArray() || json.toArray().isEmpty())
        return false;
    const QJsonArray a = json.toArray();

    // sentence-similarity: a list of numbers, one per sentence of the request.
    if (a.first().isDouble()) {
        const QJsonObject in = request.inputs.toObject();
        const QJsonArray sentences = in.value(QLatin1String("sentences")).toArray();
        ResultShape::ScoreGroup g;
        for (int i = 0; i < a.size(); ++i) {
            if (!a.at(i).isDouble())
                return false;
            QString label = sentences.at(i).toString();
            if (label.isEmpty())
                label = tr("Sentence %1").arg(i + 1);
            g.items.append({label, a.at(i).toDouble(), {}});
        }
        std::stable_sort(
            g.items.begin(), g.items.end(),
            [](const ResultShape::Score &x, const ResultShape::Score &y) { return x.score > y.score; });
        const QString source = in.value(QLatin1String("source_sentence")).toString();
        if (!source.isEmpty())
            out->contextTitle = tr("Similarity to: %1").arg(source);
        out->scoreGroups.append(g);
        return true;
    }
    if (allOf(a, isScoreObject)) {
        ResultShape::ScoreGroup g;
        g.items = readList(a);
        out->scoreGroups.append(g);
    } else if (allOf(a, isScoreList)) { // a list per input (text-classification, fill-mask with 2 masks)
        const QJsonArray inputs = request.inputs.toArray();
        for (int i = 0; i < a.size(); ++i) {
            ResultShape::ScoreGroup g;
            g.items = readList(a.at(i).toArray());
            if (a.size() > 1)
                g.title = inputs.at(i).isString() ? inputs.at(i).toString() : tr("Input %1").arg(i + 1);
            out->scoreGroups.append(g);
        }
    } else {
        return false;
    }
    const auto &first = out->scoreGroups.first().items;
    if (!first.isEmpty() && !first.first().sequence.isEmpty())
        out->filledSequence = first.first().sequence;
    return true;
}

bool readEntities(const InferenceRequest &request, const QJsonValue &json, ResultShape *out)
{
    if (!json.isArray())
        return false;
    QJsonArray a = json.toArray();
    if (a.size() == 1 && a.first().isArray()) // a list per input: show the first
        a = a.first().toArray();
    if (!a.isEmpty() && !allOf(a, isEntityObject))
        return false;
    static const QRegularExpression iob(QStringLiteral("^[BIES]-"));
    for (const QJsonValue &v : a) {
        const QJsonObject o = v.toObject();
        ResultShape::Entity e;
        e.group = o.value(QLatin1String("entity_group")).toString();
        if (e.group.isEmpty())
            e.group = o.value(QLatin1String("entity")).toString().remove(iob);
        e.word = o.value(QLatin1String("word")).toString();
        e.score = number(o.value(QLatin1String("score")));
        if (o.value(QLatin1String("start")).isDouble() && o.value(QLatin1String("end")).isDouble()) {
            e.start = o.value(QLatin1String("start")).toInt();
            e.end = o.value(QLatin1String("end")).toInt();
        }
        out->entities.append(e);
    }
    QString text = inputString(request);
    if (text.isEmpty()) { // no input text: rebuild one from the words
        for (auto &e : out->entities) {
            if (!text.isEmpty())
                text += QLatin1Char(' ');
            e.start = int(text.size());
            text += e.word;
            e.end = int(text.size());
        }
    }
    // Offsets missing or outside the text: look the word up after the previous entity.
    int from = 0;
    for (auto &e : out->entities) {
        if (e.start < 0 || e.end > text.size() || e.start >= e.end) {
            const int at =
                e.word.isEmpty() ? -1 : int(text.indexOf(e.word.trimmed(), from, Qt::CaseInsensitive));
            e.start = at;
            e.end = at < 0 ? -1 : at + int(e.word.trimmed().size());
        }
        if (e.end > 0)
            from = e.end;
    }
    out->inputText = text;
    return true;
}

bool readAnswer(const InferenceRequest &request, const QJsonValue &json, ResultShape *out)
{
    QJsonArray list;
    if (json.isObject())
        list.append(json);
    else if (json.isArray())
        list = json.toArray();
    if (list.isEmpty() || !allOf(list, isAnswerObject))
        return false;
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        ResultShape::Answer ans;
        ans.answer = o.value(QLatin1String("answer")).toString();
        ans.score = number(o.value(QLatin1String("score")));
        if (o.value(QLatin1String("start")).isDouble() && o.value(QLatin1String("end")).isDouble()) {
            ans.start = o.value(QLatin1String("start")).toInt();
            ans.end = o.value(QLatin1String("end")).toInt();
        }
        out->answers.append(ans);
    }
    std::stable_sort(out->answers.begin(), out->answers.end(),
                     [](const ResultShape::Answer &x, const ResultShape::Answer &y) {
                         const double a = std::isnan(x.score) ? -1 : x.score;
                         const double b = std::isnan(y.score) ? -1 : y.score;
                         return a > b;
                     });
    const QJsonObject in = request.inputs.toObject();
    out->inputText = in.value(QLatin1String("context")).toString();
    out->contextTitle = in.value(QLatin1String("question")).toString();
    for (auto &ans : out->answers) {
        const bool fits =
            ans.start >= 0 && ans.end <= out->inputText.size() && ans.start < ans.end &&
            out->inputText.mid(ans.start, ans.end - ans.start).trimmed() == ans.answer.trimmed();
        if (!fits && !out->inputText.isEmpty()) {
            const int at = int(out->inputText.indexOf(ans.answer.trimmed(), 0, Qt::CaseInsensitive));
            ans.start = at;
            ans.end = at < 0 ? -1 : at + int(ans.answer.trimmed().size());
        } else if (!fits) {
            ans.start = ans.end = -1;
        }
    }
    return true;
}

bool readTableAnswer(const InferenceRequest &request, const QJsonValue &json, ResultShape *out)
{
    QJsonObject o = json.toObject();
    if (json.isArray() && json.toArray().size() == 1)
        o = json.toArray().first().toObject();
    if (!o.value(QLatin1String("answer")).isString())
        return false;
    ResultShape::TableAnswer &t = out->table;
    t.answer = o.value(QLatin1String("answer")).toString();
    t.aggregator = o.value(QLatin1String("aggregator")).toString();
    for (const QJsonValue &c : o.value(QLatin1String("coordinates")).toArray()) {
        const QJsonArray rc = c.toArray();
        if (rc.size() == 2)
            t.coordinates.append({rc.at(0).toInt(), rc.at(1).toInt()});
    }
    for (const QJsonValue &c : o.value(QLatin1String("cells")).toArray())
        t.cells.append(c.toString());
    // The request's table: {column: [cells]}.
    const QJsonObject in = request.inputs.toObject();
    const QJsonObject table = in.value(QLatin1String("table")).toObject();
    out->contextTitle = in.value(QLatin1String("query")).toString();
    int rowCount = 0;
    for (auto it = table.begin(); it != table.end(); ++it) {
        t.columns.append(it.key());
        rowCount = std::max(rowCount, int(it.value().toArray().size()));
    }
    for (int r = 0; r < rowCount; ++r) {
        QStringList row;
        for (const QString &col : std::as_const(t.columns)) {
            const QJsonValue cell = table.value(col).toArray().at(r);
            row.append(cell.isString()   ? cell.toString()
                       : cell.isDouble() ? QString::number(cell.toDouble())
                                         : QString());
        }
        t.rows.append(row);
    }
    return true;
}

bool readBoxes(const QJsonValue &json, ResultShape *out)
{
    if (!json.isArray())
        return false;
    const QJsonArray a = json.toArray();
    if (!a.isEmpty() && !allOf(a, isBoxObject))
        return false;
    for (const QJsonValue &v : a) {
        const QJsonObject o = v.toObject();
        const QJsonObject b = o.value(QLatin1String("box")).toObject();
        ResultShape::Box box;
        box.label = o.value(QLatin1String("label")).toString();
        box.score = number(o.value(QLatin1String("score")));
        const double x0 = b.value(QLatin1String("xmin")).toDouble();
        const double y0 = b.value(QLatin1String("ymin")).toDouble();
        const double x1 = b.value(QLatin1String("xmax")).toDouble();
        const double y1 = b.value(QLatin1String("ymax")).toDouble();
        box.rect = QRectF(QPointF(x0, y0), QPointF(x1, y1)).normalized();
        out->boxes.append(box);
    }
    return true;
}

bool readMasks(const QJsonValue &json, ResultShape *out)
{
    if (!json.isArray())
        return false;
    const QJsonArray a = json.toArray();
    if (!a.isEmpty() && !allOf(a, isMaskObject))
        return false;
    for (const QJsonValue &v : a) {
        const QJsonObject o = v.toObject();
        ResultShape::Mask m;
        m.label = o.value(QLatin1String("label")).toString();
        m.score = number(o.value(QLatin1String("score")));
        bool ok = false;
        m.png = fromBase64(o.value(QLatin1String("mask")).toString(), &ok);
        if (!ok) {
            out->problem = tr("The mask of \"%1\" is not valid base64.").arg(m.label);
            out->masks.clear();
            return false;
        }
        out->masks.append(m);
    }
    return true;
}

bool readImageJson(const QJsonValue &json, ResultShape *out)
{
    // Providers wrap images in JSON: {"images": [{"image": b64}]}, {"data": [{"b64_json": b64}]}.
    const QJsonObject o = json.toObject();
    QStringList encoded;
    for (const QJsonValue &v : o.value(QLatin1String("images")).toArray())
        if (v.toObject().value(QLatin1String("image")).isString())
            encoded.append(v.toObject().value(QLatin1String("image")).toString());
    for (const QJsonValue &v : o.value(QLatin1String("data")).toArray())
        if (v.toObject().value(QLatin1String("b64_json")).isString())
            encoded.append(v.toObject().value(QLatin1String("b64_json")).toString());
    for (const QString &e : std::as_const(encoded)) {
        bool ok = false;
        const QByteArray bytes = fromBase64(e, &ok);
        const QString mime = ResultShape::sniffMime(bytes);
        if (ok && mime.startsWith(QLatin1String("image/")))
            out->media.append({QString(), bytes, mime});
    }
    return !out->media.isEmpty();
}

bool readAudioJson(const QJsonValue &json, ResultShape *out)
{
    // audio-to-audio: [{"label", "blob": b64, "content-type"}]
    if (!json.isArray() || !allOf(json.toArray(), isAudioBlobObject))
        return false;
    for (const QJsonValue &v : json.toArray()) {
        const QJsonObject o = v.toObject();
        bool ok = false;
        const QByteArray bytes = fromBase64(o.value(QLatin1String("blob")).toString(), &ok);
        if (!ok)
            return false;
        QString mime = o.value(QLatin1String("content-type")).toString();
        if (mime.isEmpty())
            mime = ResultShape::sniffMime(bytes);
        out->media.append({o.value(QLatin1String("label")).toString(), bytes, mime});
    }
    return true;
}

// Tokens used, as a chat, completions or TGI answer reports them (read by the core's assembler).
ChatStreamAssembler::Usage usageOf(const QJsonValue &answer)
{
    ChatStreamAssembler assembler;
    assembler.readAnswer(answer);
    return assembler.usage();
}

bool readText(const QJsonValue &json, ResultShape *out)
{
    out->usage = usageOf(json);
    QJsonObject o = json.toObject();
    const QJsonObject completion = completionChoice(json);
    if (!completion.isEmpty()) { // text generation on the completions route
        out->text = completion.value(QLatin1String("text")).toString();
        out->finishReason = completion.value(QLatin1String("finish_reason")).toString();
        return true;
    }
    if (json.isArray()) {
        const QJsonArray a = json.toArray();
        if (a.isEmpty() || !allOf(a, hasTextField))
            return false;
        if (a.size() > 1) { // several sequences (num_return_sequences): one after the other
            QStringList parts;
            for (const QJsonValue &v : a)
                parts.append(textFieldOf(v.toObject()));
            out->text = parts.join(QLatin1String("\n\n"));
            return true;
        }
        o = a.first().toObject();
    } else if (json.isString()) {
        out->text = json.toString();
        return true;
    }
    if (!hasTextField(o))
        return false;
    out->text = textFieldOf(o);
    out->finishReason =
        o.value(QLatin1String("details")).toObject().value(QLatin1String("finish_reason")).toString();
    for (const QJsonValue &c : o.value(QLatin1String("chunks")).toArray()) {
        const QJsonObject co = c.toObject();
        const QJsonArray ts = co.value(QLatin1String("timestamp")).toArray();
        ResultShape::Segment s;
        s.start = ts.at(0).isDouble() ? ts.at(0).toDouble() : -1;
        s.end = ts.at(1).isDouble() ? ts.at(1).toDouble() : -1;
        s.text = co.value(QLatin1String("text")).toString();
        out->segments.append(s);
    }
    return true;
}

bool readChat(const QJsonValue &json, ResultShape *out)
{
    const QJsonArray choices = json.toObject().value(QLatin1String("choices")).toArray();
    if (choices.isEmpty())
        return false;
    out->usage = usageOf(json);
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject message = choice.value(QLatin1String("message")).toObject();
    out->role = message.value(QLatin1String("role")).toString();
    out->text = message.value(QLatin1String("content")).toString();
    if (message.value(QLatin1String("tool_calls")).isArray()) {
        // Tool calls: show them as readable JSON under the content.
        const QByteArray calls = QJsonDocument(message.value(QLatin1String("tool_calls")).toArray())
                                     .toJson(QJsonDocument::Indented);
        if (!out->text.isEmpty())
            out->text += QLatin1String("\n\n");
        out->text += tr("Tool calls:") + QLatin1Char('\n') + QString::fromUtf8(calls);
    }
    if (out->text.isEmpty() && choice.value(QLatin1String("text")).isString())
        out->text = choice.value(QLatin1String("text")).toString();
    out->finishReason = choice.value(QLatin1String("finish_reason")).toString();
    return true;
}

struct VectorWalk
{
    ResultShape::Vectors *v;
    double sum = 0;
    bool first = true;

    bool walk(const QJsonArray &a, int depth)
    {
        if (depth > 8)
            return false;
        if (v->shape.size() <= depth)
            v->shape.append(a.size());
        else if (v->shape.at(depth) != a.size())
            v->ragged = true;
        if (a.isEmpty())
            return true;
        if (a.first().isDouble()) { // a row of numbers
            double norm = 0;
            QList<double> firstValues;
            for (const QJsonValue &x : a) {
                if (!x.isDouble())
                    return false;
                const double d = x.toDouble();
                norm += d * d;
                sum += d;
                if (first) {
                    v->min = v->max = d;
                    first = false;
                }
                v->min = std::min(v->min, d);
                v->max = std::max(v->max, d);
                if (firstValues.size() < ResultShape::Vectors::maxValues &&
                    v->firstValues.size() < ResultShape::Vectors::maxRows)
                    firstValues.append(d);
            }
            v->count += a.size();
            if (v->rowNorms.size() < ResultShape::Vectors::maxRows) {
                v->rowNorms.append(std::sqrt(norm));
                v->firstValues.append(firstValues);
            }
            ++v->rowCount;
            return true;
        }
        for (const QJsonValue &x : a)
            if (!x.isArray() || !walk(x.toArray(), depth + 1))
                return false;
        return true;
    }
};

bool readVectors(const QJsonValue &json, ResultShape *out)
{
    if (json.isDouble()) {
        out->vectors.count = 1;
        out->vectors.rowCount = 1;
        out->vectors.min = out->vectors.max = out->vectors.mean = json.toDouble();
        out->vectors.rowNorms = {std::abs(json.toDouble())};
        out->vectors.firstValues = {{json.toDouble()}};
        return true;
    }
    if (!isNumberTree(json))
        return false;
    VectorWalk w{&out->vectors};
    if (!w.walk(json.toArray(), 0)) {
        out->vectors = {};
        return false;
    }
    out->vectors.mean = out->vectors.count ? w.sum / double(out->vectors.count) : 0;
    return true;
}

// text/event-stream: text-generation tokens ({"token": {"text"}, "generated_text"}), completions chunks
// ({"choices": [{"text"}]}: text) or chat chunks ({"choices": [{"delta": {"content"}}]}).
} // namespace

bool readStream(const QByteArray &body, ResultShape *out)
{
    // Every stream dialect (chat deltas, completions chunks, TGI tokens) is read by the core's assembler.
    ChatStreamAssembler answer;
    answer.feedBytes(body);
    answer.finishBytes();
    if (answer.dialect() == ChatStreamAssembler::Dialect::Unknown)
        return false;
    const bool chat = answer.dialect() == ChatStreamAssembler::Dialect::Chat;
    out->kind = chat ? QStringLiteral("chat") : QStringLiteral("text");
    if (chat)
        out->role = answer.role();
    out->text = answer.generatedText().isEmpty() ? answer.content() : answer.generatedText();
    out->finishReason = answer.finishReason();
    out->usage = answer.usage();
    return true;
}

bool readKind(const QString &kind, const InferenceRequest &request, const QJsonValue &json, ResultShape *out)
{
    if (kind == QLatin1String("scores"))
        return readScores(request, json, out);
    if (kind == QLatin1String("entities"))
        return readEntities(request, json, out);
    if (kind == QLatin1String("answer"))
        return readAnswer(request, json, out);
    if (kind == QLatin1String("table-answer"))
        return readTableAnswer(request, json, out);
    if (kind == QLatin1String("boxes"))
        return readBoxes(json, out);
    if (kind == QLatin1String("masks"))
        return readMasks(json, out);
    if (kind == QLatin1String("image"))
        return readImageJson(json, out);
    if (kind == QLatin1String("audio"))
        return readAudioJson(json, out);
    if (kind == QLatin1String("text"))
        return readText(json, out);
    if (kind == QLatin1String("chat"))
        return readChat(json, out) || readText(json, out); // non-chat models answer [{"generated_text"}]
    if (kind == QLatin1String("vectors"))
        return readVectors(json, out);
    return false;
}

QString kindLabel(const QString &kind)
{
    static const QHash<QString, const char *> labels = {
        {QStringLiteral("scores"), QT_TRANSLATE_NOOP("ResultShape", "labels with scores")},
        {QStringLiteral("entities"), QT_TRANSLATE_NOOP("ResultShape", "entities")},
        {QStringLiteral("answer"), QT_TRANSLATE_NOOP("ResultShape", "an answer")},
        {QStringLiteral("table-answer"), QT_TRANSLATE_NOOP("ResultShape", "a table answer")},
        {QStringLiteral("boxes"), QT_TRANSLATE_NOOP("ResultShape", "boxes")},
        {QStringLiteral("masks"), QT_TRANSLATE_NOOP("ResultShape", "masks")},
        {QStringLiteral("image"), QT_TRANSLATE_NOOP("ResultShape", "an image")},
        {QStringLiteral("audio"), QT_TRANSLATE_NOOP("ResultShape", "audio")},
        {QStringLiteral("text"), QT_TRANSLATE_NOOP("ResultShape", "text")},
        {QStringLiteral("chat"), QT_TRANSLATE_NOOP("ResultShape", "a chat message")},
        {QStringLiteral("vectors"), QT_TRANSLATE_NOOP("ResultShape", "vectors")},
    };
    const char *label = labels.value(kind);
    return label ? tr(label) : kind;
}

} // namespace idesk::ResultShapeReaders
