#pragma once

#include "ResultRenderer.h"

class QTreeWidget;
class QTreeWidgetItem;

namespace idesk {

class ImageCanvas;

// Object detection: the input image with labelled boxes, one colour per label; hovering a box selects
// its row and hovering a row highlights its box.
class BoxesView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit BoxesView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("boxes"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return m_copy; }

    int boxCount() const;
    ImageCanvas *canvas() const { return m_canvas; }
    QTreeWidget *list() const { return m_list; }

private:
    void highlightRow(int index);

    ImageCanvas *m_canvas = nullptr;
    QTreeWidget *m_list = nullptr;
    QString m_copy;
};

} // namespace idesk
