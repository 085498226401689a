#pragma once

#include "ResultRenderer.h"

class QLabel;
class QTableWidget;

namespace idesk {

// Table question answering: the answer, its aggregator, and the request's table with the answer cells
// highlighted.
class TableAnswerView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit TableAnswerView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("table-answer"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return m_copy; }

    int highlightedCellCount() const { return m_highlighted; }
    QTableWidget *table() const { return m_table; }

private:
    QLabel *m_query = nullptr;
    QLabel *m_answer = nullptr;
    QLabel *m_detail = nullptr;
    QTableWidget *m_table = nullptr;
    QString m_copy;
    int m_highlighted = 0;
};

} // namespace idesk
