#include "HistoryDock.h"
#include "KestraFlow.h"
#include "LocalFile.h"
#include "MainWindow.h"
#include "Preset.h"
#include "PresetsController.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("inference-desk"));
    QApplication::setApplicationName(QStringLiteral("inference-desk"));
    // No application display name: the platform would append it to the window title, which already
    // starts with "Inference Desk —" (MainWindow::updateTitle).
    QApplication::setApplicationVersion(QStringLiteral(IDESK_VERSION));
    // The launcher's name (packaging/io.github.inferencedesk.InferenceDesk.desktop), for Wayland and
    // AppStream.
    QApplication::setDesktopFileName(QStringLiteral("io.github.inferencedesk.InferenceDesk"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("inference-desk")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Desktop client for the Hugging Face inference API."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption openOption(
        QStringList{QStringLiteral("open")},
        QCoreApplication::translate("main", "Open a saved result (from File > Save result)."),
        QCoreApplication::translate("main", "FILE"));
    parser.addOption(openOption);
    parser.addPositionalArgument(
        QStringLiteral("file"),
        QCoreApplication::translate("main",
                                    "An image or audio file to use as input, a saved result, a preset or a "
                                    "Kestra flow (its first Hugging Face task)."),
        QStringLiteral("[file]"));
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(QCoreApplication::translate("main", "Give at most one file; see --help.")));
        return 2;
    }
    for (const QString &path :
         positional + (parser.isSet(openOption) ? QStringList{parser.value(openOption)} : QStringList{})) {
        if (!QFileInfo(path).isFile()) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(QCoreApplication::translate("main", "%1: no such file.").arg(path)));
            return 2;
        }
    }

    // With its controllers: token (environment, keychain, session), host approval, presets, copy as code.
    idesk::MainWindow window{idesk::MainWindow::Setup{}};
    idesk::PresetsController *presets = window.presetsController();
    new idesk::HistoryDock(&window); // every exchange kept and searchable (owned by the window)
    window.show();

    int status = 0;
    QString error;
    if (parser.isSet(openOption) && !window.openResultFile(parser.value(openOption), &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        status = 2;
    }
    if (!positional.isEmpty()) {
        const QString path = positional.first();
        const QString mime = QMimeDatabase().mimeTypeForFile(path).name();
        const QString suffix = QFileInfo(path).suffix().toLower();
        QString openError; // shown in the window too: a file opened from the file manager has no terminal
        if (mime.startsWith(QLatin1String("image/")) || mime.startsWith(QLatin1String("audio/"))) {
            window.openInputFile(path);
        } else if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml")) {
            // A Kestra flow opened from the file manager: its first Inference task goes into the editors.
            const auto flow = idesk::KestraFlow::load(path, {}, &openError);
            if (flow && !flow->tasks.isEmpty())
                presets->loadPreset(idesk::Preset::fromKestraTask(flow->tasks.first()));
        } else if (suffix == QLatin1String("idpreset")) {
            if (const auto preset = idesk::Preset::load(path, &openError))
                presets->loadPreset(*preset);
        } else if (!window.openResultFile(path, &openError)) {
            // A .json may be a saved result or a preset: try the preset before giving up. A file that says
            // it is a preset gets the preset's reason, not the saved result's.
            QString presetError;
            if (const auto preset = idesk::Preset::load(path, &presetError)) {
                presets->loadPreset(*preset);
                openError.clear();
            } else if (const auto bytes = idesk::LocalFile::read(path, idesk::Preset::fileCap(), nullptr);
                       bytes && bytes->contains('"' + idesk::Preset::formatName().toLatin1() + '"')) {
                // (read as a regular file under the preset cap: /dev/zero must not fill the memory here
                // either; no document is built from a file Preset::load refused)
                openError = presetError;
            }
        }
        if (!openError.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(openError));
            window.statusBar()->showMessage(openError); // the same reason as the box, not a first guess
            auto *box =
                new QMessageBox(QMessageBox::Warning, QCoreApplication::translate("main", "Cannot open file"),
                                QCoreApplication::translate("main", "%1 could not be opened.").arg(path),
                                QMessageBox::Ok, &window);
            box->setInformativeText(openError);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    }
    if (status != 0)
        return status;
    return app.exec();
}
