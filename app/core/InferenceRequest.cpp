#include "InferenceRequest.h"

#include "ServiceBases.h"

#include <QUrl>

namespace idesk {

bool InferenceRequest::usesRetiredEndpoint() const
{
    return QUrl(endpoint.trimmed()).host().compare(retiredHost(), Qt::CaseInsensitive) == 0;
}

QString InferenceRequest::effectiveEndpoint() const
{
    if (endpoint.trimmed() == defaultEndpoint())
        return ServiceBases::router() + QStringLiteral("/hf-inference/models");
    return endpoint;
}

QString InferenceRequest::migratedEndpoint(const QString &endpoint)
{
    const QUrl url(endpoint.trimmed());
    if (url.host().compare(retiredHost(), Qt::CaseInsensitive) != 0)
        return endpoint;
    // https://api-inference.huggingface.co/models            -> .../hf-inference/models
    // https://api-inference.huggingface.co/pipeline/<task>   -> .../hf-inference/models
    return defaultEndpoint();
}

} // namespace idesk
