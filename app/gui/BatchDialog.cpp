// The batch window: inputs chosen or dropped, BatchRunner driven, its table, progress and export. The
// sending rules (limits, 429 pauses, retries) are BatchRunner's; the table is BatchTableModel's.
#include "BatchDialog.h"

#include "BatchExport.h"
#include "BatchRunner.h"
#include "BatchState.h"
#include "BatchTableModel.h"
#include "BatchThumbnailModel.h"
#include "HostApproval.h"
#include "ResultView.h"
#include "SendController.h"

#include "ui_BatchDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QStandardPaths>
#include <QUrl>
#include <QVBoxLayout>

namespace idesk {

bool BatchDialog::s_journalInUse = false;

namespace {

enum SourceKind { Folder = 0, Lines = 1, Csv = 2, Jsonl = 3 };

QString durationText(qint64 ms)
{
    const qint64 s = (ms + 999) / 1000;
    if (s < 60)
        return BatchDialog::tr("%n s", nullptr, int(s));
    return BatchDialog::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

} // namespace

BatchDialog::BatchDialog(const InferenceRequest &templ, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::BatchDialog>()), m_template(templ)
{
    m_ui->setupUi(this);
    setWindowFlag(Qt::Window);
    setModal(false);
    showTemplate();

    m_runner = new BatchRunner(this);
    m_runner->setTemplate(templ);
    // Each input through a SendController of its worker, as the main window sends (encoding, token policy,
    // provider jobs); the approval of the origin was asked once before the start (startNow).
    m_runner->setSendSetup([this](SendController &send, QString *) {
        send.setTokenPolicy(HostApproval::policy());
        send.setToken(m_tokenProvider ? m_tokenProvider() : qEnvironmentVariable("HF_TOKEN"));
        return true;
    });
    m_approval = new HostApproval(this, this);
    connect(m_approval, &HostApproval::answered, this, [this] {
        if (!m_awaitingApproval)
            return;
        m_awaitingApproval = false;
        startNow(m_resumeNext);
    });
    m_table = new BatchTableModel(this);
    m_thumbnails = new BatchThumbnailModel(this);
    m_thumbnails->setSourceModel(m_table);
    m_ui->table->setModel(m_thumbnails);
    m_ui->table->setIconSize(QSize(BatchThumbnailModel::thumbnailSize, BatchThumbnailModel::thumbnailSize));
    m_ui->table->verticalHeader()->setDefaultSectionSize(BatchThumbnailModel::thumbnailSize + 6);
    // Columns fit their contents; the first summary column (label, answer, text...) takes the rest. The
    // columns depend on the task, so this follows every reset of the table.
    auto fitColumns = [this] {
        QHeaderView *header = m_ui->table->horizontalHeader();
        header->setStretchLastSection(false);
        header->setSectionResizeMode(QHeaderView::ResizeToContents);
        if (m_thumbnails->columnCount() > 3)
            header->setSectionResizeMode(1, QHeaderView::Stretch);
    };
    connect(m_thumbnails, &QAbstractItemModel::modelReset, this, fitColumns);
    fitColumns();

    connect(m_ui->sourceKind, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &BatchDialog::updateSourceRow);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &BatchDialog::chooseSource);
    connect(m_ui->sourcePath, &QLineEdit::editingFinished, this, [this] {
        if (!m_ui->sourcePath->text().trimmed().isEmpty())
            loadInputs();
    });
    connect(m_ui->column, &QLineEdit::editingFinished, this, [this] {
        if (!m_ui->sourcePath->text().trimmed().isEmpty())
            loadInputs();
    });
    connect(m_ui->startButton, &QPushButton::clicked, this, &BatchDialog::start);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &BatchDialog::cancelBatch);
    connect(m_ui->rerunButton, &QPushButton::clicked, this, &BatchDialog::rerunFailed);
    connect(m_ui->exportButton, &QPushButton::clicked, this, &BatchDialog::exportDialog);
    connect(m_ui->resumeButton, &QPushButton::clicked, this, &BatchDialog::resumeUnfinished);
    connect(m_ui->discardButton, &QPushButton::clicked, this, &BatchDialog::discardUnfinished);
    connect(m_ui->table, &QTableView::doubleClicked, this, &BatchDialog::openRow);

    connect(m_runner, &BatchRunner::progressChanged, this, &BatchDialog::updateProgress);
    connect(m_runner, &BatchRunner::rateLimited, this, [this](qint64 ms, const QString &) {
        m_ui->sourceMessage->setText(tr("Rate limited: every request waits %1.").arg(durationText(ms)));
    });
    connect(m_runner, &BatchRunner::waitingForModel, this, [this](int, int seconds, const QString &) {
        m_ui->sourceMessage->setText(tr("The model is loading: waiting about %n s.", nullptr, seconds));
    });
    connect(m_runner, &BatchRunner::noted, this, [this](const QString &note) { showError(note); });
    connect(m_runner, &BatchRunner::finished, this, [this](const QString &error) {
        if (!error.isEmpty())
            showError(error);
        updateProgress();
        updateButtons();
    });
    connect(m_runner, &BatchRunner::finished, this, [this] {
        if (!m_runner->statePath().isEmpty())
            s_journalInUse = false;
    });
    updateSourceRow();
    offerResume();
    updateProgress();
    updateButtons();
}

BatchDialog::~BatchDialog()
{
    m_runner->cancel(); // the journal stays: the next window offers to resume
}

QString BatchDialog::statePath()
{
    return BatchState::pathFor(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                               QStringLiteral("/batch"));
}

bool BatchDialog::hasUnfinishedBatch() const
{
    return !m_ui->resumeBar->isHidden() && m_ui->resumeButton->isEnabled();
}

void BatchDialog::showTemplate()
{
    m_ui->templateLabel->setText(tr("Each input is sent as the current request: %1 (%2)")
                                     .arg(m_template.model.isEmpty() ? tr("no model") : m_template.model,
                                          m_template.task.isEmpty() ? tr("no task") : m_template.task));
}

void BatchDialog::offerResume()
{
    m_ui->resumeBar->hide();
    if (s_journalInUse || !QFileInfo::exists(statePath()))
        return;
    QString error;
    const auto batch = BatchState::read(statePath(), &error);
    m_ui->resumeButton->setEnabled(bool(batch));
    if (!batch) {
        m_ui->resumeLabel->setText(error);
    } else {
        const int left = int(batch->inputs.size()) - batch->finished;
        m_ui->resumeLabel->setText(
            tr("An unfinished batch of %1 (%2): %3 of %4 inputs have a result (%5 failed). Resume sends the "
               "%n other(s); Discard forgets it.",
               nullptr, left)
                .arg(batch->templ.model, batch->templ.task.isEmpty() ? tr("no task") : batch->templ.task)
                .arg(batch->finished)
                .arg(batch->inputs.size())
                .arg(batch->failed));
    }
    m_ui->resumeBar->show();
}

void BatchDialog::resumeUnfinished()
{
    if (m_runner->isRunning())
        return;
    QString error;
    const auto batch = s_journalInUse ? std::nullopt : BatchState::read(statePath(), &error);
    if (!batch) {
        showError(s_journalInUse ? tr("Another window's batch is running; resume this one when it ends.")
                                 : error);
        return;
    }
    // The batch as it was started: its own template and inputs (the fingerprint must match).
    m_template = batch->templ;
    m_runner->setTemplate(m_template);
    showTemplate();
    setInputs(batch->inputs, tr("the unfinished batch"));
    m_ui->resumeBar->hide();
    beginStart(true);
}

void BatchDialog::discardUnfinished()
{
    if (!s_journalInUse)
        QFile::remove(statePath());
    m_ui->resumeBar->hide();
}

void BatchDialog::setInputs(const QList<BatchInput> &inputs, const QString &source)
{
    if (m_runner->isRunning())
        return;
    m_inputs = inputs;
    m_dropped = true;
    m_ui->sourcePath->setText(source);
    m_ui->sourceMessage->setText(tr("%n input(s) ready.", nullptr, int(inputs.size())));
    m_runner->setInputs(m_inputs);
    m_table->setRunner(m_runner);
    updateProgress();
    updateButtons();
}

bool BatchDialog::loadInputs()
{
    const QString path = m_ui->sourcePath->text().trimmed();
    QString error;
    std::optional<QList<BatchInput>> inputs;
    if (path.isEmpty()) {
        error = tr("Choose where the inputs come from (a folder or a file), or drop files here.");
    } else {
        switch (m_ui->sourceKind->currentIndex()) {
        case Folder:
            inputs = BatchInputs::fromDirectory(path, &error);
            break;
        case Lines:
            inputs = BatchInputs::fromLines(path, &error);
            break;
        case Csv:
            if (m_ui->column->text().trimmed().isEmpty())
                error = tr("Name the CSV column that holds the inputs (its header).");
            else
                inputs = BatchInputs::fromCsv(path, m_ui->column->text().trimmed(), &error);
            break;
        default:
            inputs = BatchInputs::fromJsonl(path, &error);
            break;
        }
    }
    if (inputs && inputs->isEmpty()) {
        inputs.reset();
        error = tr("%1 holds no inputs.").arg(QFileInfo(path).fileName());
    }
    if (!inputs) {
        showError(error);
        return false;
    }
    setInputs(*inputs, path);
    m_dropped = false;
    return true;
}

void BatchDialog::start()
{
    if (m_runner->isRunning())
        return;
    if (!m_dropped && !loadInputs())
        return;
    if (m_inputs.isEmpty()) {
        showError(tr("There are no inputs: choose a folder or a file, or drop files here."));
        return;
    }
    beginStart(false);
}

void BatchDialog::beginStart(bool resume)
{
    if (m_awaitingApproval)
        return;
    m_resumeNext = resume;
    // The token's destination asked about once for the whole batch (every input goes to the same origin).
    SendController probe;
    probe.setTokenPolicy(HostApproval::policy());
    probe.setToken(m_tokenProvider ? m_tokenProvider() : qEnvironmentVariable("HF_TOKEN"));
    InferenceRequest first;
    QString error;
    if (BatchInputs::apply(m_template, m_inputs.first(), &first, &error)) {
        const QUrl url = probe.approvalUrl(first);
        if (url.isValid() && !m_approval->wasDeclined(url)) {
            m_awaitingApproval = true;
            m_ui->startButton->setEnabled(false);
            m_approval->ask(url);
            return;
        }
    }
    startNow(resume);
}

void BatchDialog::startNow(bool resume)
{
    m_runner->setInputs(m_inputs);
    m_runner->setConcurrency(m_ui->concurrency->value());
    m_table->setRunner(m_runner);
    m_ui->resumeBar->hide(); // a new batch replaces the unfinished one
    // One journal for the app's batch: while another window's batch runs with it, this one runs without.
    m_runner->setStatePath(s_journalInUse ? QString() : statePath());
    if (!s_journalInUse)
        QDir().mkpath(QFileInfo(statePath()).path());
    QString error;
    if (!m_runner->start(resume, &error)) {
        showError(error);
        return;
    }
    if (!m_runner->statePath().isEmpty())
        s_journalInUse = true;
    m_ui->sourceMessage->clear();
    updateProgress();
    updateButtons();
}

void BatchDialog::cancelBatch()
{
    m_runner->cancel();
    updateProgress();
    updateButtons();
}

void BatchDialog::rerunFailed()
{
    QString error;
    m_runner->setConcurrency(m_ui->concurrency->value());
    if (!m_runner->rerunFailed(&error))
        showError(error);
    updateProgress();
    updateButtons();
}

bool BatchDialog::exportTo(const QString &path, QString *error)
{
    const BatchExport::Format format = path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive)
                                           ? BatchExport::Format::Jsonl
                                           : BatchExport::Format::Csv;
    return BatchExport::write(m_runner->results(), m_template.task, format, path, error);
}

void BatchDialog::exportDialog()
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export batch results"), QString(),
                                                      tr("CSV (*.csv);;JSON Lines (*.jsonl)"), &filter);
    if (path.isEmpty())
        return;
    QString target = path;
    if (QFileInfo(path).suffix().isEmpty())
        target += filter.contains(QLatin1String("jsonl")) ? QStringLiteral(".jsonl") : QStringLiteral(".csv");
    QString error;
    if (exportTo(target, &error))
        m_ui->sourceMessage->setText(tr("Exported to %1.").arg(QFileInfo(target).fileName()));
    else
        showError(error);
}

QList<BatchInput> BatchDialog::batchFromUrls(const QList<QUrl> &urls)
{
    QStringList files;
    bool folder = false;
    for (const QUrl &url : urls) {
        if (!url.isLocalFile())
            continue;
        const QFileInfo info(url.toLocalFile());
        if (info.isDir()) {
            folder = true;
            QString error;
            if (const auto inputs = BatchInputs::fromDirectory(info.filePath(), &error))
                for (const BatchInput &input : *inputs)
                    files << input.filePath;
        } else if (info.isFile()) {
            files << info.filePath();
        }
    }
    if (files.isEmpty() || (files.size() == 1 && !folder))
        return {};
    return BatchInputs::fromFiles(files);
}

void BatchDialog::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && !m_runner->isRunning())
        event->acceptProposedAction();
}

void BatchDialog::dropEvent(QDropEvent *event)
{
    QList<BatchInput> inputs = batchFromUrls(event->mimeData()->urls());
    if (inputs.isEmpty()) {
        const QList<QUrl> urls = event->mimeData()->urls();
        if (urls.size() == 1 && urls.first().isLocalFile())
            inputs = BatchInputs::fromFiles({urls.first().toLocalFile()});
    }
    if (inputs.isEmpty())
        return;
    setInputs(inputs, tr("%n dropped file(s)", nullptr, int(inputs.size())));
    event->acceptProposedAction();
}

void BatchDialog::chooseSource()
{
    const int kind = m_ui->sourceKind->currentIndex();
    QString path;
    if (kind == Folder) {
        path = QFileDialog::getExistingDirectory(this, tr("Folder of inputs"), m_ui->sourcePath->text());
    } else {
        const QString filter = kind == Lines ? tr("Text files (*.txt);;All files (*)")
                               : kind == Csv ? tr("CSV files (*.csv);;All files (*)")
                                             : tr("JSON Lines (*.jsonl *.ndjson);;All files (*)");
        path = QFileDialog::getOpenFileName(this, tr("File of inputs"), m_ui->sourcePath->text(), filter);
    }
    if (path.isEmpty())
        return;
    m_ui->sourcePath->setText(path);
    loadInputs();
}

void BatchDialog::updateSourceRow()
{
    const bool csv = m_ui->sourceKind->currentIndex() == Csv;
    m_ui->column->setEnabled(csv);
    m_ui->columnLabel->setEnabled(csv);
}

QString BatchDialog::progressText() const
{
    const BatchRunner::Progress p = m_runner->progress();
    QString text = tr("%1 of %2 done, %3 failed").arg(p.done).arg(p.total).arg(p.failed);
    if (m_runner->isRunning() && p.msLeft >= 0)
        text += tr(", about %1 left").arg(durationText(p.msLeft));
    else if (!m_runner->isRunning() && p.total > 0 && p.done + p.failed == p.total)
        text += tr(" — finished");
    return text;
}

void BatchDialog::updateProgress()
{
    const BatchRunner::Progress p = m_runner->progress();
    m_ui->progress->setRange(0, qMax(1, p.total));
    m_ui->progress->setValue(p.done + p.failed);
    m_ui->progressLabel->setText(progressText());
    updateButtons();
}

void BatchDialog::updateButtons()
{
    const bool running = m_runner->isRunning();
    const BatchRunner::Progress p = m_runner->progress();
    m_ui->startButton->setEnabled(!running);
    m_ui->cancelButton->setEnabled(running);
    m_ui->rerunButton->setEnabled(!running && p.failed > 0);
    m_ui->exportButton->setEnabled(!running && p.done + p.failed > 0);
    m_ui->sourceKind->setEnabled(!running);
    m_ui->sourcePath->setEnabled(!running);
    m_ui->browseButton->setEnabled(!running);
}

void BatchDialog::showError(const QString &message)
{
    m_ui->sourceMessage->setText(message);
}

void BatchDialog::openRow(const QModelIndex &index)
{
    const int row = index.row();
    const std::optional<BatchItemResult> item = m_runner->result(row);
    if (!item || row >= m_inputs.size())
        return;
    InferenceRequest request = m_template;
    QString ignored;
    BatchInputs::apply(m_template, m_inputs.at(row), &request, &ignored);
    InferenceResult result;
    result.status = item->httpStatus;
    result.outcome = item->ok ? InferenceResult::Outcome::Success : InferenceResult::Outcome::HttpError;
    result.contentType = item->contentType;
    result.errorMessage = item->error;
    const QJsonObject object = item->answer.toObject();
    if (object.contains(QLatin1String("base64")) && object.contains(QLatin1String("content_type")))
        result.body = QByteArray::fromBase64(object.value(QLatin1String("base64")).toString().toLatin1());
    else if (item->answer.isObject())
        result.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    else if (item->answer.isArray())
        result.body = QJsonDocument(item->answer.toArray()).toJson(QJsonDocument::Compact);
    else if (item->answer.isString())
        result.body = item->answer.toString().toUtf8();
    if (result.contentType.isEmpty() && (item->answer.isObject() || item->answer.isArray()))
        result.contentType = QStringLiteral("application/json");

    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Result — %1").arg(item->label));
    auto *layout = new QVBoxLayout(dialog);
    auto *view = new ResultView(dialog);
    view->setObjectName(QStringLiteral("batchResultView"));
    layout->addWidget(view);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    view->setResult(request, result);
    dialog->resize(700, 500);
    dialog->show();
}

} // namespace idesk
