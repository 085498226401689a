#pragma once

#include "ResultRenderer.h"

class QLabel;
class QTableView;

namespace idesk {

class VectorRowsModel;

// Feature extraction: the shape, statistics, each row's norm and first values; copy as JSON.
class VectorsView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit VectorsView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("vectors"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return QString::fromUtf8(m_json); }

    QString shapeText() const { return m_shapeText; } // "1 × 7 × 768"
    int rowCount() const;
    static constexpr int maxTableRows = 200;

private:
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    VectorRowsModel *m_rows = nullptr; // the rows shown (formatted as drawn)
    QByteArray m_json;                 // the answer as received, converted only when copied
    QString m_shapeText;
};

} // namespace idesk
