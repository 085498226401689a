#pragma once

#include <QObject>
#include <QPointer>
#include <functional>

class QAction;
class QWidget;

namespace idesk {

class HubSearchDialog;
class InputEditor;
class ModelPicker;

// Opens the Hub search (HubSearchDialog) with Ctrl+K anywhere in `window` and from a search button inside
// the Model box, and applies what the person chose there: model, task and provider go to the picker,
// an example's text to the input editor. The dialog is made on first use.
class HubSearchLauncher : public QObject
{
    Q_OBJECT
public:
    using TokenProvider = std::function<QString()>;
    HubSearchLauncher(QWidget *window, ModelPicker *picker, InputEditor *input, TokenProvider token);

    QAction *action() const { return m_action; }
    HubSearchDialog *dialog(); // made on first call
    void open();

private:
    void apply(const QString &model, const QString &task, const QString &provider, const QString &input);

    QWidget *m_window = nullptr;
    ModelPicker *m_picker = nullptr;
    InputEditor *m_input = nullptr;
    TokenProvider m_token;
    QAction *m_action = nullptr;
    QPointer<HubSearchDialog> m_dialog;
};

} // namespace idesk
