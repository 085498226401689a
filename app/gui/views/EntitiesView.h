#pragma once

#include "ResultRenderer.h"

class QLabel;
class QTextBrowser;
class QTreeWidget;

namespace idesk {

// The input text with each entity highlighted in a colour per entity group, group and score on hover,
// a legend, and the entities as a list.
class EntitiesView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit EntitiesView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("entities"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return m_copy; }

    int highlightedSpanCount() const { return m_spans; }
    QStringList legendGroups() const { return m_groups; }
    QTextBrowser *textView() const { return m_text; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QTextBrowser *m_text = nullptr;
    QLabel *m_legend = nullptr;
    QTreeWidget *m_list = nullptr;
    QString m_copy;
    QStringList m_groups;
    int m_spans = 0;
};

} // namespace idesk
