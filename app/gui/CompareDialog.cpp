#include "CompareDialog.h"

#include "HostApproval.h"
#include "ProviderJob.h"
#include "ResultView.h"
#include "SendController.h"

#include "ui_CompareDialog.h"

#include <QLabel>
#include <QRegularExpression>
#include <QSplitter>
#include <QVBoxLayout>

namespace idesk {

CompareDialog::CompareDialog(const InferenceRequest &templ, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::CompareDialog>()), m_template(templ)
{
    m_ui->setupUi(this);
    setWindowFlag(Qt::Window);
    setModal(false);
    m_ui->models->setText(templ.model);
    connect(m_ui->compareButton, &QPushButton::clicked, this, &CompareDialog::compare);
    connect(m_ui->models, &QLineEdit::returnPressed, this, &CompareDialog::compare);
    m_approval = new HostApproval(this, this);
    connect(m_approval, &HostApproval::answered, this, [this] {
        if (!m_awaitingApproval)
            return;
        m_awaitingApproval = false;
        sendColumns();
    });
}

CompareDialog::~CompareDialog()
{
    for (const Column &c : std::as_const(m_columns))
        c.send->disconnect(this);
}

void CompareDialog::setModels(const QStringList &models)
{
    m_ui->models->setText(models.join(QLatin1Char(' ')));
}

bool CompareDialog::compare()
{
    const QStringList models =
        m_ui->models->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
    if (models.size() < 2 || models.size() > 4) {
        m_ui->message->setText(tr("Name two to four models to compare (%n named), separated by spaces.",
                                  nullptr, int(models.size())));
        return false;
    }
    m_ui->message->clear();
    clearColumns();
    const QString token = m_tokenProvider ? m_tokenProvider() : qEnvironmentVariable("HF_TOKEN");
    for (const QString &model : models) {
        const int index = int(m_columns.size());
        Column column;
        column.model = model;
        auto *box = new QWidget(m_ui->columns);
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        column.status = new QLabel(box);
        column.status->setTextFormat(Qt::PlainText);
        column.status->setWordWrap(true);
        column.view = new ResultView(box);
        layout->addWidget(column.status);
        layout->addWidget(column.view, 1);
        m_ui->columns->addWidget(box);
        // Each column through a SendController, as the main window sends (encoding, token policy, provider
        // jobs); the origin's approval is asked once for all of them (sendColumns).
        column.send = new SendController(nullptr, box);
        column.send->setTokenPolicyProvider([] { return HostApproval::policy(); });
        column.send->setToken(token);
        connect(column.send, &SendController::finished, this,
                [this, index](const InferenceResult &result) { onFinished(index, result); });
        column.request = m_template;
        column.request.model = model;
        column.status->setText(tr("%1 — waiting…").arg(model));
        column.view->setBusy(tr("Waiting for %1…").arg(model));
        m_columns << column;
    }
    // Every column goes to the same origin (only the model differs): one question at most.
    const QUrl url = m_columns.first().send->approvalUrl(m_columns.first().request);
    if (url.isValid() && !m_approval->wasDeclined(url)) {
        m_awaitingApproval = true;
        m_approval->ask(url);
        return true;
    }
    sendColumns();
    return true;
}

void CompareDialog::sendColumns()
{
    for (const Column &c : std::as_const(m_columns))
        c.send->send(c.request);
}

void CompareDialog::clearColumns()
{
    m_awaitingApproval = false;
    for (const Column &c : std::as_const(m_columns)) {
        c.send->disconnect(this);
        c.send->cancel();
        c.view->parentWidget()->deleteLater();
    }
    m_columns.clear();
}

void CompareDialog::onFinished(int index, const InferenceResult &result)
{
    if (index >= m_columns.size())
        return;
    Column &column = m_columns[index];
    column.done = true;
    const InferenceRequest request = column.send->request(); // as it went out
    // The provider that answered (auto: the one chosen from the model's mapping), else the one asked.
    const QString chosen = column.send->providerJob()->choice().entry.provider;
    const QString provider = !chosen.isEmpty()               ? chosen
                             : m_template.provider.isEmpty() ? QStringLiteral("hf-inference")
                                                             : m_template.provider;
    const QString status =
        result.ok() ? tr("ok")
                    : tr("failed (%1)").arg(result.status ? QString::number(result.status) : tr("no answer"));
    column.status->setText(
        tr("%1 — %2 — %3 — %4 ms").arg(column.model, provider, status).arg(result.elapsedMs));
    column.view->setResult(request, result);
    if (!isRunning())
        Q_EMIT allFinished();
}

QString CompareDialog::columnStatus(int column) const
{
    return column < m_columns.size() ? m_columns.at(column).status->text() : QString();
}

ResultView *CompareDialog::columnView(int column) const
{
    return column < m_columns.size() ? m_columns.at(column).view : nullptr;
}

bool CompareDialog::isRunning() const
{
    for (const Column &c : m_columns)
        if (!c.done)
            return true;
    return false;
}

} // namespace idesk
