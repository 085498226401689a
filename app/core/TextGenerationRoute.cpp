#include "TextGenerationRoute.h"

#include "InferenceRequest.h"

#include <QUrl>

namespace idesk {

QString textGenerationRouteId(TextGenerationRoute route)
{
    return route == TextGenerationRoute::Completions ? QStringLiteral("completions")
                                                     : QStringLiteral("model");
}

std::optional<TextGenerationRoute> textGenerationRouteFromId(const QString &id)
{
    const QString word = id.trimmed().toLower();
    if (word == QLatin1String("model"))
        return TextGenerationRoute::Model;
    if (word == QLatin1String("completions"))
        return TextGenerationRoute::Completions;
    return std::nullopt;
}

QString textGenerationRouteShape(TextGenerationRoute route)
{
    return route == TextGenerationRoute::Completions ? QStringLiteral("{endpoint}/{model}/v1/completions")
                                                     : QStringLiteral("{endpoint}/{model}");
}

TextGenerationRoute defaultTextGenerationRoute(const QString &endpoint)
{
    const QString e = endpoint.trimmed().isEmpty() ? InferenceRequest::defaultEndpoint() : endpoint.trimmed();
    const bool router =
        QUrl(e).host().compare(QLatin1String("router.huggingface.co"), Qt::CaseInsensitive) == 0;
    return router ? TextGenerationRoute::Completions : TextGenerationRoute::Model;
}

bool hasTextGenerationRoutes(const QString &taskId)
{
    return taskId == QLatin1String("text-generation");
}

} // namespace idesk
