#pragma once

#include "BatchInput.h"
#include "InferenceRequest.h"

#include <QDialog>
#include <functional>
#include <memory>

namespace Ui {
class BatchDialog;
}

namespace idesk {

class BatchRunner;
class BatchTableModel;
class HostApproval;
class BatchThumbnailModel;

// The batch window (Request > Batch…, or several files dropped on the input): the current request is the
// template and each input one request. The inputs come from a folder, a text file (one per line), a CSV
// column, a JSONL file or dropped files; BatchRunner sends them (concurrency limit, 429 pauses, retries);
// the table shows each input's summary, status and latency; a row opens its full result; failed inputs run
// again on their own; the results export to CSV or JSONL (BatchExport). Non-modal.
class BatchDialog : public QDialog
{
    Q_OBJECT
public:
    using TokenProvider = std::function<QString()>;

    explicit BatchDialog(const InferenceRequest &templ, QWidget *parent = nullptr);
    ~BatchDialog() override;

    void setTokenProvider(TokenProvider provider) { m_tokenProvider = std::move(provider); }
    // Inputs given directly (dropped files); `source` says where they came from.
    void setInputs(const QList<BatchInput> &inputs, const QString &source);
    // Reads the inputs from the source chosen in the form (folder, lines, CSV column, JSONL). False with
    // the reason shown in the form when they cannot be read.
    bool loadInputs();
    int inputCount() const { return int(m_inputs.size()); }

    BatchRunner *runner() const { return m_runner; }
    BatchTableModel *tableModel() const { return m_table; }
    // Writes the results to `path` (".jsonl" gives JSONL, anything else CSV). False with *error.
    bool exportTo(const QString &path, QString *error);
    QString progressText() const;

    // Where the window keeps its batch's state (BatchState's journal, in the app's data folder), so a batch
    // cancelled or cut short by a crash resumes when the window opens again.
    static QString statePath();
    // An unfinished batch was found on opening: Resume sends only its inputs without a result.
    bool hasUnfinishedBatch() const;

    // The files of a drop that should become a batch (several files, or a folder's files); empty when the
    // drop is one file (the input editor takes it).
    static QList<BatchInput> batchFromUrls(const QList<QUrl> &urls);

public Q_SLOTS:
    void start();
    void cancelBatch();
    void rerunFailed();
    void exportDialog();
    void resumeUnfinished();
    void discardUnfinished();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void beginStart(bool resume);
    void startNow(bool resume);
    void offerResume();
    void showTemplate();
    void chooseSource();
    void updateSourceRow();
    void updateProgress();
    void updateButtons();
    void showError(const QString &message);
    void openRow(const QModelIndex &index);

    std::unique_ptr<Ui::BatchDialog> m_ui;
    InferenceRequest m_template;
    QList<BatchInput> m_inputs;
    bool m_dropped = false; // m_inputs came from a drop, not the form
    TokenProvider m_tokenProvider;
    HostApproval *m_approval = nullptr; // asked once per origin before a batch starts, not per input
    bool m_awaitingApproval = false;
    bool m_resumeNext = false;  // the start waiting for approval is a resume
    static bool s_journalInUse; // a window's batch is running with the journal
    BatchRunner *m_runner = nullptr;
    BatchTableModel *m_table = nullptr;
    BatchThumbnailModel *m_thumbnails = nullptr;
};

} // namespace idesk
