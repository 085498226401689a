#include "ProviderJobLimit.h"

#include "ProviderJob.h"
#include "SendController.h"

#include <QAction>
#include <QInputDialog>
#include <QMenu>
#include <QSettings>

namespace idesk {

namespace {
const char *const kKey = "providers/jobTimeLimitMinutes";
} // namespace

int ProviderJobLimit::minutesInSettings()
{
    bool ok = false;
    const int minutes = QSettings().value(QLatin1String(kKey)).toInt(&ok);
    if (!ok || minutes < minMinutes)
        return int(ProviderJob::defaultTimeLimitMs / 60000);
    return qMin(minutes, maxMinutes);
}

void ProviderJobLimit::setMinutesInSettings(int minutes)
{
    QSettings().setValue(QLatin1String(kKey), qBound(minMinutes, minutes, maxMinutes));
}

void ProviderJobLimit::applyTo(SendController &send)
{
    send.setJobTimeLimitMs(
        qint64(minutesInSettings()) * 60000,
        tr("Send it again to try once more, or allow it longer in Request > Time limit for "
           "provider jobs."));
}

QAction *ProviderJobLimit::addAction(QMenu *menu, QWidget *window, SendController *send)
{
    QAction *action = menu->addAction(tr("&Time limit for provider jobs…"));
    action->setObjectName(QStringLiteral("actionProviderJobLimit"));
    action->setStatusTip(tr("How long a provider's queued job (an image or a video) may take before it is "
                            "stopped"));
    QObject::connect(action, &QAction::triggered, window, [window, send] {
        bool ok = false;
        const int minutes = QInputDialog::getInt(
            window, tr("Time limit for provider jobs"),
            tr("Stop a provider's job (queue, polls and download) after this many minutes:"),
            minutesInSettings(), minMinutes, maxMinutes, 1, &ok);
        if (!ok)
            return;
        setMinutesInSettings(minutes);
        applyTo(*send);
    });
    return action;
}

} // namespace idesk
