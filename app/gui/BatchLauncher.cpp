#include "BatchLauncher.h"

#include "BatchDialog.h"
#include "CompareDialog.h"
#include "FileDropArea.h"
#include "InputEditor.h"
#include "MainWindow.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>

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
        const QList<BatchInput> inputs = BatchDialog::batchFromUrls(drop->mimeData()->urls());
        if (inputs.isEmpty())
            break;
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
