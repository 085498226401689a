#pragma once

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

namespace idesk::test {

// A test's settings in a folder of its own (an INI file under `folder`, named after the application), and
// QStandardPaths in test mode, so that no test reads or changes the person's own settings or presets.
inline void useTestSettings(const QString &applicationName, const QString &folder)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("inference-desk-test"));
    QCoreApplication::setApplicationName(applicationName);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, folder);
}

} // namespace idesk::test
