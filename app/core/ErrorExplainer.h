#pragma once

#include "InferenceResult.h"

#include "InferenceRequest.h"

#include <QDateTime>
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

// ---- Advice for answers that are not what they claim (ErrorExplainerAdvice.cpp) ----

// True when the body is an HTML page (by its content type or its first bytes).
bool looksLikeHtml(const QByteArray &body, const QString &contentType);

// "599" or "501 Not Implemented": the status and its reason phrase when there is one.
QString statusText(int status, const QByteArray &reason);

// A 3xx answer left as the answer (the client did not follow it): where it pointed and why it was not
// followed (https to http, another origin, no Location, too many redirects).
QString explainRedirect(const InferenceResult &result);

// A web page answering 404/405/501 or a 2xx: the server is not an inference API, so the endpoint is
// likely wrong. "" when the answer is not an HTML page (or has another status).
QString explainWebPage(const InferenceResult &result);

// Advice from a Retry-After value, delta-seconds ("120") or an HTTP date ("Wed, 21 Oct 2099 07:28:00
// GMT"), against `now`: "try again in 30 s", "try again after 07:28 (in 12 min)". "" when unreadable.
QString retryAfterAdvice(const QByteArray &retryAfter, const QDateTime &now);

// Why `endpoint` is not a usable http(s) URL: a port out of range, no host, another scheme... as one
// sentence that also names `defaultEndpoint`.
QString explainBadEndpoint(const QString &endpoint, const QString &defaultEndpoint);

// A 2xx answer that cannot be the API's answer: an empty body, a body sent in chunks that broke off (a
// network failure), a web page. Returns the outcome it really is (Success when the answer is usable) and
// sets *message to a sentence saying what to do.
InferenceResult::Outcome judgeAnswer(const InferenceResult &result, QString *message);

} // namespace ErrorExplainer
} // namespace idesk
