#include "BatchLauncher.h"

#include "BatchDialog.h"
#include "CompareDialog.h"
#include "FileDropArea.h"
#include "InputEditor.h"
#include "MainWindow.h"
#include "TaskCatalog.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>

namespace idesk {

namespace {

// A drop worth asking about: several local files, or a folder.
bool looksLikeBatch(const QMimeData *data)
{
    if (!data || !data->hasUrls())
        return false;
    const QList<QUrl> urls = data->urls();
    if (urls.size() > 1)
        return true;
    return urls.size() == 1 && urls.first().isLocalFile() && QFileInfo(urls.first().toLocalFile()).isDir();
}

} // namespace

BatchLauncher::BatchLauncher(MainWindow *window, QMenu *requestMenu, TokenProvider token)
    : QObject(window), m_window(window), m_token(std::move(token))
{
    m_action = requestMenu->addAction(tr("&Batch…"), this, [this] { open(); });
    m_action->setObjectName(QStringLiteral("actionBatch"));
    m_action->setStatusTip(tr("Send the current request once for each of many inputs"));
    QAction *compare = requestMenu->addAction(tr("Co&mpare with…"), this, [this] { openCompare(); });
    compare->setObjectName(QStringLiteral("actionCompare"));
    compare->setStatusTip(tr("Send the current request to two to four models side by side"));
    confirm = [this](int count) {
        return QMessageBox::question(m_window, tr("Batch"), tr("Run a batch of %n input(s)?", nullptr, count),
                                     QMessageBox::Yes | QMessageBox::No,
                                     QMessageBox::Yes) == QMessageBox::Yes;
    };
    if (InputEditor *input = window->inputEditor()) {
        input->installEventFilter(this);
        if (input->fileArea())
            input->fileArea()->installEventFilter(this);
        // A text task's text box: a drop lands on its viewport, which would insert the files' names.
        if (auto *text = input->findChild<QPlainTextEdit *>(QStringLiteral("inputText"))) {
            m_textBox = text->viewport();
            m_textBox->installEventFilter(this);
        }
    }
}

BatchDialog *BatchLauncher::open(const QList<BatchInput> &inputs, const QString &source)
{
    auto *dialog = new BatchDialog(m_window->currentRequest(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setTokenProvider(m_token);
    if (!inputs.isEmpty())
        dialog->setInputs(inputs, source);
    dialog->show();
    return dialog;
}

CompareDialog *BatchLauncher::openCompare()
{
    auto *dialog = new CompareDialog(m_window->currentRequest(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setTokenProvider(m_token);
    dialog->show();
    return dialog;
}

QList<BatchInput> BatchLauncher::linesOf(const QList<BatchInput> &files) const
{
    // A text task: the lines of text, CSV and JSONL files are its inputs. Files that are not (a picture)
    // go as they are, one input each, and say in the table why they cannot be sent.
    const TaskSpec *spec = TaskCatalog::instance().task(m_window->currentRequest().task);
    if (!spec || (spec->inputKind != InputKind::Text && spec->inputKind != InputKind::TextWithLabels))
        return files;
    QStringList paths;
    for (const BatchInput &file : files)
        paths << file.filePath;
    QString error;
    const auto lines = BatchInputs::fromTextFiles(paths, &error);
    return lines && !lines->isEmpty() ? *lines : files;
}

bool BatchLauncher::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        auto *drag = static_cast<QDragMoveEvent *>(event);
        if (!looksLikeBatch(drag->mimeData()))
            break;
        drag->acceptProposedAction();
        return true;
    }
    case QEvent::Drop: {
        auto *drop = static_cast<QDropEvent *>(event);
        if (!looksLikeBatch(drop->mimeData()))
            break;
        QList<BatchInput> inputs = BatchDialog::batchFromUrls(drop->mimeData()->urls());
        if (inputs.isEmpty())
            break;
        if (watched == m_textBox && m_textBox)
            inputs = linesOf(inputs);
        drop->acceptProposedAction();
        if (confirm && confirm(int(inputs.size())))
            open(inputs, tr("%n dropped file(s)", nullptr, int(inputs.size())));
        return true;
    }
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace idesk
