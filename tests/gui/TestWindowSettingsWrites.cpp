// Issue 13 (start-up and quit): closing a window whose settings did not change leaves the settings file
// alone (QSettings rewrote it for every value set, even an equal one); a change is still saved.
#include "MainWindow.h"
#include "TestSettings.h"

#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;

class TestWindowSettingsWrites : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unchangedCloseWritesNothing();

private:
    QTemporaryDir m_home;
};

void TestWindowSettingsWrites::unchangedCloseWritesNothing()
{
    QVERIFY(m_home.isValid());
    test::useTestSettings(QStringLiteral("TestWindowSettingsWrites"), m_home.path());
    const QString file = QSettings().fileName();
    // The first close saves everything; the second may move the saved position once (a window placed
    // without a window manager is restored a frame lower), after which it stays.
    for (int i = 0; i < 2; ++i) {
        MainWindow window;
        if (i == 0)
            window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.close();
    }
    QVERIFY(QFileInfo::exists(file));
    const QDateTime written = QFileInfo(file).lastModified();
    const QByteArray bytes = [&] {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QVERIFY(!bytes.isEmpty());
    QTest::qWait(20); // a rewrite would get a later time stamp
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(1000, 700));
        window.close(); // nothing changed
    }
    QCOMPARE(QFileInfo(file).lastModified(), written);
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(1040, 700);
        window.close(); // a change is saved
    }
    QVERIFY(QFileInfo(file).lastModified() > written);
    MainWindow again;
    QCOMPARE(again.size(), QSize(1040, 700));
}

QTEST_MAIN(TestWindowSettingsWrites)
#include "TestWindowSettingsWrites.moc"
