#include "ProviderHelper.h"

#include "RequestEncoder.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace idesk {

// One per provider file.
const ProviderHelper &falAiProvider();
const ProviderHelper &replicateProvider();
const ProviderHelper &togetherProvider();
const ProviderHelper &nscaleProvider();
const ProviderHelper &wavespeedProvider();
const ProviderHelper &novitaProvider();
const ProviderHelper &scalewayProvider();
const ProviderHelper &hfInferenceProvider();

namespace {
QList<const ProviderHelper *> all()
{
    return {&falAiProvider(),     &hfInferenceProvider(), &novitaProvider(),   &nscaleProvider(),
            &replicateProvider(), &scalewayProvider(),    &togetherProvider(), &wavespeedProvider()};
}
} // namespace

QUrl ProviderCall::routed(const QString &path) const
{
    return QUrl(router + QLatin1Char('/') + mapping.provider + path);
}

ProviderStep ProviderStep::done(const QByteArray &body, const QString &contentType)
{
    ProviderStep s;
    s.kind = Kind::Done;
    s.answer = body;
    s.contentType = contentType;
    return s;
}

ProviderStep ProviderStep::doneJson(const QJsonValue &value)
{
    const QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return done(doc.toJson(QJsonDocument::Compact), QStringLiteral("application/json"));
}

ProviderStep ProviderStep::poll(const QUrl &url, const QString &stage, const QString &state, int delayMs)
{
    ProviderStep s;
    s.kind = Kind::Poll;
    s.url = url;
    s.stage = stage;
    s.state = state;
    s.delayMs = delayMs;
    return s;
}

ProviderStep ProviderStep::download(const QUrl &url)
{
    ProviderStep s;
    s.kind = Kind::Download;
    s.url = url;
    s.stage = QStringLiteral("download");
    return s;
}

ProviderStep ProviderStep::fail(const QString &error)
{
    ProviderStep s;
    s.kind = Kind::Fail;
    s.error = error;
    return s;
}

const ProviderHelper *ProviderHelper::find(const QString &provider)
{
    for (const ProviderHelper *h : all())
        if (h->name() == provider)
            return h;
    return nullptr;
}

QStringList ProviderHelper::providers()
{
    QStringList names;
    for (const ProviderHelper *h : all())
        names << h->name();
    names.sort();
    return names;
}

QStringList ProviderHelper::providersFor(const QString &task)
{
    QStringList names;
    for (const ProviderHelper *h : all())
        if (h->supports(task))
            names << h->name();
    names.sort();
    return names;
}

EncodedRequest ProviderHelper::jsonPost(const QUrl &url, const QJsonObject &body)
{
    EncodedRequest e;
    e.method = "POST";
    e.url = url;
    e.setHeader("Content-Type", "application/json");
    e.setHeader("User-Agent", RequestEncoder::userAgent());
    e.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return e;
}

QString ProviderHelper::dataUrl(const QByteArray &bytes, const QString &mimeType)
{
    return QStringLiteral("data:%1;base64,%2").arg(mimeType, QString::fromLatin1(bytes.toBase64()));
}

QJsonObject ProviderHelper::renamed(const QJsonObject &parameters,
                                    const QList<QPair<QString, QString>> &renames)
{
    QJsonObject out = parameters;
    for (const auto &[from, to] : renames)
        if (out.contains(from)) {
            out.insert(to, out.value(from));
            out.remove(from);
        }
    return out;
}

QString ProviderHelper::promptOf(const InferenceRequest &request)
{
    return request.inputs.isString() ? request.inputs.toString() : QString();
}

bool ProviderHelper::answerObject(const InferenceResult &answer, const QString &what, QJsonObject *object,
                                  ProviderStep *failure)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(answer.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        *failure = ProviderStep::fail(
            QCoreApplication::translate("ProviderHelper",
                                        "%1 answered something that is not a JSON object (%2 bytes of %3); "
                                        "try again, or look at it with --format raw.")
                .arg(what)
                .arg(answer.body.size())
                .arg(answer.contentType.isEmpty() ? QStringLiteral("unknown type") : answer.contentType));
        return false;
    }
    *object = doc.object();
    return true;
}

ProviderStep ProviderHelper::imagesAnswer(const QJsonObject &answer, const QString &what)
{
    const QJsonObject first = answer.value(QStringLiteral("data")).toArray().first().toObject();
    if (first.value(QStringLiteral("b64_json")).isString())
        return ProviderStep::done(
            QByteArray::fromBase64(first.value(QStringLiteral("b64_json")).toString().toLatin1()),
            QStringLiteral("image/jpeg"));
    if (isFileUrl(first.value(QStringLiteral("url")).toString()))
        return ProviderStep::download(QUrl(first.value(QStringLiteral("url")).toString()));
    return ProviderStep::fail(
        QCoreApplication::translate("ProviderHelper", "%1's answer holds no image (expected data[0].b64_json "
                                                      "or data[0].url); see --format raw.")
            .arg(what));
}

ProviderStep ProviderHelper::embeddingsAnswer(const QJsonObject &answer, const QString &what)
{
    QJsonArray vectors;
    const QJsonValue data = answer.value(QStringLiteral("data"));
    for (const QJsonValue &item : data.toArray()) {
        if (!item.toObject().value(QStringLiteral("embedding")).isArray()) {
            vectors = QJsonArray();
            break;
        }
        vectors.append(item.toObject().value(QStringLiteral("embedding")));
    }
    if (vectors.isEmpty())
        return ProviderStep::fail(QCoreApplication::translate("ProviderHelper",
                                                              "%1's answer holds no embeddings (expected "
                                                              "data[].embedding); see --format raw.")
                                      .arg(what));
    return ProviderStep::doneJson(vectors);
}

bool ProviderHelper::isFileUrl(const QString &text)
{
    const QUrl url(text);
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"));
}

} // namespace idesk
