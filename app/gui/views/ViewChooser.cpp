#include "ViewChooser.h"

#include "AnswerView.h"
#include "AudioResultView.h"
#include "BoxesView.h"
#include "EntitiesView.h"
#include "ErrorView.h"
#include "ImageResultView.h"
#include "JsonTreeView.h"
#include "MasksView.h"
#include "RawView.h"
#include "ResultShape.h"
#include "ScoresView.h"
#include "TableAnswerView.h"
#include "TextResultView.h"
#include "VectorsView.h"

namespace idesk {

QString ViewChooser::kindFor(const ResultShape &shape)
{
    return kinds().contains(shape.kind) ? shape.kind : QStringLiteral("json");
}

QStringList ViewChooser::kinds()
{
    return {QStringLiteral("scores"),       QStringLiteral("entities"), QStringLiteral("answer"),
            QStringLiteral("table-answer"), QStringLiteral("boxes"),    QStringLiteral("masks"),
            QStringLiteral("image"),        QStringLiteral("audio"),    QStringLiteral("text"),
            QStringLiteral("chat"),         QStringLiteral("vectors"),  QStringLiteral("json"),
            QStringLiteral("error"),        QStringLiteral("raw")};
}

ResultRenderer *ViewChooser::create(const QString &kind, QWidget *parent)
{
    if (kind == QLatin1String("scores"))
        return new ScoresView(parent);
    if (kind == QLatin1String("entities"))
        return new EntitiesView(parent);
    if (kind == QLatin1String("answer"))
        return new AnswerView(parent);
    if (kind == QLatin1String("table-answer"))
        return new TableAnswerView(parent);
    if (kind == QLatin1String("boxes"))
        return new BoxesView(parent);
    if (kind == QLatin1String("masks"))
        return new MasksView(parent);
    if (kind == QLatin1String("image"))
        return new ImageResultView(parent);
    if (kind == QLatin1String("audio"))
        return new AudioResultView(parent);
    if (kind == QLatin1String("text") || kind == QLatin1String("chat"))
        return new TextResultView(parent);
    if (kind == QLatin1String("vectors"))
        return new VectorsView(parent);
    if (kind == QLatin1String("error"))
        return new ErrorView(parent);
    if (kind == QLatin1String("raw"))
        return new RawView(parent);
    return new JsonTreeView(parent);
}

} // namespace idesk
