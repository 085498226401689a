// Pretty-prints a JSON file to standard output with the CLI's printer (JsonPrettyPrinter), so that the
// benchmark can compare it with `jq .` on the same file.
#include "JsonPrettyPrinter.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        QTextStream(stderr) << "usage: idesk-bench-pretty FILE.json\n";
        return 2;
    }
    QFile in(QString::fromLocal8Bit(argv[1]));
    if (!in.open(QIODevice::ReadOnly)) {
        QTextStream(stderr) << in.errorString() << '\n';
        return 2;
    }
    const QByteArray json = in.readAll();
    in.close();
    QFile out;
    out.open(stdout, QIODevice::WriteOnly);
    QString error;
    if (!idesk::JsonPrettyPrinter::write(json, &out, 2, &error)) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    return 0;
}
