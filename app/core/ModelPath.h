#pragma once

#include <QString>
#include <QUrl>

namespace idesk {

// A model id as path segments of a request URL, shared by every route (per-model, pipeline, chat,
// completions) so the app and the CLI refuse the same ids and build the same URLs.
namespace ModelPath {

// "" when `model` can stand in a URL path; else a sentence saying what is wrong and what to do. Refused:
// "." or ".." segments (Qt would resolve them and the request, token included, would go elsewhere on the
// server: ../../admin), empty segments, backslashes, percent-encoded dots or slashes, control characters.
QString problem(const QString &model);

// `base` with `path` ("owner/name/v1/completions": segments separated by '/', each percent-encoded except
// for the characters in `keep`) appended to its path; the base's query is kept, a fragment dropped.
// Invalid when `base` is.
QUrl append(const QUrl &base, const QString &path, const QByteArray &keep = QByteArrayLiteral(":"));

} // namespace ModelPath

} // namespace idesk
