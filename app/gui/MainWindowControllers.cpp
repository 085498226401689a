// MainWindow's controllers: the token (TokenController), the presets (PresetsController), host approval
// for the send path (HostApprovalController) and Edit > Copy as (CopyAsCodeMenu), created here, and their
// actions put into the menus MainWindow built (File, Edit, and a Settings menu before Help). The layout
// and the send path are in MainWindow.cpp, the files in MainWindowFiles.cpp.
#include "MainWindow.h"

#include "CopyAsCodeMenu.h"
#include "HostApproval.h"
#include "HostApprovalController.h"
#include "PresetsController.h"
#include "TokenController.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>

namespace idesk {

MainWindow::MainWindow(const Setup &setup, QWidget *parent) : MainWindow(parent)
{
    createControllers(setup);
    addControllerMenus();
}

void MainWindow::createControllers(const Setup &setup)
{
    m_tokens = new TokenController(this, setup.keychain);
    m_hostApproval = new HostApprovalController(m_send, this);
    m_presets = new PresetsController(this, setup.presetDirectory);
    addDockWidget(Qt::LeftDockWidgetArea, m_presets->presetsDock());
    // The layout was restored before the dock existed: restore it again so the dock comes back where it
    // was left.
    const QByteArray state = QSettings().value(QStringLiteral("window/state")).toByteArray();
    if (!state.isEmpty())
        restoreState(state);

    m_copyAs = new CopyAsCodeMenu(this);
    m_copyAs->setRequestProvider([this]() { return currentRequest(); });
    m_copyAs->setTokenPolicyProvider([]() { return HostApproval::policy(); });
    connect(m_copyAs, &CopyAsCodeMenu::copied, this, [this](CodeSnippets::Kind, const QString &text) {
        statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0), 8000);
    });
    connect(m_copyAs, &CopyAsCodeMenu::failed, this, [this](const QString &text) {
        statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0), 15000);
    });
}

void MainWindow::addControllerMenus()
{
    // File: the presets between the result files and Quit.
    m_fileMenu->insertSeparator(m_quitAction);
    m_fileMenu->insertActions(m_quitAction, m_presets->fileActions());
    m_fileMenu->insertSeparator(m_quitAction);

    m_editMenu->addSeparator();
    m_editMenu->addMenu(m_copyAs);

    m_settingsMenu = new QMenu(tr("&Settings"), this);
    m_settingsMenu->setObjectName(QStringLiteral("menuSettings"));
    m_settingsMenu->addAction(m_tokens->tokenSettingsAction());
    m_settingsMenu->addAction(m_tokens->approvedHostsAction());
    menuBar()->insertMenu(m_helpMenu->menuAction(), m_settingsMenu);
}

} // namespace idesk
