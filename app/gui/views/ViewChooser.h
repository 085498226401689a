#pragma once

#include <QString>
#include <QStringList>

class QWidget;

namespace idesk {

class ResultRenderer;
struct ResultShape;

// Picks the renderer for a read answer: the shape's kind (the task's view, or the kind guessed from
// the answer's shape, or "json"), and creates it.
class ViewChooser
{
public:
    static QString kindFor(const ResultShape &shape);
    // Every kind create() knows.
    static QStringList kinds();
    // A new renderer for `kind`; an unknown kind gets the JSON tree, never nothing.
    static ResultRenderer *create(const QString &kind, QWidget *parent);
};

} // namespace idesk
