// Issue 14: a provider's queued job stops at a time limit the person can set in the app (the CLI has
// --job-timeout): Request > Time limit for provider jobs… keeps it in the settings, and a window applies it
// to its send path; a value out of range in the settings file falls back or is bounded.
#include "MainWindow.h"
#include "ProviderJob.h"
#include "ProviderJobLimit.h"
#include "SendController.h"
#include "TestSettings.h"

#include <QAction>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;

class TestProviderJobLimit : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        test::useTestSettings(QStringLiteral("TestProviderJobLimit"), m_home.path());
    }

    void defaultIsTheJobsOwn()
    {
        QSettings().remove(QStringLiteral("providers/jobTimeLimitMinutes"));
        MainWindow window;
        QCOMPARE(window.sendController()->providerJob()->timeLimitMs(), ProviderJob::defaultTimeLimitMs);
        QAction *action = window.findChild<QAction *>(QStringLiteral("actionProviderJobLimit"));
        QVERIFY(action);
        QVERIFY(!action->text().isEmpty());
    }

    void settingReachesTheSendPath()
    {
        ProviderJobLimit::setMinutesInSettings(3);
        QCOMPARE(ProviderJobLimit::minutesInSettings(), 3);
        MainWindow window;
        QCOMPARE(window.sendController()->providerJob()->timeLimitMs(), qint64(3 * 60000));

        // Changed while the window is open: applied to its send path at once.
        ProviderJobLimit::setMinutesInSettings(45);
        ProviderJobLimit::applyTo(*window.sendController());
        QCOMPARE(window.sendController()->providerJob()->timeLimitMs(), qint64(45 * 60000));
    }

    void outOfRangeValuesAreBounded()
    {
        ProviderJobLimit::setMinutesInSettings(0);
        QCOMPARE(ProviderJobLimit::minutesInSettings(), ProviderJobLimit::minMinutes);
        ProviderJobLimit::setMinutesInSettings(1000000);
        QCOMPARE(ProviderJobLimit::minutesInSettings(), ProviderJobLimit::maxMinutes);
        // Hand-edited nonsense in the settings file: the job's own default.
        QSettings().setValue(QStringLiteral("providers/jobTimeLimitMinutes"), QStringLiteral("soon"));
        QCOMPARE(qint64(ProviderJobLimit::minutesInSettings()) * 60000, ProviderJob::defaultTimeLimitMs);
    }
};

QTEST_MAIN(TestProviderJobLimit)
#include "TestProviderJobLimit.moc"
