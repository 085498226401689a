// StyleIcons::forButton(): the same pictures as the style's standard icons at the sizes the window paints
// them, read without the style's 128 px files.
#include "StyleIcons.h"

#include <QApplication>
#include <QPushButton>
#include <QtTest>

using idesk::StyleIcons::forButton;

class TestStyleIcons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void samePictureAsTheStyle_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("Send") << int(QStyle::SP_ArrowRight);
        QTest::newRow("Cancel") << int(QStyle::SP_BrowserStop);
        QTest::newRow("Hub search") << int(QStyle::SP_FileDialogContentsView);
        QTest::newRow("another icon: the style's own") << int(QStyle::SP_MessageBoxWarning);
    }
    void samePictureAsTheStyle()
    {
        QFETCH(int, which);
        const auto sp = QStyle::StandardPixmap(which);
        QPushButton button;
        const QIcon ours = forButton(sp, &button);
        const QIcon styles = button.style()->standardIcon(sp, nullptr, &button);
        QVERIFY(!ours.isNull());
        for (const int size : {16, 24, 32}) {
            const QImage a = ours.pixmap(size, size).toImage().convertToFormat(QImage::Format_ARGB32);
            const QImage b = styles.pixmap(size, size).toImage().convertToFormat(QImage::Format_ARGB32);
            QCOMPARE(a.size(), b.size());
            QVERIFY2(a == b, qPrintable(QStringLiteral("differs at %1 px").arg(size)));
        }
    }

    // Under Fusion with no icon theme (these tests' offscreen platform), the two with a 128 px file are read
    // without it: what made them slow.
    void noLargeFiles()
    {
        if (QApplication::style()->name() != QLatin1String("fusion") || !QIcon::themeName().isEmpty())
            QSKIP("another style or an icon theme: the style's own icons are used");
        for (const auto sp : {QStyle::SP_ArrowRight, QStyle::SP_FileDialogContentsView}) {
            const QList<QSize> sizes = forButton(sp, nullptr).availableSizes();
            QVERIFY(!sizes.isEmpty());
            for (const QSize &size : sizes)
                QVERIFY2(size.width() <= 32, qPrintable(QString::number(size.width())));
            const QList<QSize> styles = QApplication::style()->standardIcon(sp).availableSizes();
            QVERIFY(std::any_of(styles.begin(), styles.end(), [](QSize s) { return s.width() > 32; }));
        }
    }
};

QTEST_MAIN(TestStyleIcons)
#include "TestStyleIcons.moc"
