#include "ChatTranscript.h"

#include "ChatImages.h"
#include "LocalFile.h"

#include <QCoreApplication>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QUrl>

namespace idesk::ChatTranscript {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ChatTranscript", text);
}

QString roleTitle(const QString &role)
{
    if (role == QLatin1String("system") || role == QLatin1String("developer"))
        return tr("System");
    if (role == QLatin1String("assistant"))
        return tr("Assistant");
    if (role == QLatin1String("tool"))
        return tr("Tool result");
    return tr("User");
}

void insertHeading(QTextCursor &cursor, const QString &title, bool first)
{
    if (!first)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
    QTextCharFormat bold;
    bold.setFontWeight(QFont::Bold);
    cursor.insertText(title, bold);
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
}

void insertMarkdown(QTextCursor &cursor, const QString &markdown)
{
    if (!markdown.trimmed().isEmpty())
        cursor.insertFragment(QTextDocumentFragment::fromMarkdown(markdown));
}

// Thumbnails of a turn's images, each with its type and size (a web image by its address).
void insertImages(QTextBrowser *view, QTextCursor &cursor, const QStringList &urls, int *counter)
{
    for (const QString &url : urls) {
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
        QByteArray bytes;
        QString mime;
        QImage image;
        if (ChatImages::decodeDataUri(url, &bytes, &mime))
            image = QImage::fromData(bytes);
        if (image.isNull()) {
            cursor.insertText(tr("[image: %1]").arg(ChatImages::isWebUrl(url) ? url : tr("not readable")));
            continue;
        }
        const QUrl name(QStringLiteral("idesk-thumbnail:%1").arg((*counter)++));
        view->document()->addResource(
            QTextDocument::ImageResource, name,
            image.scaled(thumbnailSide, thumbnailSide, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        QTextImageFormat format;
        format.setName(name.toString());
        cursor.insertImage(format);
        cursor.insertText(QStringLiteral("  %1 · %2×%3 · %4")
                              .arg(mime.section(QLatin1Char('/'), 1).toUpper())
                              .arg(image.width())
                              .arg(image.height())
                              .arg(LocalFile::humanSize(bytes.size())));
    }
}
} // namespace

bool fill(QTextBrowser *view, const QJsonValue &messages)
{
    view->clear();
    const QJsonArray list = messages.isString()
                                ? QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                         {QStringLiteral("content"), messages.toString()}}}
                                : messages.toArray();
    if (list.isEmpty())
        return false;
    QTextCursor cursor(view->document());
    int counter = 0;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject m = list.at(i).toObject();
        const QString role = m.value(QStringLiteral("role")).toString();
        const QJsonValue content = m.value(QStringLiteral("content"));
        QString title = roleTitle(role);
        if (role == QLatin1String("tool") && m.contains(QStringLiteral("tool_call_id")))
            title = tr("Tool result (%1)").arg(m.value(QStringLiteral("tool_call_id")).toString());
        insertHeading(cursor, title, i == 0);
        insertMarkdown(cursor, ChatImages::textOf(content));
        insertImages(view, cursor, ChatImages::imageUrlsOf(content), &counter);
        for (const QJsonValue &call : m.value(QStringLiteral("tool_calls")).toArray()) {
            const QJsonObject function = call.toObject().value(QStringLiteral("function")).toObject();
            const QString arguments = function.value(QStringLiteral("arguments")).toString();
            insertMarkdown(cursor,
                           tr("Called **%1**").arg(function.value(QStringLiteral("name")).toString()) +
                               QStringLiteral("\n\n```json\n%1\n```\n").arg(arguments));
        }
    }
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
    return true;
}

} // namespace idesk::ChatTranscript
