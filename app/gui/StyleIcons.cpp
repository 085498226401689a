#include "StyleIcons.h"

#include <QApplication>
#include <QFile>
#include <QWidget>

namespace idesk::StyleIcons {

namespace {

struct SmallFiles
{
    QStyle::StandardPixmap which;
    const char *themeName; // the icon theme's name QCommonStyle looks for first ("" when none)
    const char *files[2];  // Qt's files of it up to 32 px, in the Fusion style's resources
};

// What QCommonStyle::standardIcon() reads for these (Qt 6), less the 128 px file.
const SmallFiles kSmallFiles[] = {
    {QStyle::SP_ArrowRight, "go-next", {"right-16.png", "right-32.png"}},
    {QStyle::SP_FileDialogContentsView, "", {"filecontents-16.png", "filecontents-32.png"}},
};

} // namespace

QIcon forButton(QStyle::StandardPixmap which, const QWidget *widget)
{
    QStyle *style = widget ? widget->style() : QApplication::style();
    for (const SmallFiles &entry : kSmallFiles) {
        if (entry.which != which)
            continue;
        if (style->name() != QLatin1String("fusion"))
            break;
        const bool themed = QGuiApplication::desktopSettingsAware() && !QIcon::themeName().isEmpty();
        if (themed && *entry.themeName && QIcon::hasThemeIcon(QLatin1String(entry.themeName)))
            break; // the style would show the theme's icon
        QIcon icon;
        for (const char *file : entry.files) {
            const QString path =
                QStringLiteral(":/qt-project.org/styles/commonstyle/images/") + QLatin1String(file);
            if (!QFile::exists(path))
                return style->standardIcon(which, nullptr, widget);
            icon.addFile(path);
        }
        return icon;
    }
    return style->standardIcon(which, nullptr, widget);
}

} // namespace idesk::StyleIcons
