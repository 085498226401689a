#pragma once

#include <QCoreApplication>

class QAction;
class QMenu;
class QWidget;

namespace idesk {

class SendController;

// The app's time limit for a provider's job (queue, polls and download): a non-secret preference
// (QSettings "providers/jobTimeLimitMinutes", ProviderJob's 10 minutes by default), what the CLI's
// --job-timeout is for one command. Request > Time limit for provider jobs… asks for it.
class ProviderJobLimit
{
    Q_DECLARE_TR_FUNCTIONS(ProviderJobLimit)
public:
    static constexpr int minMinutes = 1;
    static constexpr int maxMinutes = 24 * 60;

    static int minutesInSettings();
    static void setMinutesInSettings(int minutes); // clamped to [minMinutes, maxMinutes]
    // The limit from the settings, with the sentence saying where to allow it longer.
    static void applyTo(SendController &send);
    // Adds the action to `menu`; it asks for the minutes (parent: `window`) and applies them to `send`.
    static QAction *addAction(QMenu *menu, QWidget *window, SendController *send);
};

} // namespace idesk
