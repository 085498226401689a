#pragma once

#include "InferenceRequest.h"
#include "InferenceResult.h"

#include <QDialog>
#include <QVector>
#include <functional>
#include <memory>

class QLabel;

namespace Ui {
class CompareDialog;
}

namespace idesk {

class HostApproval;
class ResultView;
class SendController;

// "Compare with…": the current request sent to two to four models at once, each answer in a column of its
// own (a ResultView under a line with the model, provider, status and latency). Columns show "waiting"
// until their answer comes, so a slow or failing model does not hold the others back. Non-modal.
class CompareDialog : public QDialog
{
    Q_OBJECT
public:
    using TokenProvider = std::function<QString()>;

    explicit CompareDialog(const InferenceRequest &templ, QWidget *parent = nullptr);
    ~CompareDialog() override;

    void setTokenProvider(TokenProvider provider) { m_tokenProvider = std::move(provider); }
    void setModels(const QStringList &models);
    // Sends the request to each model named. False with the reason shown when the models are not 2 to 4.
    bool compare();

    int columnCount() const { return int(m_columns.size()); }
    QString columnStatus(int column) const; // the line above a column
    ResultView *columnView(int column) const;
    bool isRunning() const;

Q_SIGNALS:
    // Every column has its answer.
    void allFinished();

private:
    struct Column
    {
        QString model;
        SendController *send = nullptr;
        InferenceRequest request;
        QLabel *status = nullptr;
        ResultView *view = nullptr;
        bool done = false;
    };
    void clearColumns();
    void sendColumns();
    void onFinished(int column, const InferenceResult &result);

    std::unique_ptr<Ui::CompareDialog> m_ui;
    InferenceRequest m_template;
    TokenProvider m_tokenProvider;
    QVector<Column> m_columns;
    HostApproval *m_approval = nullptr; // asked once per origin before the columns are sent
    bool m_awaitingApproval = false;
};

} // namespace idesk
