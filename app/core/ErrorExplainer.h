#pragma once

#include "InferenceResult.h"

#include "InferenceRequest.h"

#include <QNetworkReply>
#include <QString>

namespace idesk {

// Turns an error answer or a network failure into a sentence for a person that says what to do.
// Reads {"error": string|[...]}, {"error": {"message"}}, {"message"}, {"detail"}, text/plain and
// HTML pages (their <title>/<h1>).
namespace ErrorExplainer {

// The server's own message from an error body, "" if none can be found.
QString serverMessage(const QByteArray &body, const QString &contentType);

// Fills result->errorMessage (and serverMessage) for an HTTP error status already in *result.
// `asked`, when known, is the request that was sent: some advice depends on its task and route.
void explainHttp(InferenceResult *result, const InferenceRequest *asked = nullptr);

// A 401 to a request that carried no token: says so instead of "the token was refused". `withheldReason`
// is "" when there is no token at all (then: where to set one), else why the token was kept back
// (TokenPolicy::refusalReason). Replaces result->errorMessage; the server's words stay quoted.
void explainUnauthorizedWithoutToken(InferenceResult *result, const QString &withheldReason);

// Message for a transport failure on `url` (DNS, refused, TLS...).
QString explainNetwork(QNetworkReply::NetworkError error, const QString &qtMessage, const QUrl &url);

} // namespace ErrorExplainer
} // namespace idesk
