#include "HubSearchLauncher.h"

#include "HubSearchDialog.h"
#include "InputEditor.h"
#include "ModelPicker.h"
#include "StyleIcons.h"
#include "TokenPolicy.h"

#include <QAction>
#include <QComboBox>
#include <QIcon>
#include <QLineEdit>
#include <QStyle>
#include <QWidget>

namespace idesk {

HubSearchLauncher::HubSearchLauncher(QWidget *window, ModelPicker *picker, InputEditor *input,
                                     TokenProvider token)
    : QObject(window), m_window(window), m_picker(picker), m_input(input), m_token(std::move(token))
{
    m_action = new QAction(tr("Search models on the &Hub…"), this);
    m_action->setObjectName(QStringLiteral("actionHubSearch"));
    m_action->setShortcut(QKeySequence(tr("Ctrl+K")));
    m_action->setShortcutContext(Qt::WindowShortcut);
    m_action->setToolTip(tr("Search models on the Hub (Ctrl+K)"));
    m_action->setIcon(QIcon::fromTheme(QStringLiteral("edit-find"),
                                       StyleIcons::forButton(QStyle::SP_FileDialogContentsView, window)));
    window->addAction(m_action);
    if (QLineEdit *edit = picker->modelCombo()->lineEdit())
        edit->addAction(m_action, QLineEdit::TrailingPosition);
    connect(m_action, &QAction::triggered, this, &HubSearchLauncher::open);
}

HubSearchDialog *HubSearchLauncher::dialog()
{
    if (!m_dialog) {
        m_dialog = new HubSearchDialog(m_window);
        connect(m_dialog, &HubSearchDialog::modelChosen, this, &HubSearchLauncher::apply);
    }
    return m_dialog;
}

void HubSearchLauncher::open()
{
    HubSearchDialog *d = dialog();
    d->setToken(m_token ? m_token() : QString(), TokenPolicy::fromSettings());
    // What the Model box holds is a good first search when it is not a full id already chosen.
    const QString typed = m_picker->modelCombo()->currentText().trimmed();
    d->start(d->searchEdit()->text().isEmpty() ? typed.section(QLatin1Char(':'), 0, 0) : QString());
}

void HubSearchLauncher::apply(const QString &model, const QString &task, const QString &provider,
                              const QString &input)
{
    if (!task.isEmpty())
        m_picker->setTask(task);
    m_picker->setModel(model);
    if (task == QLatin1String("chat-completion"))
        m_picker->setProvider(provider);
    if (!input.isEmpty())
        m_input->setInputs(QJsonValue(input), InputFile(), m_input->inputParameters());
    if (m_dialog)
        m_dialog->accept();
}

} // namespace idesk
