#pragma once

#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "SendController.h"

#include <QMainWindow>
#include <functional>
#include <memory>

class QAction;
class QLabel;
class QMenu;
class QSplitter;

namespace Ui {
class MainWindow;
}

namespace idesk {

class CopyAsCodeMenu;
class HostApprovalController;
class InferenceClient;
class InputEditor;
class ModelPicker;
class OptionsPanel;
class ParameterTable;
class PresetsController;
class ResultView;
class SecretStore;
class SendPanel;
class TokenController;

// The window a person opens: model picker, input editor, parameter table,
// options, Send/Cancel with live progress, and the result pane. The editors
// fill an InferenceRequest, SendController sends it (the window only reflects
// its state), ResultView shows what came back. The last request (never the
// token) and the layout are remembered.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    using TokenProvider = std::function<QString()>;

    // What the window's controllers keep outside it; the app passes the defaults, tests their own.
    struct Setup
    {
        SecretStore *keychain = nullptr; // not owned; null: the OS keychain
        QString presetDirectory;         // "": PresetStore's default location
    };

    // The editors, the send path and the File, Edit, Request and Help menus (tests of the editors).
    explicit MainWindow(QWidget *parent = nullptr);
    // ... and the controllers (MainWindowControllers.cpp): token, presets, host approval and copy as code,
    // their actions in the menus this window builds (and a Settings menu).
    explicit MainWindow(const Setup &setup, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Where the Hugging Face token comes from, asked at each send. Default:
    // HF_TOKEN from the environment. The settings/keychain code replaces it.
    void setTokenProvider(TokenProvider provider);
    // Which token is in use, shown (masked, e.g. "environment (HF_TOKEN) (hf_…abcd)") at the right of the
    // status bar. Default: HF_TOKEN's masked form, or "no token".
    void setTokenStatus(const QString &text);
    QString tokenStatus() const;

    InferenceRequest currentRequest() const;
    void setRequest(const InferenceRequest &request);
    // Everything that stops the current request from being sent, one sentence
    // each.
    QStringList sendBlockers() const;

    // What the title names after "Inference Desk —" (an open preset), with " *" when it changed since
    // saved; "" goes back to the model (or the opened result).
    void setDocumentName(const QString &name, bool modified = false);

    bool openResultFile(const QString &path, QString *error = nullptr);
    // An image or audio file as input; switches to a task that takes one when
    // needed.
    bool openInputFile(const QString &path);

    ModelPicker *modelPicker() const { return m_picker; }
    InputEditor *inputEditor() const { return m_input; }
    ParameterTable *parameterTable() const { return m_parameters; }
    OptionsPanel *optionsPanel() const { return m_options; }
    SendPanel *sendPanel() const { return m_sendPanel; }
    ResultView *resultView() const { return m_result; }
    // The one send path: states, Hub lookup, token policy, approval (approvalNeeded), the client.
    SendController *sendController() const { return m_send; }
    InferenceClient *client() const;
    bool isBusy() const;

    // The controllers (null in a window built without a Setup).
    PresetsController *presetsController() const { return m_presets; }
    TokenController *tokenController() const { return m_tokens; }
    HostApprovalController *hostApprovalController() const { return m_hostApproval; }
    CopyAsCodeMenu *copyAsMenu() const { return m_copyAs; }
    // The menus this window built (Settings: null without controllers).
    QMenu *fileMenu() const { return m_fileMenu; }
    QMenu *editMenu() const { return m_editMenu; }
    QMenu *settingsMenu() const { return m_settingsMenu; }
    QMenu *helpMenu() const { return m_helpMenu; }

public Q_SLOTS:
    void send();
    void sendAnyway();
    void cancel();
    void openInputDialog();
    void openResultDialog();
    void saveResultDialog();

Q_SIGNALS:
    // A request ended (after ResultView was given the result).
    void requestFinished(const idesk::InferenceResult &result);
    // The person changed the request in an editor (not emitted by setRequest()).
    void requestEdited();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void createControllers(const Setup &setup);
    void addControllerMenus();
    void trySend(bool force);
    void onSendStateChanged(SendController::State state);
    void onFinished(const InferenceResult &result);
    void onStreamEvent(const QByteArray &data, const QByteArray &eventName);
    void onTaskChanged(const QString &taskId);
    void updateTitle();
    void fitParameterPane();
    // A model the picker knows for `task` ("" when none).
    QString modelServing(const QString &task) const;
    void restoreSettings();
    void saveSettings() const;

    std::unique_ptr<Ui::MainWindow> m_ui; // the layout (ui/MainWindow.ui)
    ModelPicker *m_picker = nullptr;
    InputEditor *m_input = nullptr;
    ParameterTable *m_parameters = nullptr;
    OptionsPanel *m_options = nullptr;
    SendPanel *m_sendPanel = nullptr;
    ResultView *m_result = nullptr;
    SendController *m_send = nullptr;
    SendController::State m_shownState = SendController::State::Idle;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_editSplitter = nullptr;
    QAction *m_sendAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_saveResultAction = nullptr;
    QAction *m_quitAction = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_editMenu = nullptr;
    QMenu *m_settingsMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    PresetsController *m_presets = nullptr;
    TokenController *m_tokens = nullptr;
    HostApprovalController *m_hostApproval = nullptr;
    CopyAsCodeMenu *m_copyAs = nullptr;
    QLabel *m_tokenStatus = nullptr;
    InferenceRequest m_running;
    QString m_openedResult;
    QString m_documentName;
    bool m_documentModified = false;
    bool m_restoring = false;
};

} // namespace idesk
