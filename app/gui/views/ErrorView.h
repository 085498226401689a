#pragma once

#include "ResultRenderer.h"

class QLabel;

namespace idesk {

// A failed request as a readable panel: what happened (status), the server's own words, what to do.
class ErrorView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit ErrorView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("error"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override;

    QString statusText() const;
    QString serverText() const;
    QString adviceText() const;

    static QString statusLine(const InferenceResult &result);

private:
    QLabel *m_icon = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_serverCaption = nullptr;
    QLabel *m_server = nullptr;
    QLabel *m_adviceCaption = nullptr;
    QLabel *m_advice = nullptr;
};

} // namespace idesk
