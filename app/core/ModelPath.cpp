#include "ModelPath.h"

#include <QCoreApplication>
#include <QStringList>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ModelPath", text);
}
} // namespace

QString ModelPath::problem(const QString &model)
{
    const auto refuse = [&model](const QString &why) {
        return tr("\"%1\" cannot be a model id: %2 Use the id as the Hub shows it, e.g. owner/name.")
            .arg(model, why);
    };
    for (const QChar c : model) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return refuse(tr("it has a control character."));
    }
    if (model.contains(QLatin1Char('\\')))
        return refuse(tr("it has a backslash."));
    if (model.contains(QLatin1String("%2e"), Qt::CaseInsensitive) ||
        model.contains(QLatin1String("%2f"), Qt::CaseInsensitive) ||
        model.contains(QLatin1String("%5c"), Qt::CaseInsensitive))
        return refuse(tr("it has a percent-encoded dot or slash."));
    const QStringList segments = model.split(QLatin1Char('/'));
    for (const QString &segment : segments) {
        if (segment.isEmpty())
            return refuse(tr("it has an empty part between slashes (or a slash at its start or end)."));
        if (segment == QLatin1String(".") || segment == QLatin1String(".."))
            return refuse(tr("a part of it is \"%1\", which would move the request to another path on the "
                             "server.")
                              .arg(segment));
    }
    return QString();
}

QUrl ModelPath::append(const QUrl &base, const QString &path, const QByteArray &keep)
{
    if (!base.isValid())
        return QUrl();
    QString encoded = base.path(QUrl::FullyEncoded);
    while (encoded.endsWith(QLatin1Char('/')))
        encoded.chop(1);
    for (const QString &segment : path.split(QLatin1Char('/')))
        encoded += QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(segment, keep));
    QUrl url = base;
    url.setFragment(QString());
    url.setPath(encoded, QUrl::StrictMode);
    return url;
}

} // namespace idesk
