// idesk_render_icon: renders the application's SVG icon to a square PNG at build time, with Qt's own SVG
// renderer (the same one the app draws its icon with), so the build needs no external converter program.
//   idesk_render_icon INPUT.svg SIZE OUTPUT.png
#include <QByteArray>
#include <QCoreApplication>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QString>
#include <QSvgRenderer>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        std::fprintf(stderr, "usage: %s INPUT.svg SIZE OUTPUT.png\n", argv[0]);
        return 2;
    }
    bool ok = false;
    const int size = args.at(2).toInt(&ok);
    if (!ok || size < 1 || size > 4096) {
        std::fprintf(stderr, "render-icon: the size must be a whole number from 1 to 4096, not '%s'\n",
                     qPrintable(args.at(2)));
        return 2;
    }
    QSvgRenderer renderer(args.at(1));
    if (!renderer.isValid()) {
        std::fprintf(stderr, "render-icon: %s is not a readable SVG file\n", qPrintable(args.at(1)));
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        // Keep the aspect ratio: centre the drawing in the square.
        QSizeF drawn = renderer.defaultSize();
        drawn.scale(size, size, Qt::KeepAspectRatio);
        const QRectF target((size - drawn.width()) / 2.0, (size - drawn.height()) / 2.0, drawn.width(),
                            drawn.height());
        renderer.render(&painter, target);
    }
    QSaveFile out(args.at(3));
    if (!out.open(QIODevice::WriteOnly) || !image.convertToFormat(QImage::Format_ARGB32).save(&out, "PNG")
        || !out.commit()) {
        std::fprintf(stderr, "render-icon: cannot write %s: %s\n", qPrintable(args.at(3)),
                     qPrintable(out.errorString()));
        return 1;
    }
    return 0;
}
