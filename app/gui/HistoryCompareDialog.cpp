#include "HistoryCompareDialog.h"

#include "JsonDiff.h"
#include "ResultView.h"
#include "ui_HistoryCompareDialog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace idesk {

namespace {
// The answer as JSON: its document, or its text as one string when it is not JSON.
QJsonValue answerJson(const InferenceResult &result)
{
    const QJsonDocument doc = QJsonDocument::fromJson(result.body);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return result.isBinary()
               ? QJsonValue(QStringLiteral("(%1, %2 bytes)").arg(result.contentType).arg(result.body.size()))
               : QJsonValue(result.text());
}
} // namespace

HistoryCompareDialog::HistoryCompareDialog(const SavedResult &left, const QString &leftTitle,
                                           const SavedResult &right, const QString &rightTitle,
                                           QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::HistoryCompareDialog>())
{
    m_ui->setupUi(this);
    m_ui->leftTitle->setText(leftTitle);
    m_ui->rightTitle->setText(rightTitle);
    m_ui->leftView->setResult(left.request, left.result);
    m_ui->rightView->setResult(right.request, right.result);
    m_ui->difference->setPlainText(
        JsonDiff::describe(JsonDiff::diff(answerJson(left.result), answerJson(right.result))));
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
}

HistoryCompareDialog::~HistoryCompareDialog() = default;

ResultView *HistoryCompareDialog::leftView() const
{
    return m_ui->leftView;
}

ResultView *HistoryCompareDialog::rightView() const
{
    return m_ui->rightView;
}

QString HistoryCompareDialog::differenceText() const
{
    return m_ui->difference->toPlainText();
}

} // namespace idesk
