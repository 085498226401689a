// MainWindow's files: a saved result opened (its request back in the editors), an image or audio file as
// the input (the task and model follow it), and the File menu's dialogs. The layout and the send path are
// in MainWindow.cpp.
#include "MainWindow.h"

#include "FileDropArea.h"
#include "InputEditor.h"
#include "ModelPicker.h"
#include "ResultView.h"
#include "TaskCatalog.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QStandardPaths>
#include <QStatusBar>

namespace idesk {

bool MainWindow::openResultFile(const QString &path, QString *error)
{
    QString why;
    if (!m_result->openResult(path, &why)) {
        statusBar()->showMessage(why);
        if (error)
            *error = why;
        return false;
    }
    // The request that produced the answer goes back into the editors (model, task, input, parameters).
    const InferenceRequest request = m_result->request();
    if (!request.model.isEmpty() || !request.task.isEmpty())
        setRequest(request);
    m_openedResult = path;
    m_saveResultAction->setEnabled(true);
    statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 5000);
    updateTitle();
    return true;
}

bool MainWindow::openInputFile(const QString &path)
{
    const QString mime = QMimeDatabase().mimeTypeForFile(path).name();
    const bool image = mime.startsWith(QLatin1String("image/"));
    const bool audio = mime.startsWith(QLatin1String("audio/"));
    QString switchedModel; // the note saying the model changed with the task
    if (!m_input->usesFile() || (audio != (m_input->inputKind() == InputKind::Audio))) {
        const QString task = audio ? QStringLiteral("automatic-speech-recognition")
                                   : (image ? QStringLiteral("image-classification") : QString());
        if (!task.isEmpty() && TaskCatalog::instance().task(task)) {
            // The model follows the task: a text model is not kept for an image (or audio) task.
            const QString model = m_picker->model();
            const QString known = m_picker->knownTask(model);
            const QString replacement = known == task ? QString() : modelServing(task);
            if (!replacement.isEmpty())
                m_picker->setModel(replacement);
            m_picker->setTask(task);
            if (!replacement.isEmpty() && !model.isEmpty())
                switchedModel = tr(" The model was switched from %1 to %2, which serves %3.")
                                    .arg(model, replacement, task);
        }
    }
    if (!m_input->usesFile()) {
        statusBar()->showMessage(tr("“%1” is not an image or audio file; choose a "
                                    "task that takes a file first.")
                                     .arg(QFileInfo(path).fileName()));
        return false;
    }
    const bool ok = m_input->loadFile(path);
    statusBar()->showMessage(ok ? tr("Loaded %1.").arg(QFileInfo(path).fileName()) + switchedModel
                                : m_input->fileArea()->message());
    return ok;
}

QString MainWindow::modelServing(const QString &task) const
{
    // The first model the picker knows (recent, then curated) that serves `task`; its list shows only the
    // current task's.
    return m_picker->firstKnownModel(task);
}

void MainWindow::openInputDialog()
{
    if (m_input->usesFile()) {
        m_input->fileArea()->openFileDialog();
        return;
    }
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open input file"), QStandardPaths::writableLocation(QStandardPaths::PicturesLocation),
        tr("Images and audio (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.flac *.wav "
           "*.mp3 *.ogg *.m4a);;All files (*)"));
    if (!path.isEmpty())
        openInputFile(path);
}

void MainWindow::openResultDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open result"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
        tr("Results (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openResultFile(path, &error))
        QMessageBox::warning(this, tr("Open result"), error);
}

void MainWindow::saveResultDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save result"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
        tr("Results (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_result->saveResult(path, &error))
        QMessageBox::warning(this, tr("Save result"), error);
    else
        statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
}

} // namespace idesk
